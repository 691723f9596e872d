// Plain immediates, printed in hex or decimal as objdump prints them for each instruction.
import { defineKind, outOfRange, type OperandCtx } from '../operand.js';
import { parseImm, fits, hex } from './common.js';

function plain(name: string, printer: (v: bigint) => string, doc: string): void {
  defineKind<bigint>(name, {
    doc,
    arity: 1,
    decode: ([v]) => BigInt(v),
    encode: (v, ctx: OperandCtx) => (fits(v, ctx.widths![0]) ? [Number(v)] : outOfRange('immediate value', 0, 2 ** ctx.widths![0] - 1)),
    print: printer,
    parse: parseImm,
  });
}
plain('ImmHex', hex, 'unsigned immediate, printed #0x..');
plain('ImmDec', (v) => `#${v}`, 'unsigned immediate, printed in decimal');
plain('ImmDecBare', (v) => `${v}`, 'unsigned immediate without #, printed in decimal');
plain('ImmHexOpt', (v) => (v === 0n ? '' : hex(v)), 'unsigned immediate that objdump omits when zero (hex)');

/** Add/sub immediate: imm12 with an optional LSL #12. */
defineKind<{ imm: bigint; sh: number }>('AddImm', {
  doc: '12-bit unsigned immediate, optionally shifted left by 12 (", lsl #12")',
  arity: 2,
  decode: ([imm, sh]) => ({ imm: BigInt(imm), sh }),
  encode: (v) => {
    if (v.sh === 0 && fits(v.imm, 12)) return [Number(v.imm), 0];
    if (v.sh === 0 && (v.imm & 0xfffn) === 0n && fits(v.imm >> 12n, 12)) return [Number(v.imm >> 12n), 1];
    if (v.sh === 1 && fits(v.imm, 12)) return [Number(v.imm), 1];
    return v.sh ? outOfRange('immediate value', 0, 4095) : outOfRange('immediate value', 0, 4095, ', or 0x1000 to 0xfff000 in multiples of 0x1000');
  },
  print: (v) => hex(v.imm) + (v.sh ? ', lsl #12' : ''),
  parse: (t, ctx) => {
    const m = /^(.*),lsl#?(\d+)$/i.exec(t);
    if (m && m[2] !== '0' && m[2] !== '12') return undefined;
    const imm = parseImm(m ? m[1] : t, ctx);
    return imm === undefined ? undefined : { imm, sh: m && m[2] === '12' ? 1 : 0 };
  },
});
