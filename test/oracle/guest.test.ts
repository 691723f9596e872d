// The guest kernel and every workload, small parameters, on `el2sim boot` and
// on qemu-system-aarch64: the UART output (checksums included) must be the
// same byte for byte. Bad input must end in a clear report and a power-off.
import { describe, expect } from 'vitest';
import { oracleIt } from './tools.js';
import { QEMU_SYSTEM } from './qemu-system.js';
import { bootGuest, bootGuestOnQemu, guestCmdline, withoutStats } from '../helpers/guest.js';

const SUMMARY_OK = 'kernel: all processes exited; init exited with status 0; 0 pages in use; power off\n';

/** The `stat: name=value ...` lines of a run: the figures a workload timed with the cycle counter. */
const STAT_LINE = /^stat:( [a-z_]+=\d+)+$/;
const statNames = (uart: string) => uart.split('\n').filter((l) => l.startsWith('stat: ')).map((l) => l.replace(/=\d+/g, '='));

/**
 * Runs on both machines, checks they agree and powered off; returns el2sim's UART text. The
 * `stat:` lines hold cycle counts, which are QEMU's own: there the same lines must carry the same
 * names, and the rest of the output must be the same byte for byte.
 */
function agree(cmdline: string, el: 1 | 2 = 2): string {
  const e = bootGuest(cmdline, { el });
  expect(e.reason, e.message).toBe('poweroff');
  const q = bootGuestOnQemu(cmdline, { el });
  expect(q.timedOut).toBe(false);
  expect(withoutStats(e.uart)).toBe(withoutStats(q.uart));
  expect(statNames(e.uart)).toEqual(statNames(q.uart));
  for (const l of e.uart.split('\n').filter((x) => x.startsWith('stat:'))) expect(l).toMatch(STAT_LINE);
  return e.uart;
}

describe('guest workloads: el2sim and qemu-system-aarch64 agree', () => {
  const cases: [string, string, RegExp][] = [
    ['gups', '--mib 2 --iters 20000', /^gups: mib=2 iters=20000 seed=1 checksum=0x[0-9a-f]{16}$/m],
    ['ptrchase', '--mib 1 --iters 20000', /^ptrchase: mib=1 iters=20000 seed=1 last=\d+ checksum=0x[0-9a-f]{16}$/m],
    ['stream', '--mib 1 --passes 2', /^stream: mib=1 passes=2 words=43690 checksum=0x[0-9a-f]{16}$/m],
    ['mmapchurn', '--pages 8 --iters 50', /^mmapchurn: pages=8 iters=50 work=0 checksum=0x0000000000002bc0$/m],
    // 300 address spaces: more than the 255 8-bit ASIDs, so a roll-over with its TLB flush
    ['forkwait', '--iters 300 --pages 4', /^forkwait: iters=300 pages=4 checksum=17202$/m],
    ['cowtouch', '--pages 64 --share 50', /^cowtouch: pages=64 share=50 parent=0x[0-9a-f]{16} child=0x[0-9a-f]{2}$/m],
    ['ctxswitch', '--procs 3 --yields 100', /^ctxswitch: procs=3 yields=100 children=3$/m],
    ['crash', '--exec 1', /^hello from hello, pid 2\n {2}argv\[1\] = from-exec\n(hello: .* ok.*\n){3}crash: child exited with status 0$/m],
    ['memlat', '--kib 64 --stride 128 --iters 5000', /^stat: cycles=\d+ loads=5000\nmemlat: kib=64 stride=128 iters=5000 seed=1 nodes=512 last=\d+ checksum=0x[0-9a-f]{16}$/m],
    ['membw', '--kib 32 --op read --passes 2', /^stat: cycles=\d+ bytes=65536\nmembw: kib=32 op=read passes=2 bytes=65536 checksum=0x[0-9a-f]{16}$/m],
    ['membw', '--kib 32 --op write --passes 2', /^stat: cycles=\d+ bytes=65536\nmembw: kib=32 op=write passes=2 bytes=65536 checksum=0x[0-9a-f]{16}$/m],
    ['membw', '--kib 32 --op 2 --passes 2', /^stat: cycles=\d+ bytes=32768\nmembw: kib=32 op=copy passes=2 bytes=32768 checksum=0x[0-9a-f]{16}$/m],
    ['membw', '--kib 32 --op zero --passes 2', /^stat: cycles=\d+ bytes=65536\nmembw: kib=32 op=zero passes=2 bytes=65536 checksum=0x0{16}$/m],
  ];
  for (const [workload, args, line] of cases) {
    oracleIt(`${workload} ${args}`, [QEMU_SYSTEM], () => {
      const uart = agree(guestCmdline(workload, args));
      expect(uart).toMatch(line);
      expect(uart.endsWith(SUMMARY_OK)).toBe(true);
    });
  }
  for (const el of [2, 1] as const) {
    oracleIt(`hello, started at EL${el}`, [QEMU_SYSTEM], () => {
      const uart = agree(guestCmdline('hello', 'a b'), el);
      expect(uart).toBe(
        `kernel: 256 MiB, quantum 100 us, PSCI via ${el === 2 ? 'SMC' : 'HVC'}; running hello a b\n` +
        'hello from hello, pid 1\n  argv[1] = a\n  argv[2] = b\nhello: brk ok, checksum=0x4800\nhello: mprotect ok\nhello: nanosleep ok\n' + SUMMARY_OK);
    });
  }
});

