// The PL011 UART as QEMU's virt machine has it: output bytes, flags, ID
// registers, register state, the interrupt status and sub-word accesses.
import { describe, expect, it } from 'vitest';
import { Pl011 } from '../src/devices/pl011.js';

const DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02c, CR = 0x030,
  IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044, DMACR = 0x048;
const TXIM = 1 << 5;

function uart() {
  const out: number[] = [];
  return { u: new Pl011((b) => out.push(b)), out };
}
const r32 = (u: Pl011, off: number) => Number(u.read(off, 4));
const w32 = (u: Pl011, off: number, v: number) => u.write(off, 4, BigInt(v));

describe('PL011', () => {
  it('sits where QEMU virt puts it', () => {
    const { u } = uart();
    expect([u.name, u.base, u.size]).toEqual(['pl011', 0x0900_0000, 0x1000]);
  });

  it('sends each byte written to UARTDR to the sink, in order, low 8 bits only', () => {
    const { u, out } = uart();
    for (const c of 'hi\n') w32(u, DR, c.charCodeAt(0));
    w32(u, DR, 0x1ff);
    expect(out).toEqual([0x68, 0x69, 0x0a, 0xff]);
  });

  it('flag register: transmit FIFO empty, receive FIFO empty, never busy or full; writes ignored', () => {
    const { u } = uart();
    expect(r32(u, FR)).toBe(0x90);
    w32(u, DR, 0x41);
    w32(u, FR, 0xffff);
    expect(r32(u, FR)).toBe(0x90);
  });

  it('UARTDR reads 0 with nothing received', () => {
    const { u } = uart();
    expect(r32(u, DR)).toBe(0);
    expect(r32(u, RSR)).toBe(0);
  });

  it('PeriphID and PCellID are QEMU\'s', () => {
    const { u } = uart();
    const ids = Array.from({ length: 8 }, (_, i) => r32(u, 0xfe0 + 4 * i));
    expect(ids).toEqual([0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    w32(u, 0xfe0, 0);
    expect(r32(u, 0xfe0)).toBe(0x11);
  });

  it('reset values are QEMU\'s', () => {
    const { u } = uart();
    const regs = [ILPR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC, RIS, MIS, DMACR].map((o) => r32(u, o));
    expect(regs).toEqual([0, 0, 0, 0, 0x300, 0x12, 0, 0, 0, 0]);
  });

  it('keeps what a driver writes; the baud divisors are masked to their TRM widths', () => {
    const { u } = uart();
    // What Linux's pl011 driver writes when it sets 115200 8N1 with FIFOs at 24 MHz.
    w32(u, IBRD, 13);
    w32(u, FBRD, 1);
    w32(u, LCR_H, 0x70);
    w32(u, CR, 0x301);
    w32(u, IFLS, 0x09);
    w32(u, ILPR, 0xab);
    w32(u, DMACR, 0x4);
    expect([IBRD, FBRD, LCR_H, CR, IFLS, ILPR, DMACR].map((o) => r32(u, o))).toEqual([13, 1, 0x70, 0x301, 0x09, 0xab, 0x4]);
    w32(u, IBRD, 0x12345);
    w32(u, FBRD, 0xff);
    expect([r32(u, IBRD), r32(u, FBRD)]).toEqual([0x2345, 0x3f]);
    expect(r32(u, FR)).toBe(0x90);
  });

  it('reserved offsets read 0 and ignore writes', () => {
    const { u } = uart();
    for (const off of [0x008, 0x01c, 0x04c, 0x800, 0xfdc]) {
      w32(u, off, 0xffffffff);
      expect(r32(u, off)).toBe(0);
    }
    expect(r32(u, ICR)).toBe(0);
  });

  it('a transmitted byte raises RIS.TX; IMSC masks it into MIS and the interrupt line; ICR clears it', () => {
    const { u } = uart();
    w32(u, DR, 0x41);
    expect(r32(u, RIS)).toBe(TXIM);
    expect(r32(u, MIS)).toBe(0);
    expect(u.irqPending).toBe(false);
    w32(u, IMSC, TXIM);
    expect(r32(u, IMSC)).toBe(TXIM);
    expect(r32(u, MIS)).toBe(TXIM);
    expect(u.irqPending).toBe(true);
    w32(u, RIS, 0); // read-only
    expect(u.irqPending).toBe(true);
    w32(u, ICR, 0x7ff);
    expect([r32(u, RIS), r32(u, MIS), u.irqPending]).toEqual([0, 0, false]);
    w32(u, DR, 0x42); // raised again by the next byte, with the mask still set
    expect(u.irqPending).toBe(true);
    w32(u, IMSC, 0);
    expect(u.irqPending).toBe(false);
  });

  it('sub-word accesses act on the whole register picked by offset >> 2, as in QEMU (checked on 7.2)', () => {
    const { u, out } = uart();
    expect(u.read(FR, 1)).toBe(0x90n);
    expect(u.read(FR + 1, 1)).toBe(0x90n); // QEMU does not shift by the byte lane
    expect(u.read(0xfe4, 2)).toBe(0x10n);
    u.write(DR + 3, 1, 0x5an);
    u.write(DR, 2, 0x1234n);
    expect(out).toEqual([0x5a, 0x34]);
    w32(u, CR, 0x301);
    u.write(CR + 1, 1, 0x03n); // a byte write replaces the register with the zero-extended byte
    expect(r32(u, CR)).toBe(0x03);
    w32(u, ILPR, 0xabcd);
    expect(u.read(ILPR, 1)).toBe(0xcdn);
  });

  it('an 8-byte access is two 32-bit accesses, low word first (values checked on qemu-system-aarch64 7.2)', () => {
    const { u, out } = uart();
    u.write(ILPR, 8, 0x0000_0021_0000_0013n);
    expect([r32(u, ILPR), r32(u, IBRD)]).toEqual([0x13, 0x21]);
    expect(u.read(ILPR, 8)).toBe(0x0000_0021_0000_0013n);
    u.write(DR, 8, 0x1_0000_0042n); // UARTDR, then UARTRSR/ECR (error clear)
    expect(out).toEqual([0x42]);
    expect(u.read(IMSC, 8)).toBe(BigInt(TXIM) << 32n); // IMSC, then RIS
    expect(u.read(0xff8, 8)).toBe(0xb1_0000_0005n);
  });

  it('registers hold 32 bits: an all-ones mask reads back unsigned', () => {
    const { u } = uart();
    w32(u, IMSC, 0xffffffff);
    expect(u.read(IMSC, 4)).toBe(0xffffffffn);
    expect(u.read(MIS, 4)).toBe(0n);
  });
});
