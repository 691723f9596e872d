// Physical pages of the machine: RAM pages and uncached device pages resolved
// on the physical bus; a hole is a synchronous external abort, an address beyond
// the physical address range an address size fault. The memory system (memory-system.ts)
// translates virtual addresses to what this serves.
import { ArchException, EC } from '../core/exception.js';
import { Access, Page, PAGE_SIZE } from '../core/memory.js';
import type { PhysicalBus } from '../mem/bus.js';
import type { Device } from '../devices/device.js';

/** Fault status: synchronous external abort, not on a translation table walk. */
const FSC_EXTERNAL = 0b010000;
/** Fault status: address size fault, level 0 (an address beyond the physical address range). */
const FSC_ADDRESS_SIZE = 0b000000;
/** ID_AA64MMFR0_EL1.PARange of the modelled core: 44 bits. */
export const PA_BITS = 44;

export class PhysicalSpace {
  private readonly devicePages = new Map<number, Page>();
  /** Accesses to device registers (uncached). */
  deviceAccesses = 0;

  constructor(private readonly bus: PhysicalBus) {}

  /** A translation table descriptor (8 bytes at pa, in RAM); throws when no RAM is there. */
  descriptor(pa: number): bigint {
    const t = this.bus.resolve(pa);
    if (!t || !('page' in t)) throw new Error(`no RAM at 0x${pa.toString(16)}`);
    return t.page.view.getBigUint64(pa & (PAGE_SIZE - 1), true);
  }

  /** The RAM page holding `pa`, or undefined where there is no RAM (what a table walk reads descriptors from). */
  ramPage(pa: number): Page | undefined {
    return this.bus.ram.page(pa);
  }

  /** The page at physical page number ppn, for an access to virtual address va (reported in FAR). */
  pageAt(ppn: number, access: Access, va: number): Page {
    const inRange = ppn >= 0 && ppn < 2 ** (PA_BITS - 12);
    const t = inRange ? this.bus.resolve(ppn * PAGE_SIZE) : undefined;
    if (t && 'page' in t) return t.page;
    if (t) {
      this.deviceAccesses++; // device pages never enter the host TLB: one lookup per access
      return this.devicePage(ppn, t.device, t.offset);
    }
    const fsc = inRange ? FSC_EXTERNAL : FSC_ADDRESS_SIZE;
    const far = BigInt.asUintN(64, BigInt(va));
    if (access === Access.Fetch) throw new ArchException(EC.IABT_SAME, fsc, -1, far);
    throw new ArchException(EC.DABT_SAME, fsc | (access === Access.Write ? 1 << 6 : 0), -1, far);
  }

  private devicePage(vpn: number, device: Device, offset: number): Page {
    let p = this.devicePages.get(vpn);
    if (!p) {
      p = Page.device({
        read: (off, size) => device.read(off, size as 1 | 2 | 4 | 8),
        write: (off, size, v) => device.write(off, size as 1 | 2 | 4 | 8, v),
      }, offset);
      this.devicePages.set(vpn, p);
    }
    return p;
  }
}
