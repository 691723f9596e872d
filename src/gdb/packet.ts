// GDB's remote serial protocol framing: `$payload#cc` packets with a modulo-256
// checksum, `+`/`-` acknowledgements, the interrupt byte 0x03, and the binary
// escape (`}` then the byte XOR 0x20). Payloads are held as latin1 strings, so
// binary data (the X packet) passes through unchanged.

/** What arrives from the debugger. */
export type Incoming =
  | { kind: 'packet'; data: string }
  /** A packet whose checksum does not match (answered with `-`). */
  | { kind: 'corrupt'; data: string }
  | { kind: 'interrupt' }
  | { kind: 'ack' }
  | { kind: 'nak' };

export function checksum(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum + s.charCodeAt(i)) & 0xff;
  return sum;
}

/** Escapes the bytes the protocol reserves ($, #, } and *) in a payload. */
export function escapeBinary(s: string): string {
  return s.replace(/[$#}*]/g, (ch) => '}' + String.fromCharCode(ch.charCodeAt(0) ^ 0x20));
}

export function unescapeBinary(s: string): string {
  if (!s.includes('}')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '}' && i + 1 < s.length) out += String.fromCharCode(s.charCodeAt(++i) ^ 0x20);
    else out += s[i];
  }
  return out;
}

/** `$payload#cc` for a payload (already escaped where it carries binary data). */
export function frame(payload: string): string {
  return `$${payload}#${checksum(payload).toString(16).padStart(2, '0')}`;
}

/** Longest packet accepted before the reader gives up on it (a runaway or garbage stream). */
const MAX_PACKET = 1 << 20;

/** Splits the byte stream from the debugger into packets, interrupts and acknowledgements. */
export class PacketReader {
  private buf = '';

  push(bytes: Uint8Array): void {
    this.buf += Buffer.from(bytes).toString('latin1');
  }

  /** The next complete item, or undefined until more bytes arrive. Garbage between packets is skipped. */
  next(): Incoming | undefined {
    for (;;) {
      if (this.buf.length === 0) return undefined;
      const ch = this.buf[0];
      if (ch === '\x03') { this.buf = this.buf.slice(1); return { kind: 'interrupt' }; }
      if (ch === '+') { this.buf = this.buf.slice(1); return { kind: 'ack' }; }
      if (ch === '-') { this.buf = this.buf.slice(1); return { kind: 'nak' }; }
      if (ch !== '$') {
        // skip to the next byte that can start something
        const i = this.buf.search(/[$+\-\x03]/);
        this.buf = i < 0 ? '' : this.buf.slice(i);
        continue;
      }
      const hash = this.buf.indexOf('#');
      if (hash < 0) {
        if (this.buf.length > MAX_PACKET) this.buf = '';
        return undefined;
      }
      if (this.buf.length < hash + 3) return undefined;
      const body = this.buf.slice(1, hash);
      const sum = this.buf.slice(hash + 1, hash + 3);
      this.buf = this.buf.slice(hash + 3);
      // a `$` inside the body means the packet was cut short: resynchronise on it
      const restart = body.lastIndexOf('$');
      if (restart >= 0) return { kind: 'corrupt', data: body.slice(restart + 1) };
      const data = unescapeBinary(body);
      if (!/^[0-9a-fA-F]{2}$/.test(sum) || parseInt(sum, 16) !== checksum(body)) return { kind: 'corrupt', data };
      return { kind: 'packet', data };
    }
  }
}

// --- hex helpers ---

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export function fromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** A little-endian register value of `bits` as hex (what g and p carry). */
export function regHex(v: bigint, bits: number): string {
  const b = new Uint8Array(bits / 8);
  for (let i = 0; i < b.length; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return toHex(b);
}

export function regFromHex(s: string): bigint | undefined {
  const b = fromHex(s);
  if (!b || b.length === 0 || b.length > 8) return undefined;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** A hex number of the protocol (addresses, lengths), or undefined. */
export function parseHexNum(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^[0-9a-fA-F]{1,16}$/.test(s)) return undefined;
  return BigInt('0x' + s);
}
