// A GDB session on a running machine: the packets of the remote serial
// protocol, breakpoints, watchpoints, stepping and stops. The machine calls
// `before` ahead of instructions (src/machine/debug-run.ts); a stop serves the
// debugger's packets right there, the machine's state exactly as execution
// left it, and returns to let the instruction run.
import { TRANSLATION_CONTROLS } from '../generated/sysregs.js';
import type { Cpu, Exec } from '../core/cpu.js';
import type { Machine, RunResult } from '../machine/machine.js';
import { DebugKill, DebugRunner, Redirect, type InstructionCheck } from '../machine/debug-run.js';
import { DebugMemory, type View } from './memory.js';
import { monitor, type MonitorContext } from './monitor.js';
import { PacketReader, escapeBinary, frame, fromHex, parseHexNum, regFromHex, regHex, toHex } from './packet.js';
import { CPSR_REGNUM, PC_REGNUM, registerFile, type GdbRegister } from './registers.js';
import { targetXml } from './target-xml.js';
import type { GdbLink, LinkEvent } from './transport.js';
import { dataAccesses, isMemoryInstruction } from './watch.js';

/** Instructions between two looks at the connection while nothing is armed (Ctrl-C latency). */
const POLL_INTERVAL = 1 << 16;
/** While checking every instruction: checks between two looks at the connection. */
const POLL_ARMED = 1 << 12;

const SIGINT = 2, SIGTRAP = 5;

type StopWhy = { signal: number; extra?: string };
type WatchKind = 'write' | 'read' | 'access';
interface Watch { kind: WatchKind; va: bigint; len: number; pieces: { pa: number; n: number; va: bigint }[] }
type Action = { resume: 'continue' | 'step' } | { detach: true } | { kill: true };

const hex = (v: bigint | number) => BigInt.asUintN(64, BigInt(v)).toString(16);

export interface SessionOptions {
  /** Stop before the first instruction and wait for the debugger (--gdb-wait). */
  wait: boolean;
  /** Where el2sim reports what it does (stderr, "el2sim:" prefixed). */
  log?: (msg: string) => void;
}

export class GdbSession implements InstructionCheck {
  readonly runner: DebugRunner;
  private readonly reader = new PacketReader();
  private readonly regs: GdbRegister[];
  private readonly xml: string;
  private mem: DebugMemory | undefined;
  private connected = false;
  private noAck = false;
  /** QStartNoAckMode was accepted: acknowledgements stop after its reply. */
  private enterNoAck = false;
  /** GDB waits for a stop reply (the machine runs on its behalf). */
  private running = false;
  private stepping = false;
  /** The next check is the instruction execution resumes at after a redirect: it runs. */
  private resumeHere = false;
  /** A stop requested by the connection (Ctrl-C, a new debugger). */
  private stopRequest: StopWhy | undefined;
  private lastStop: StopWhy = { signal: SIGTRAP };
  private lastReply = '';
  private readonly breakpoints = new Map<number, 'sw' | 'hw'>();
  private readonly watches: Watch[] = [];
  private ctx: MonitorContext | undefined;
  private pollCountdown = POLL_ARMED;
  private killed = false;

  constructor(private readonly link: GdbLink, private readonly opts: SessionOptions) {
    this.runner = new DebugRunner(this);
    this.regs = registerFile((name) => this.sysWritten(name));
    this.xml = targetXml(this.regs);
    if (opts.wait) this.stopRequest = { signal: SIGTRAP };
    this.rearm();
  }

  /** The machine the session debugs (before it runs). */
  attach(m: Machine): void {
    this.mem = new DebugMemory(m);
    this.ctx = { machine: m, memory: this.mem, view: 'current', breakEl: undefined };
  }

  // --- the per-instruction check ---

  before(c: Cpu, w: number, exec: Exec): void {
    if (this.resumeHere) { this.resumeHere = false; this.rearm(); return; }
    if (--this.pollCountdown <= 0 || this.runner.interval > 1) {
      this.pollCountdown = POLL_ARMED;
      this.pollLink();
    }
    let why: StopWhy | undefined = this.stopRequest;
    if (!why && this.stepping) why = { signal: SIGTRAP };
    if (!why && this.breakpoints.size > 0) {
      const bp = this.breakpoints.get(c.pc);
      if (bp && (this.ctx!.breakEl === undefined || this.ctx!.breakEl === c.el)) why = { signal: SIGTRAP, extra: bp === 'sw' ? 'swbreak:;' : 'hwbreak:;' };
    }
    if (!why && this.watches.length > 0 && isMemoryInstruction(w)) why = this.watchHit(c, exec);
    if (why) this.stop(c, why, w, exec);
  }

