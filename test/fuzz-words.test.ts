// Any 32-bit word, executed at EL0 with random registers, either runs or
// raises an architectural exception: never a JS exception, never a hang.
import { describe, expect, it } from 'vitest';
import { Cpu } from '../src/core/cpu.js';
import { makeDecoder } from '../src/core/decode.js';
import { ArchException, EC } from '../src/core/exception.js';
import { UserSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../src/user/address-space.js';
import { disassemble } from '../src/asm/disasm.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

describe('random words', () => {
  it('execute or raise an architectural exception', () => {
    const rand = rng(12345);
    const decoder = makeDecoder({});
    const outcomes = new Map<string, number>();
    for (let n = 0; n < 20000; n++) {
      const space = new UserSpace();
      space.mapZero(0x10000, 0x1000, PROT_READ | PROT_EXEC);
      space.mapZero(0x20000, 0x1000, PROT_READ | PROT_WRITE);
      const w = rand();
      space.poke(0x10000, new Uint8Array(new Uint32Array([w]).buffer));
      const cpu = new Cpu(space, decoder);
      space.onChange = () => cpu.flushHostTlb();
      for (let r = 0; r < 31; r++) cpu.r[r] = rand() & 1 ? 0x20000n + BigInt(rand() & 0xff8) : (BigInt(rand()) << 32n) | BigInt(rand());
      cpu.sp = 0x20800n;
      cpu.pc = 0x10000;
      let outcome = 'ran';
      try {
        cpu.run(1, (e) => { outcome = `EC 0x${e.ec.toString(16)}`; cpu.stopped = true; });
      } catch (e) {
        throw new Error(`word 0x${w.toString(16)} (${disassemble(w)}) threw ${(e as Error).stack}`);
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // disassembly of any word is total too
      expect(typeof disassemble(w)).toBe('string');
    }
    // most random words are unallocated (UNDEFINED); some run
    expect(outcomes.get(`EC 0x${EC.UNKNOWN.toString(16)}`)).toBeGreaterThan(1000);
    expect(outcomes.get('ran') ?? 0).toBeGreaterThan(100);
    void ArchException;
  });
});
