// The Linux syscalls a static program needs for output, memory and exit,
// served at EL0's SVC: number in x8, arguments in x0–x5, result in x0
// (negative errno on failure).
import type { Cpu } from '../core/cpu.js';
import { PAGE_SIZE } from '../core/memory.js';
import { UserSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from './address-space.js';
import { syscallName } from './syscall-names.js';
import { EXIT, type ExitReason } from './exit.js';

const ENOMEM = 12, EFAULT = 14, EBADF = 9, EINVAL = 22, ENODEV = 19;
const MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
const MMAP_TOP = 0x7f00_0000_0000;
const PID = 1000;

const pageUp = (n: number) => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

export class Syscalls {
  private brk: number;
  private mmapNext = MMAP_TOP;

  constructor(
    private readonly cpu: Cpu,
    private readonly space: UserSpace,
    private readonly brkBase: number,
    private readonly mhz: number,
    private readonly output: (fd: number, bytes: Uint8Array) => void,
  ) {
    this.brk = brkBase;
  }

  private arg(i: number): bigint { return this.cpu.r[i]; }
  private num(i: number): number { return Number(BigInt.asIntN(64, this.cpu.r[i])); }
  private ret(v: number | bigint): void { this.cpu.r[0] = BigInt.asUintN(64, BigInt(v)); }

  /** Runs syscall `nr`; returns how the process ended if it did. */
  call(nr: number): { exitCode: number; reason: ExitReason; message?: string } | undefined {
    switch (nr) {
      case 64: this.ret(this.write(this.num(0), this.num(1), this.num(2))); return;
      case 66: this.ret(this.writev(this.num(0), this.num(1), this.num(2))); return;
      case 93: case 94: return { exitCode: Number(this.arg(0) & 0xffn), reason: 'exit' };
      case 214: this.ret(this.doBrk(this.num(0))); return;
      case 222: this.ret(this.mmap(this.num(0), this.num(1), this.num(2), this.num(3), this.num(4))); return;
      case 215: this.space.unmap(this.num(0), pageUp(this.num(1))); this.ret(0); return;
      case 226: this.ret(this.space.protect(this.num(0), pageUp(this.num(1)), this.num(2) | PROT_READ) ? 0 : -ENOMEM); return;
      case 172: case 178: case 96: this.ret(PID); return;
      case 160: this.ret(this.uname(this.num(0))); return;
      case 113: this.ret(this.clockGettime(this.num(1))); return;
      default:
        return {
          exitCode: EXIT.UNSUPPORTED_SYSCALL,
          reason: 'unsupported-syscall',
          message: `unsupported syscall ${nr} (${syscallName(nr)}) at pc=0x${this.cpu.pc.toString(16)}`,
        };
    }
  }

  private write(fd: number, buf: number, len: number): number {
    if (fd !== 1 && fd !== 2) return -EBADF;
    if (len === 0) return 0;
    const bytes = this.space.peek(buf, len);
    if (!bytes) return -EFAULT;
    this.output(fd, bytes);
    return len;
  }

  private writev(fd: number, iov: number, cnt: number): number {
    let total = 0;
    for (let i = 0; i < cnt; i++) {
      const e = this.space.peek(iov + 16 * i, 16);
      if (!e) return -EFAULT;
      const v = new DataView(e.buffer);
      const r = this.write(fd, Number(v.getBigUint64(0, true)), Number(v.getBigUint64(8, true)));
      if (r < 0) return r;
      total += r;
    }
    return total;
  }

  private doBrk(addr: number): number {
    if (addr <= this.brkBase) return this.brk;
    const oldTop = pageUp(this.brk), newTop = pageUp(addr);
    if (newTop > oldTop) {
      for (let a = oldTop; a < newTop; a += PAGE_SIZE) if (this.space.isMapped(a)) return this.brk;
      this.space.mapZero(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE);
    } else if (newTop < oldTop) {
      this.space.unmap(newTop, oldTop - newTop);
    }
    this.brk = addr;
    return addr;
  }

  private mmap(addr: number, len: number, prot: number, flags: number, fd: number): number {
    if (len <= 0) return -EINVAL;
    if (!(flags & MAP_ANONYMOUS)) return fd < 0 ? -EBADF : -ENODEV;
    const size = pageUp(len);
    let at: number;
    if (flags & MAP_FIXED) {
      if (addr % PAGE_SIZE) return -EINVAL;
      at = addr;
    } else {
      this.mmapNext -= size;
      at = this.mmapNext;
    }
    this.space.mapZero(at, size, (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) | PROT_READ);
    return at;
  }

  private uname(buf: number): number {
    const fields = ['Linux', 'el2sim', '6.1.0', '#1 SMP el2sim', 'aarch64', '(none)'];
    const out = new Uint8Array(65 * 6);
    fields.forEach((f, i) => out.set(new TextEncoder().encode(f), 65 * i));
    if (!this.space.peek(buf, out.length)) return -EFAULT;
    this.space.poke(buf, out);
    return 0;
  }

  /** Time is the model's: cycles at the core's frequency, so a run's output does not depend on the host. */
  private clockGettime(tp: number): number {
    const ns = BigInt(Math.floor((this.cpu.cycles * 1000) / this.mhz));
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, ns / 1_000_000_000n, true);
    v.setBigUint64(8, ns % 1_000_000_000n, true);
    if (!this.space.peek(tp, 16)) return -EFAULT;
    this.space.poke(tp, out);
    return 0;
  }
}