  ended(r: RunResult): void {
    if (this.connected && this.running && !this.killed) {
      const code = r.reason === 'poweroff' || r.reason === 'reset' ? 0 : r.reason === 'limit' ? 124 : 126;
      this.send(`W${code.toString(16).padStart(2, '0')}`);
      // gdb closes the connection once the inferior exited; give it the moment it needs
      for (let ev = this.link.next(2000); ev && ev.kind !== 'close'; ev = this.link.next(2000)) { /* drain */ }
    }
    this.link.close();
  }

  // --- stops ---

  private stop(c: Cpu, why: StopWhy, w: number, exec: Exec): void {
    this.stepping = false;
    const pc = c.pc, el = c.el, spsel = c.spsel;
    while (!this.connected) {
      this.opts.log?.(`waiting for gdb on ${this.link.host}:${this.link.listenPort} (target remote ${this.link.host}:${this.link.listenPort})`);
      this.event(this.link.next());
    }
    for (let stopAgain: StopWhy | undefined = why; stopAgain; ) {
      this.stopRequest = undefined; // a debugger connecting now finds the machine stopped already
      this.lastStop = stopAgain;
      if (this.running) this.send(this.stopReply(stopAgain));
      this.running = false;
      const action = this.serve(c);
      if ('kill' in action) {
        this.killed = true;
        throw new DebugKill('killed by the debugger');
      }
      if ('detach' in action) {
        this.breakpoints.clear();
        this.watches.length = 0;
        break;
      }
      this.running = true;
      this.stepping = action.resume === 'step';
      // a watchpoint inserted while stopped at the access it watches fires on it, as Arm's does
      // (gdb steps over a watchpoint it stopped at by removing it first)
      stopAgain = c.pc === pc && this.watches.length > 0 && isMemoryInstruction(w) ? this.watchHit(c, exec) : undefined;
    }
    this.rearm();
    if (c.pc !== pc || c.el !== el || c.spsel !== spsel) {
      // PC or PSTATE written: the block in progress cannot go on; restart at the new PC
      this.resumeHere = true;
      throw new Redirect(c.pc);
    }
  }

  /** Checks every instruction while anything is armed, else polls the connection now and then. */
  private rearm(): void {
    const armed = this.stepping || this.breakpoints.size > 0 || this.watches.length > 0 || this.stopRequest !== undefined || this.resumeHere;
    this.runner.interval = armed ? 1 : POLL_INTERVAL;
    this.runner.armNext();
  }

  private stopReply(why: StopWhy): string {
    return `T${why.signal.toString(16).padStart(2, '0')}thread:01;${why.extra ?? ''}`;
  }

  private watchHit(c: Cpu, exec: Exec): StopWhy | undefined {
    for (const a of dataAccesses(c, exec)) {
      for (let off = 0; off < a.size; ) {
        const va = BigInt.asUintN(64, BigInt(a.va + off));
        const t = this.mem!.translate(va, 'current', c.el as 0 | 1 | 2);
        const inPage = Math.min(a.size - off, 4096 - Number(va % 4096n));
        if ('pa' in t) {
          for (const w of this.watches) {
            if (w.kind === 'write' && !a.write) continue;
            if (w.kind === 'read' && a.write) continue;
            for (const p of w.pieces) {
              const lo = Math.max(p.pa, t.pa), hi = Math.min(p.pa + p.n, t.pa + inPage);
              if (lo < hi) {
                const tag = w.kind === 'write' ? 'watch' : w.kind === 'read' ? 'rwatch' : 'awatch';
                return { signal: SIGTRAP, extra: `${tag}:${hex(p.va + BigInt(lo - p.pa))};` };
              }
            }
          }
        }
        off += inPage;
      }
    }
    return undefined;
  }

  // --- the connection ---

  private pollLink(): void {
    for (let ev = this.link.poll(); ev; ev = this.link.poll()) this.event(ev);
    // while gdb waits for a stop reply, only an interrupt makes sense (a debugger that just
    // connected finds the machine stopping: its first packets are served then)
    if (this.running) {
      for (let item = this.reader.next(); item; item = this.reader.next()) {
        if (item.kind === 'interrupt') this.stopRequest = { signal: SIGINT };
      }
    }
    if (this.stopRequest) this.runner.interval = 1;
  }

