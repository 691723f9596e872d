// The physical address map: RAM plus memory-mapped devices. Resolution is by
// address only; permissions and translation live in the MMU above. A hole
// resolves to undefined, which the CPU turns into a synchronous external abort.
import type { Page } from '../core/memory.js';
import type { Device } from '../devices/device.js';
import type { Ram } from './ram.js';

export type Target = { page: Page } | { device: Device; offset: number };

interface Region { name: string; base: number; size: number }

const range = (r: Region) => `${r.name} [0x${r.base.toString(16)}, 0x${(r.base + r.size).toString(16)})`;

export class PhysicalBus {
  constructor(readonly ram: Ram, readonly devices: readonly Device[]) {
    const regions: Region[] = [{ name: 'RAM', base: ram.base, size: ram.size }, ...devices];
    regions.sort((a, b) => a.base - b.base);
    // With regions sorted by base, any overlap shows up between neighbours.
    for (let i = 1; i < regions.length; i++) {
      const a = regions[i - 1], b = regions[i];
      if (a.base + a.size > b.base) throw new Error(`${range(b)} overlaps ${range(a)}`);
    }
  }

  /** What is at `pa`: the RAM page containing it, or a device and the offset into it. */
  resolve(pa: number): Target | undefined {
    const page = this.ram.page(pa);
    if (page) return { page };
    for (const device of this.devices) {
      const offset = pa - device.base;
      if (offset >= 0 && offset < device.size) return { device, offset };
    }
    return undefined;
  }

  /** Copies an image into RAM; throws naming the range if any of it is outside RAM. */
  loadImage(pa: number, bytes: Uint8Array): void {
    this.ram.load(pa, bytes);
  }
}
