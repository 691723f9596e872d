// PL011 UART as QEMU's virt machine has it (hw/char/pl011.c): transmit only —
// every byte written to UARTDR goes to the output sink at once, so the FIFOs
// are always empty and nothing is ever received. Loopback (UARTCR.LBE) is
// stored but not modelled, so RIS.RX and the modem-status bits never rise.
//
// Access sizes, as QEMU does it (checked on qemu-system-aarch64 7.2): the register is picked by offset >> 2
// whatever the size; a 1- or 2-byte read returns the register's low bytes and
// a 1- or 2-byte write writes the (zero-extended) value to the whole register;
// an 8-byte access is two 32-bit accesses, at offset then offset + 4.
// Reserved offsets read as 0 and ignore writes.
import type { Device } from './device.js';

const enum Reg {
  DR = 0x000 >> 2, RSR = 0x004 >> 2, FR = 0x018 >> 2, ILPR = 0x020 >> 2,
  IBRD = 0x024 >> 2, FBRD = 0x028 >> 2, LCR_H = 0x02c >> 2, CR = 0x030 >> 2,
  IFLS = 0x034 >> 2, IMSC = 0x038 >> 2, RIS = 0x03c >> 2, MIS = 0x040 >> 2,
  ICR = 0x044 >> 2, DMACR = 0x048 >> 2, ID0 = 0xfe0 >> 2,
}

const FR_RXFE = 1 << 4, FR_TXFE = 1 << 7;
const INT_TX = 1 << 5;
/** UARTPeriphID0–3 and UARTPCellID0–3, as QEMU's "pl011" (the Arm part, not Luminary's). */
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl011 implements Device {
  readonly name = 'pl011';
  readonly size = 0x1000;
  // Reset values from QEMU's pl011_reset: UARTCR has TXE and RXE set, UARTIFLS is half-full both ways.
  private ilpr = 0;
  private ibrd = 0;
  private fbrd = 0;
  private lcrH = 0;
  private cr = 0x300;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private dmacr = 0;

  constructor(private readonly output: (byte: number) => void, readonly base = 0x0900_0000) {}

  /** The combined interrupt line UARTINTR (what virt wires to the GIC). */
  get irqPending(): boolean {
    return (this.ris & this.imsc) !== 0;
  }

  read(offset: number, size: 1 | 2 | 4 | 8): bigint {
    if (size === 8) return BigInt(this.readReg(offset >> 2)) | (BigInt(this.readReg((offset >> 2) + 1)) << 32n);
    return BigInt.asUintN(size * 8, BigInt(this.readReg(offset >> 2)));
  }

  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    const v = BigInt.asUintN(size * 8, value);
    this.writeReg(offset >> 2, Number(v & 0xffffffffn));
    if (size === 8) this.writeReg((offset >> 2) + 1, Number(v >> 32n));
  }

  private readReg(reg: number): number {
    switch (reg) {
      case Reg.DR: return 0; // receive FIFO always empty
      case Reg.FR: return FR_TXFE | FR_RXFE;
      case Reg.ILPR: return this.ilpr;
      case Reg.IBRD: return this.ibrd;
      case Reg.FBRD: return this.fbrd;
      case Reg.LCR_H: return this.lcrH;
      case Reg.CR: return this.cr;
      case Reg.IFLS: return this.ifls;
      case Reg.IMSC: return this.imsc;
      case Reg.RIS: return this.ris;
      case Reg.MIS: return this.ris & this.imsc;
      case Reg.DMACR: return this.dmacr;
      default: return reg >= Reg.ID0 && reg < Reg.ID0 + ID.length ? ID[reg - Reg.ID0] : 0;
    }
  }

  /** `v` is an unsigned 32-bit value; registers keep all 32 bits except the baud divisors. */
  private writeReg(reg: number, v: number): void {
    switch (reg) {
      case Reg.DR:
        this.output(v & 0xff);
        this.ris |= INT_TX; // the transmit FIFO drained at once
        break;
      case Reg.ILPR: this.ilpr = v; break;
      // Field widths from the PL011 TRM, as current QEMU masks them (7.2 kept all 32 bits).
      case Reg.IBRD: this.ibrd = v & 0xffff; break;
      case Reg.FBRD: this.fbrd = v & 0x3f; break;
      case Reg.LCR_H: this.lcrH = v; break;
      case Reg.CR: this.cr = v; break;
      case Reg.IFLS: this.ifls = v; break;
      case Reg.IMSC: this.imsc = v; break;
      case Reg.ICR: this.ris &= ~v; break;
      case Reg.DMACR: this.dmacr = v; break;
      // RSR/ECR clears error flags, which are never set; FR, RIS, MIS and the IDs are read-only.
    }
  }
}