describe('guest: bad input is reported clearly', () => {
  oracleIt('an unknown workload', [QEMU_SYSTEM], () => {
    const uart = agree(guestCmdline('nope'));
    expect(uart).toContain("kernel: unknown workload 'nope'; have: hello gups ptrchase stream mmapchurn forkwait cowtouch ctxswitch crash exitbench memlat membw\n");
    expect(uart).toMatch(/no init to run \(status 127\); power off\n$/);
  });
  oracleIt('bad workload arguments', [QEMU_SYSTEM], () => {
    const uart = agree(guestCmdline('gups', '--mib 0'));
    expect(uart).toContain("gups: bad value '0' for --mib\nusage: gups [--mib N] [--iters N] [--seed N]\n");
    expect(uart).toMatch(/init exited with status 2; 0 pages in use; power off\n$/);
  });
  oracleIt('a bad named choice, and a stride that is no multiple of 8', [QEMU_SYSTEM], () => {
    const uart = agree(guestCmdline('membw', '--op copyy'));
    expect(uart).toContain("membw: bad value 'copyy' for --op\nusage: membw [--kib N] [--op N] [--passes N]\n");
    expect(uart).toContain('  --op N  what to time (0..3, default 0)\n      or by name, from 0: read,write,copy,zero\n');
    expect(uart).toMatch(/init exited with status 2; 0 pages in use; power off\n$/);
    const lat = agree(guestCmdline('memlat', '--kib 4 --stride 12'));
    expect(lat).toContain('memlat: --stride 12 must be a multiple of 8 and at most the working set (4096 bytes)\n');
    expect(lat).toMatch(/init exited with status 2; 0 pages in use; power off\n$/);
  });
  oracleIt('an unknown kernel parameter', [QEMU_SYSTEM], () => {
    const uart = agree('mem=256M bogus=1 -- hello');
    expect(uart).toBe("kernel: bad command line: unknown parameter 'bogus=1'\nkernel: usage: [mem=<MiB>M] [quantum=<us>] -- <workload> [args...]; power off\n");
  });
  oracleIt('a segmentation fault kills the process, not the kernel', [QEMU_SYSTEM], () => {
    const uart = agree(guestCmdline('crash', '--segv 1'));
    expect(uart).toMatch(/^kernel: crash\[2\]: segmentation fault \(read\) at 0x10, pc 0x[0-9a-f]+; killed \(signal 11\)\ncrash: child killed by signal 11\n/m);
    expect(uart.endsWith(SUMMARY_OK)).toBe(true);
  });
  oracleIt('an unsupported syscall is named and kills only its caller', [QEMU_SYSTEM], () => {
    const uart = agree(guestCmdline('crash', '--syscall 160'));
    expect(uart).toMatch(/^kernel: crash\[2\]: unsupported syscall uname \(160\); killed \(signal 31\)\ncrash: child killed by signal 31\n/m);
    expect(uart.endsWith(SUMMARY_OK)).toBe(true);
  });
});
