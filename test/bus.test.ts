// Guest RAM (lazy chunks, stable pages, image loading) and the physical bus
// (RAM, devices, holes, overlap checks).
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../src/core/memory.js';
import type { Device } from '../src/devices/device.js';
import { Pl011 } from '../src/devices/pl011.js';
import { PhysicalBus } from '../src/mem/bus.js';
import { Ram } from '../src/mem/ram.js';

const RAM_BASE = 0x4000_0000;
const GiB = 2 ** 30, MiB = 2 ** 20;

function fakeDevice(name: string, base: number, size: number): Device {
  return { name, base, size, read: () => 0n, write: () => {} };
}

describe('Ram', () => {
  it('hands out the same Page object for every address in a page, every time', () => {
    const ram = new Ram(RAM_BASE, 16 * MiB);
    const p = ram.page(RAM_BASE + 0x1000)!;
    expect(ram.page(RAM_BASE + 0x1000)).toBe(p);
    expect(ram.page(RAM_BASE + 0x1fff)).toBe(p);
    expect(ram.page(RAM_BASE + 0x2000)).not.toBe(p);
    expect(ram.page(RAM_BASE + 0x0fff)).not.toBe(p);
    expect(p.bytes.length).toBe(PAGE_SIZE);
  });

  it('pages are views of the backing store: a write through one is seen by load and by neighbours', () => {
    const ram = new Ram(RAM_BASE, 4 * MiB);
    ram.load(RAM_BASE + 0xffe, new Uint8Array([1, 2, 3, 4]));
    expect([...ram.page(RAM_BASE)!.bytes.subarray(0xffe)]).toEqual([1, 2]);
    expect([...ram.page(RAM_BASE + 0x1000)!.bytes.subarray(0, 2)]).toEqual([3, 4]);
    ram.page(RAM_BASE + 0x1000)!.view.setUint32(4, 0xdeadbeef, true);
    expect(ram.page(RAM_BASE + 0x1004)!.view.getUint32(4, true)).toBe(0xdeadbeef);
  });

  it('allocates lazily in 2 MiB chunks: a 4 GiB RAM that touches 10 MiB costs 10 MiB', () => {
    const ram = new Ram(RAM_BASE, 4 * GiB);
    expect(ram.allocatedBytes).toBe(0);
    ram.load(RAM_BASE, new Uint8Array(6 * MiB).fill(0xaa));
    ram.page(RAM_BASE + 4 * GiB - 1)!.bytes[PAGE_SIZE - 1] = 7; // last byte, above 2^32
    ram.page(RAM_BASE + 2 * GiB);
    expect(ram.allocatedBytes).toBe(10 * MiB);
    expect(ram.page(RAM_BASE + 4 * GiB - 1)!.bytes[PAGE_SIZE - 1]).toBe(7);
    expect(ram.page(RAM_BASE + 2 * GiB)!.bytes.every((b) => b === 0)).toBe(true);
  });

  it('a size that is not a multiple of the chunk size ends exactly at base + size', () => {
    const ram = new Ram(RAM_BASE, 3 * PAGE_SIZE);
    expect(ram.page(RAM_BASE + 2 * PAGE_SIZE)).toBeDefined();
    expect(ram.page(RAM_BASE + 3 * PAGE_SIZE)).toBeUndefined();
    expect(ram.allocatedBytes).toBe(3 * PAGE_SIZE);
  });

  it('returns undefined outside RAM', () => {
    const ram = new Ram(RAM_BASE, 1 * MiB);
    expect(ram.page(RAM_BASE - 1)).toBeUndefined();
    expect(ram.page(RAM_BASE + MiB)).toBeUndefined();
    expect(ram.page(0)).toBeUndefined();
    expect(ram.allocatedBytes).toBe(0);
  });

  it('loading drops code decoded from the old contents', () => {
    const ram = new Ram(RAM_BASE, 1 * MiB);
    const p = ram.page(RAM_BASE)!;
    p.decoded = [];
    ram.load(RAM_BASE + 8, new Uint8Array(4));
    expect(p.decoded).toBeNull();
  });

  it('rejects a base or size that is not page-aligned', () => {
    expect(() => new Ram(RAM_BASE + 1, MiB)).toThrow(/base/);
    expect(() => new Ram(RAM_BASE, MiB + 1)).toThrow(/size/);
    expect(() => new Ram(RAM_BASE, 0)).toThrow(/size/);
  });
});