  private event(ev: LinkEvent | undefined): void {
    if (!ev) return;
    switch (ev.kind) {
      case 'connect':
        this.connected = true;
        this.noAck = false;
        this.running = false;
        this.opts.log?.(`gdb connected from ${ev.peer}`);
        this.stopRequest ??= { signal: SIGTRAP }; // a debugger that attaches finds the machine stopped
        this.runner.interval = 1;
        this.runner.armNext();
        return;
      case 'data':
        this.reader.push(ev.bytes);
        return;
      case 'close':
        this.disconnected();
        return;
      case 'error': case 'listening':
        return;
    }
  }

  private disconnected(): void {
    if (!this.connected) return;
    this.connected = false;
    this.running = false;
    this.stepping = false;
    this.breakpoints.clear();
    this.watches.length = 0;
    this.stopRequest = undefined;
    this.opts.log?.('gdb disconnected; the run goes on');
    this.rearm();
  }

  private send(payload: string): void {
    this.lastReply = payload;
    this.link.send(frame(payload));
  }

  /** Serves packets until one resumes, detaches or kills (a disconnect detaches). */
  private serve(c: Cpu): Action {
    for (;;) {
      const item = this.reader.next();
      if (!item) {
        if (!this.connected) return { detach: true };
        this.event(this.link.next());
        if (!this.connected) return { detach: true };
        continue;
      }
      switch (item.kind) {
        case 'ack': case 'interrupt': continue;
        case 'nak': if (this.lastReply) this.link.send(frame(this.lastReply)); continue;
        case 'corrupt': if (!this.noAck) this.link.send('-'); continue;
      }
      if (!this.noAck) this.link.send('+');
      let out: string | Action;
      try {
        out = this.packet(item.data, c);
      } catch (e) {
        if (e instanceof DebugKill || e instanceof Redirect) throw e;
        out = 'E01'; // a bug in a command must not take the run down
      }
      if (typeof out === 'string') {
        this.send(out);
        if (this.enterNoAck) { this.noAck = true; this.enterNoAck = false; }
        continue;
      }
      if ('detach' in out) { this.send('OK'); this.link.drop(); this.connected = false; this.opts.log?.('gdb detached; the run goes on'); }
      return out;
    }
  }

  // --- packets ---

  private packet(p: string, c: Cpu): string | Action {
    const head = p[0];
    switch (head) {
      case '?': return this.stopReply(this.lastStop);
      case 'g': return this.regs.filter((r) => r.feature === 'core').map((r) => regHex(r.read(c), r.bits)).join('');
      case 'G': return this.writeAll(p.slice(1), c);
      case 'p': {
        const n = parseHexNum(p.slice(1));
        const r = n === undefined ? undefined : this.regs[Number(n)];
        return r ? regHex(r.read(c), r.bits) : 'E00';
      }
      case 'P': {
        const [ns, vs] = p.slice(1).split('=');
        const n = parseHexNum(ns);
        const r = n === undefined ? undefined : this.regs[Number(n)];
        const v = vs === undefined ? undefined : regFromHex(vs);
        if (!r || v === undefined) return 'E00';
        if (!r.write) return 'E01';
        r.write(c, v);
        return 'OK';
      }
      case 'm': return this.readMemory(p.slice(1));
      case 'M': case 'X': return this.writeMemory(p, head);
      case 'c': case 's': case 'C': case 'S': {
        const addr = head === 'c' || head === 's' ? p.slice(1) : p.slice(1).split(';')[1];
        if (addr) {
          const a = parseHexNum(addr);
          if (a === undefined) return 'E00';
          c.pc = Number(BigInt.asIntN(64, a));
        }
        return { resume: head === 'c' || head === 'C' ? 'continue' : 'step' };
      }
      case 'v': return this.vPacket(p);
      case 'Z': case 'z': return this.breakpoint(p);
      case 'D': return { detach: true };
      case 'k': return { kill: true };
      case 'H': case 'T': return 'OK';
      case 'q': case 'Q': return this.query(p);
      default: return '';
    }
  }

  private writeAll(h: string, c: Cpu): string {
    let off = 0;
    for (const r of this.regs.filter((x) => x.feature === 'core')) {
      const len = r.bits / 4;
      if (off + len > h.length) break;
      const v = regFromHex(h.slice(off, off + len));
      if (v === undefined) return 'E00';
      // 'x' digits mean "unavailable": leave the register as it is
      if (!h.slice(off, off + len).includes('x')) r.write!(c, v);
      off += len;
    }
    return 'OK';
  }

  private readMemory(args: string): string {
    const [as, ls] = args.split(',');
    const addr = parseHexNum(as), len = parseHexNum(ls);
    if (addr === undefined || len === undefined || len > 0x10000n) return 'E01';
    if (len === 0n) return '';
    const bytes = this.mem!.read(addr, Number(len), this.ctx!.view);
    return bytes.length === 0 ? 'E14' : toHex(bytes);
  }

