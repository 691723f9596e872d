// The address space of a machine whose MMU is off: virtual address = physical
// address, resolved on the physical bus. A hole is a synchronous external
// abort; device registers come as uncached device pages. (The MMU replaces
// this with translation.)
import { ArchException, EC } from '../core/exception.js';
import { Access, Page, PAGE_SIZE, type AddressSpace } from '../core/memory.js';
import type { PhysicalBus } from '../mem/bus.js';
import type { Device } from '../devices/device.js';

/** Fault status: synchronous external abort, not on a translation table walk. */
const FSC_EXTERNAL = 0b010000;
/** Fault status: address size fault, level 0 (an address beyond the physical address range). */
const FSC_ADDRESS_SIZE = 0b000000;
/** ID_AA64MMFR0_EL1.PARange of the modelled core: 44 bits. */
export const PA_BITS = 44;

export class FlatSpace implements AddressSpace {
  private readonly devicePages = new Map<number, Page>();

  constructor(private readonly bus: PhysicalBus) {}

  lookup(vpn: number, access: Access, va: number): Page {
    const inRange = vpn >= 0 && vpn < 2 ** (PA_BITS - 12);
    const t = inRange ? this.bus.resolve(vpn * PAGE_SIZE) : undefined;
    if (t && 'page' in t) return t.page;
    if (t) return this.devicePage(vpn, t.device, t.offset);
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