describe('PhysicalBus', () => {
  const ram = new Ram(RAM_BASE, 128 * MiB);
  const uart = new Pl011(() => {});
  const gicd = fakeDevice('gicd', 0x0800_0000, 0x1_0000);
  const bus = new PhysicalBus(ram, [uart, gicd]);

  it('resolves RAM to its page', () => {
    const t = bus.resolve(RAM_BASE + 0x12345);
    expect(t && 'page' in t && t.page).toBe(ram.page(RAM_BASE + 0x12000));
  });

  it('resolves a device register to the device and the offset into it', () => {
    expect(bus.resolve(0x0900_0018)).toEqual({ device: uart, offset: 0x18 });
    expect(bus.resolve(0x0900_0fff)).toEqual({ device: uart, offset: 0xfff });
    expect(bus.resolve(0x0800_0000)).toEqual({ device: gicd, offset: 0 });
  });

  it('resolves a hole to undefined', () => {
    expect(bus.resolve(0x0900_1000)).toBeUndefined();
    expect(bus.resolve(0x08ff_ffff)).toBeUndefined();
    expect(bus.resolve(0)).toBeUndefined();
    expect(bus.resolve(RAM_BASE + 128 * MiB)).toBeUndefined();
    expect(bus.resolve(2 ** 48 - 1)).toBeUndefined();
  });

  it('loads an image into RAM', () => {
    bus.loadImage(RAM_BASE + 0x8_0000, new Uint8Array([0x1f, 0x20, 0x03, 0xd5]));
    expect(ram.page(RAM_BASE + 0x8_0000)!.view.getUint32(0, true)).toBe(0xd503201f);
  });

  it('refuses an image outside RAM, naming both ranges', () => {
    expect(() => bus.loadImage(0x3fff_fff0, new Uint8Array(0x20))).toThrow(
      'cannot load [0x3ffffff0, 0x40000010): outside RAM [0x40000000, 0x48000000)',
    );
    expect(() => bus.loadImage(RAM_BASE + 128 * MiB - 2, new Uint8Array(4))).toThrow(/\[0x47fffffe, 0x48000002\)/);
    expect(() => bus.loadImage(0x0900_0000, new Uint8Array(1))).toThrow(/outside RAM/);
  });

  it('refuses devices that overlap each other, naming both', () => {
    expect(() => new PhysicalBus(ram, [fakeDevice('a', 0x1000, 0x1000), fakeDevice('b', 0x1800, 0x1000)])).toThrow(
      'b [0x1800, 0x2800) overlaps a [0x1000, 0x2000)',
    );
    // A small device wholly inside a big one.
    expect(() => new PhysicalBus(ram, [fakeDevice('big', 0, 0x10000), fakeDevice('c', 0x20000, 4), fakeDevice('small', 0x4000, 4)])).toThrow(
      /small .* overlaps big/,
    );
  });

  it('refuses a device that overlaps RAM, naming both', () => {
    expect(() => new PhysicalBus(ram, [fakeDevice('late', RAM_BASE + 128 * MiB - 4, 8)])).toThrow(
      'late [0x47fffffc, 0x48000004) overlaps RAM [0x40000000, 0x48000000)',
    );
    expect(() => new PhysicalBus(ram, [fakeDevice('early', RAM_BASE - 4, 8)])).toThrow(/RAM .* overlaps early/);
  });

  it('accepts devices that touch each other and RAM', () => {
    expect(() => new PhysicalBus(ram, [fakeDevice('a', RAM_BASE - 0x1000, 0x1000), fakeDevice('b', RAM_BASE - 0x2000, 0x1000)])).not.toThrow();
  });
});
