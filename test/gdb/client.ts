// A small client of GDB's remote serial protocol for the stub's tests, and a
// way to start el2sim with --gdb in a child process (the stub blocks the
// simulator's thread while stopped, so the client must live elsewhere).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { checksum } from '../../src/gdb/packet.js';

export class RspClient {
  private buf = '';
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Console output the stub sent in O packets (monitor replies). */
  output = '';

  private constructor(private readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d) => { this.buf += d.toString('latin1'); this.wake(); });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => { this.closed = true; this.wake(); });
  }

  static connect(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RspClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer from the stub in ${timeoutMs} ms (have: ${JSON.stringify(this.buf.slice(0, 200))})`)), timeoutMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Sends raw bytes (malformed packets, the interrupt byte). */
  raw(text: string): void {
    this.sock.write(Buffer.from(text, 'latin1'));
  }

  sendPacket(payload: string): void {
    this.raw(`$${payload}#${checksum(payload).toString(16).padStart(2, '0')}`);
  }

  /** The next packet's payload (acks skipped, O packets collected into `output`), checksum verified. */
  async nextPacket(timeoutMs = 30_000): Promise<string> {
    for (;;) {
      this.buf = this.buf.replace(/^[+-]+/, '');
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        if (parseInt(m[2]!, 16) !== checksum(m[1]!)) throw new Error(`bad checksum on ${m[0]}`);
        this.raw('+');
        if (m[1]!.startsWith('O') && m[1] !== 'OK') { this.output += Buffer.from(m[1]!.slice(1), 'hex').toString('latin1'); continue; }
        return m[1]!;
      }
      if (this.closed) throw new Error('connection closed');
      await this.wait(timeoutMs);
    }
  }

  async request(payload: string, timeoutMs?: number): Promise<string> {
    this.sendPacket(payload);
    return this.nextPacket(timeoutMs);
  }

  async monitor(cmd: string): Promise<string> {
    this.output = '';
    const r = await this.request('qRcmd,' + Buffer.from(cmd).toString('hex'));
    if (r !== 'OK') throw new Error(`monitor ${cmd}: ${r}`);
    return this.output;
  }

  /** Resolves when the stub closes the connection. */
  async closedByPeer(timeoutMs = 30_000): Promise<void> {
    while (!this.closed) await this.wait(timeoutMs);
  }

  close(): void {
    this.sock.destroy();
  }
}

export interface El2simProcess {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Exit status once the process ends. */
  exited: Promise<number | null>;
}

/** Starts `el2sim ARGS --gdb 0` and resolves once the stub listens (its port read from stderr). */
export function startEl2sim(args: string[]): Promise<El2simProcess> {
  const child = spawn('node', ['bin/el2sim.js', ...args, '--gdb', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`el2sim did not start its stub: ${err}`)), 60_000);
    child.stdout!.on('data', (d) => { out += d.toString(); });
    child.stderr!.on('data', (d) => {
      err += d.toString();
      const m = /gdb stub listening on [^:\s]+:(\d+)/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve({ child, port: Number(m[1]), stdout: () => out, stderr: () => err, exited });
      }
    });
    child.on('exit', () => reject(new Error(`el2sim exited before listening: ${err}`)));
  });
}