  private writeMemory(p: string, kind: 'M' | 'X'): string {
    const colon = p.indexOf(':');
    if (colon < 0) return 'E01';
    const [as, ls] = p.slice(1, colon).split(',');
    const addr = parseHexNum(as), len = parseHexNum(ls);
    if (addr === undefined || len === undefined) return 'E01';
    const data = p.slice(colon + 1);
    const bytes = kind === 'M' ? fromHex(data) : Uint8Array.from(Buffer.from(data, 'latin1'));
    if (!bytes || bytes.length !== Number(len)) return 'E01';
    if (bytes.length === 0) return 'OK';
    return this.mem!.write(addr, bytes, this.ctx!.view) ? 'OK' : 'E14';
  }

  private vPacket(p: string): string | Action {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // all-stop, one thread: the first action for thread 1 (or for all threads) decides
      for (const a of p.slice(6).split(';')) {
        const [act, thread] = a.split(':');
        if (thread !== undefined && thread !== '1' && thread !== '01' && thread !== '-1' && thread !== 'p1.1') continue;
        if (act === 'c' || act?.[0] === 'C') return { resume: 'continue' };
        if (act === 's' || act?.[0] === 'S') return { resume: 'step' };
      }
      return 'E01';
    }
    if (p.startsWith('vKill')) return { kill: true };
    return ''; // vMustReplyEmpty, vFile, …: not supported
  }

  private breakpoint(p: string): string {
    const insert = p[0] === 'Z';
    const [type, as, ks] = p.slice(1).split(',');
    const addr = parseHexNum(as), kind = parseHexNum(ks?.split(';')[0]);
    if (addr === undefined || kind === undefined) return 'E01';
    if (type === '0' || type === '1') {
      const pc = Number(BigInt.asIntN(64, addr));
      if (insert) this.breakpoints.set(pc, type === '0' ? 'sw' : 'hw');
      else this.breakpoints.delete(pc);
      this.rearm();
      return 'OK';
    }
    const wk: WatchKind | undefined = type === '2' ? 'write' : type === '3' ? 'read' : type === '4' ? 'access' : undefined;
    if (!wk) return '';
    const len = Number(kind);
    if (!insert) {
      const i = this.watches.findIndex((w) => w.kind === wk && w.va === addr && w.len === len);
      if (i >= 0) this.watches.splice(i, 1);
      this.rearm();
      return 'OK';
    }
    if (len <= 0 || len > 4096) return 'E01';
    // the watch is on the physical bytes the VA maps to now, in the current view
    const pieces: Watch['pieces'] = [];
    for (let off = 0; off < len; ) {
      const va = BigInt.asUintN(64, addr + BigInt(off));
      const t = this.mem!.translate(va, this.ctx!.view);
      if ('fault' in t) return 'E14';
      const n = Math.min(len - off, 4096 - Number(va % 4096n));
      pieces.push({ pa: t.pa, n, va });
      off += n;
    }
    this.watches.push({ kind: wk, va: addr, len, pieces });
    this.rearm();
    return 'OK';
  }

  private query(p: string): string {
    if (p.startsWith('qSupported')) return 'PacketSize=20000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+';
    if (p === 'QStartNoAckMode') { this.enterNoAck = true; return 'OK'; }
    if (p.startsWith('qXfer:features:read:')) {
      const m = /^qXfer:features:read:([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
      if (!m) return 'E00';
      if (m[1] !== 'target.xml') return 'E00';
      const off = parseInt(m[2]!, 16), len = parseInt(m[3]!, 16);
      const part = this.xml.slice(off, off + len);
      return (off + len >= this.xml.length ? 'l' : 'm') + escapeBinary(part);
    }
    if (p === 'qC') return 'QC01';
    if (p === 'qfThreadInfo') return 'm01';
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qAttached')) return '1';
    if (p.startsWith('qSymbol')) return 'OK';
    if (p.startsWith('qRcmd,')) {
      const cmd = fromHex(p.slice(6));
      if (!cmd) return 'E01';
      const text = monitor(Buffer.from(cmd).toString('latin1'), this.ctx!);
      this.rearm();
      if (text) this.send('O' + toHex(Buffer.from(text, 'latin1')));
      return 'OK';
    }
    return '';
  }

  private sysWritten(name: string): void {
    if (TRANSLATION_CONTROLS.has(name) && this.mem) this.mem.space.translationChanged(name);
  }

  /** The current view (for tests and messages). */
  get view(): View {
    return this.ctx?.view ?? 'current';
  }
}

export { PC_REGNUM, CPSR_REGNUM };
