// `el2sim exec`, `asm`, `disasm` and `spec list` end to end through the CLI
// entry point: exit statuses, guest output untouched on stdout, el2sim's own
// messages on stderr, stats, and clear errors for bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'el2sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function el2sim(...args: string[]) {
  const r = spawnSync('node', ['bin/el2sim.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function program(name: string, body: string): string {
  const src = join(dir, `${name}.S`);
  writeFileSync(src, `.text\n.global _start\n_start:\n${body}\n`);
  const elf = join(dir, name);
  const r = el2sim('asm', src, '-o', elf);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return elf;
}

const EXIT = (code: number) => `    mov x0, #${code}\n    mov x8, #93\n    svc #0`;

describe('el2sim exec', () => {
  it('passes guest output through and returns the guest exit status', () => {
    const r = el2sim('exec', program('hello', `    mov x0, #1\n    adr x1, msg\n    mov x2, #6\n    mov x8, #64\n    svc #0\n${EXIT(3)}\nmsg: .ascii "hi\\tyo\\n"`));
    expect(r.stdout).toBe('hi\tyo\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });

  it('lays out argc and argv as Linux does', () => {
    // print argv[2] (a NUL-terminated string of known length 5) and exit with argc
    const elf = program('args', `    ldr x9, [sp]\n    ldr x1, [sp, #24]\n    mov x0, #1\n    mov x2, #5\n    mov x8, #64\n    svc #0\n    mov x0, x9\n    mov x8, #93\n    svc #0`);
    const r = el2sim('exec', elf, 'one', 'two--', '--max-insns');
    expect(r.stdout).toBe('two--');
    expect(r.status).toBe(4);
  });

  it('reports an unsupported syscall by number and name and exits non-zero', () => {
    const r = el2sim('exec', program('openat', `    mov x8, #56\n    svc #0\n${EXIT(0)}`));
    expect(r.stderr).toMatch(/unsupported syscall 56 \(openat\)/);
    expect(r.status).toBe(125);
  });

  it('kills a guest that executes an unallocated word with SIGILL', () => {
    const r = el2sim('exec', program('undef', `    .word 0x00000000\n${EXIT(0)}`));
    expect(r.stderr).toMatch(/SIGILL: UNDEFINED instruction at pc=0x400000/);
    expect(r.status).toBe(132);
  });

  it('kills a guest that loads from an unmapped address with SIGSEGV, naming the address', () => {
    const r = el2sim('exec', program('segv', `    mov x1, #0x1000\n    ldr x0, [x1, #8]\n${EXIT(0)}`));
    expect(r.stderr).toMatch(/SIGSEGV: data abort on read \(translation fault, level 3\) at pc=0x400004, far=0x1008/);
    expect(r.status).toBe(139);
  });

  it('bounds a run with --max-insns and writes stats', () => {
    const stats = join(dir, 'stats.json');
    const r = el2sim('exec', '--max-insns', '1000', '--stats', stats, program('spin', '1:  b 1b'));
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/instruction limit reached \(1000\)/);
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    expect(s.instructions).toBe(1000);
    expect(s.cycles).toBe(1000); // one branch-class cycle each on cortex-a57
    expect(s.exit).toEqual({ code: 124, reason: 'limit' });
    expect(s.cyclesBy).toEqual({ execute: 1000, exception: 0 });
  });

  it('charges each syscall exception entry and return', () => {
    const stats = join(dir, 'stats-svc.json');
    // getpid twice, then exit: 3 SVCs on cortex-a57 (entry 30 + eret 20 each)
    el2sim('exec', '--stats', stats, program('svcs', `    mov x8, #172\n    svc #0\n    svc #0\n${EXIT(0)}`));
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    expect(s.instructions).toBe(6);
    expect(s.cyclesBy).toEqual({ execute: 6, exception: 150 });
    expect(s.cycles).toBe(156);
  });

  it('honours --timing and --set in the cycle count', () => {
    const stats = join(dir, 'stats2.json');
    el2sim('exec', '--max-insns', '100', '--stats', stats, '--set', 'classes.branch=3', program('spin2', '1:  b 1b'));
    expect(JSON.parse(readFileSync(stats, 'utf8')).cycles).toBe(300);
    const bad = el2sim('exec', '--set', 'classes.nope=3', program('spin3', '1:  b 1b'));
    expect(bad.stderr).toMatch(/no setting 'classes.nope'/);
    expect(bad.status).toBe(2);
  });

  it('lets EL0 read the virtual counter and its frequency, as Linux does', () => {
    // exit status: CNTFRQ_EL0 / 1,000,000 (62.5 MHz) if CNTVCT_EL0 counted forward across a loop
    const body = ['    mrs x1, cntvct_el0', '    mov x3, #1000', '1:  subs x3, x3, #1', '    b.ne 1b', '    mrs x2, cntvct_el0',
      '    cmp x2, x1', '    b.ls 9f', '    mrs x0, cntfrq_el0', '    ldr x4, =1000000', '    udiv x0, x0, x4', '    mov x8, #93', '    svc #0', '9:', EXIT(1), '.ltorg'].join('\n');
    expect(el2sim('exec', program('counter', body)).status).toBe(62);
  });

  it('serves brk and anonymous mmap', () => {
    const body = [
      '    mov x0, #0', '    mov x8, #214', '    svc #0', // brk(0) -> current break
      '    add x0, x0, #8192', '    mov x19, x0', '    mov x8, #214', '    svc #0', // grow by two pages
      '    cmp x0, x19', '    b.ne 9f',
      '    sub x1, x19, #16', '    mov x2, #42', '    str x2, [x1]', '    ldr x20, [x1]', // touch the new memory
      '    mov x0, #0', '    mov x1, #65536', '    mov x2, #3', '    mov x3, #0x22', '    mov x4, #-1', '    mov x5, #0', '    mov x8, #222', '    svc #0',
      '    mov x2, #7', '    mov x9, #65528', '    add x0, x0, x9', '    str x2, [x0]', '    ldr x2, [x0]', // last word of the mapping
      '    add x0, x2, x20', '    mov x8, #93', '    svc #0',
      '9:', EXIT(1),
    ].join('\n');
    expect(el2sim('exec', program('mem', body)).status).toBe(49);
  });

  it('rejects files that are not AArch64 executables with a clear message', () => {
    const notElf = join(dir, 'not.elf');
    writeFileSync(notElf, 'hello');
    const r = el2sim('exec', notElf);
    expect(r.stderr).toMatch(/^el2sim: .*not\.elf: /);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(r.status).toBe(1);
    const truncated = join(dir, 'trunc.elf');
    writeFileSync(truncated, readFileSync(join(dir, 'hello')).subarray(0, 100));
    expect(el2sim('exec', truncated).status).toBe(1);
    expect(el2sim('exec', join(dir, 'missing.elf')).stderr).toMatch(/cannot read .*missing\.elf: ENOENT/);
  });
});

describe('el2sim asm / disasm / spec list', () => {
  it('reports assembly errors as file:line:col', () => {
    const src = join(dir, 'bad.S');
    writeFileSync(src, '_start:\n    add x0, x1\n');
    const r = el2sim('asm', src, '-o', join(dir, 'bad'));
    expect(r.stderr).toMatch(/bad\.S:2:\d+: .*add/);
    expect(r.status).toBe(1);
  });

  it('an output path that cannot be written is a usage error naming it, not a crash', () => {
    const src = join(dir, 'ok.S');
    writeFileSync(src, '_start:\n    b _start\n');
    const r = el2sim('asm', src, '-o', join(dir, 'no-such-dir', 'ok'));
    expect(r.stderr).toMatch(/cannot write .*no-such-dir\/ok: ENOENT/);
    expect(r.status).toBe(2);
  });

  it('disassembles in objdump -d layout', () => {
    const r = el2sim('disasm', program('dis', '    add x0, x1, x2\n    b _start'));
    expect(r.stdout).toContain('0000000000400000 <_start>:\n  400000:\t8b020020 \tadd\tx0, x1, x2\n  400004:\t17ffffff \tb\t400000 <_start>\n');
  });

  it('lists the spec coverage', () => {
    const r = el2sim('spec', 'list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Instructions: \d+ Armv8.0 encodings in \d+ groups/);
    expect(r.stdout).toMatch(/FEAT_PAuth: braaz/);
    expect(r.stdout).toMatch(/ldxr/);
    expect(r.stdout).toMatch(/TTBR0_EL1/);
  });
});

describe('el2sim boot', () => {
  function image(name: string, body: string): string {
    const src = join(dir, `${name}.S`);
    writeFileSync(src, `.text\n.global _start\n_start:\n${body}\n.ltorg\n`);
    const elf = join(dir, name);
    expect(el2sim('asm', '--text-base', '0x40080000', src, '-o', elf).status).toBe(0);
    return elf;
  }
  const OFF = '    ldr x0, =0x84000008\n    smc #0';

  it('passes the UART through to stdout byte for byte and exits 0 on PSCI SYSTEM_OFF', () => {
    const stats = join(dir, 'boot-stats.json');
    const r = el2sim('boot', '--stats', stats, image('uart', `    ldr x1, =0x09000000\n    mov w0, #'A'\n    strb w0, [x1]\n    mov w0, #10\n    strb w0, [x1]\n${OFF}`));
    expect([r.stdout, r.stderr, r.status]).toEqual(['A\n', '', 0]);
    expect(JSON.parse(readFileSync(stats, 'utf8'))).toMatchObject({ instructions: 7, stop: 'poweroff' });
  });

  it('reports a stuck machine on stderr with PC and EL, exit status 126', () => {
    const r = el2sim('boot', image('wfi', '    wfi'));
    expect(r.stderr).toBe('el2sim: WFI with no interrupt that can ever arrive at pc=0x40080000 EL2\n');
    expect(r.status).toBe(126);
  });

  it('starts at EL1 with --el 1 and writes a trace', () => {
    const trace = join(dir, 'trace.txt');
    const r = el2sim('boot', '--el', '1', '--trace', trace, '--max-insns', '3', image('el1', '    mrs x0, CurrentEL\n    nop\n1:  b 1b'));
    expect(r.status).toBe(124);
    expect(readFileSync(trace, 'utf8').split('\n')[0]).toBe('0x40080000 EL1  d5384240  mrs x0, currentel  x0=0x4');
  });

  it('rejects a bad memory size and an image outside RAM', () => {
    expect(el2sim('boot', '--mem', 'lots', image('m', OFF)).stderr).toMatch(/--mem: 'lots' is not a size/);
    const low = join(dir, 'low');
    writeFileSync(join(dir, 'low.S'), '_start: b _start\n');
    el2sim('asm', join(dir, 'low.S'), '-o', low);
    const r = el2sim('boot', low);
    expect(r.stderr).toMatch(/^el2sim: .*low: cannot load \[0x400000, 0x400004\): outside RAM \[0x40000000, 0x50000000\)\n$/);
    expect(r.status).toBe(1);
  });
});

describe('el2sim boot: the cycle model from the command line', () => {
  const tlbloop = () => {
    const elf = join(dir, 'tlbloop.elf');
    writeFileSync(join(dir, 'tlbloop.S'), readFileSync('guest/bare/tlbloop.S', 'utf8').replace(/\.equ\s+ITERS,\s*\d+/, '.equ ITERS, 20'));
    expect(el2sim('asm', '--text-base', '0x40080000', join(dir, 'tlbloop.S'), '-o', elf).status).toBe(0);
    return elf;
  };

  it('--stats-format text writes gem5-style lines; --set changes the model and shows in the stats', () => {
    const elf = tlbloop();
    const text = join(dir, 'stats.txt'), json = join(dir, 'stats-l1.json');
    expect(el2sim('boot', '--stats', text, '--stats-format', 'text', elf).status).toBe(0);
    const t = readFileSync(text, 'utf8');
    expect(t).toMatch(/^---------- Begin Simulation Statistics ----------$/m);
    expect(t).toMatch(/^walks\.count +\d+ +# Translation table walks$/m);
    const misses = (...set: string[]) => {
      expect(el2sim('boot', '--stats', json, ...set.flatMap((a) => ['--set', a]), elf).status).toBe(0);
      return JSON.parse(readFileSync(json, 'utf8')).tlb.l1d.misses as number;
    };
    expect(misses()).toBeLessThan(40); // 16 pages fit in 32 entries
    expect(misses('tlb.l1d.entries=8')).toBeGreaterThanOrEqual(16 * 20); // LRU: 16 pages cycling through 8 entries always miss
    const random = misses('tlb.l1d.entries=8', 'tlb.replacement=random');
    expect(random).toBeLessThan(16 * 20); // random replacement keeps some
    expect(misses('tlb.l1d.entries=8', 'tlb.replacement=random')).toBe(random); // seeded: the same every run
  });

  it('a --set that breaks the timing spec is a usage error naming the path', () => {
    const elf = tlbloop();
    const ways = el2sim('boot', '--set', 'tlb.l2.ways=3', elf);
    expect(ways.status).toBe(2);
    expect(ways.stderr).toMatch(/tlb\.l2\.ways \(3\) must divide tlb\.l2\.entries \(1024\)/);
    const policy = el2sim('boot', '--set', 'tlb.replacement=fifo', elf);
    expect(policy.status).toBe(2);
    expect(policy.stderr).toMatch(/tlb\.replacement: must be equal to one of the allowed values: lru, random/);
  });
});

describe('el2sim boot --workload: the guest kernel\'s outcome is the exit status', () => {
  it('0 when init succeeds, 3 (with the kernel\'s last line) when it fails or the workload is unknown', () => {
    expect(el2sim('boot', 'guest/build/kernel.elf', '--workload', 'hello').status).toBe(0);
    const unknown = el2sim('boot', 'guest/build/kernel.elf', '--workload', 'nope');
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toMatch(/^el2sim: the guest kernel did not end cleanly: kernel: no init to run \(status 127\); power off$/m);
    const badArgs = el2sim('boot', 'guest/build/kernel.elf', '--workload', 'gups', '--args', '--mib 0');
    expect(badArgs.status).toBe(3);
    expect(badArgs.stderr).toMatch(/init exited with status 2/);
  });
});

describe('el2sim run: bad input', () => {
  it('a missing experiment file is a usage error', () => {
    expect(el2sim('run', join(dir, 'no-such.yaml'))).toMatchObject({ status: 2, stderr: expect.stringMatching(/^el2sim: cannot read .*no-such\.yaml: ENOENT\n$/) });
  });
});

describe('the README commands', () => {
  it('assemble and run guest/user/hello.S and guest/bare/hello.S', () => {
    const user = join(dir, 'readme-hello.elf');
    expect(el2sim('asm', 'guest/user/hello.S', '-o', user).status).toBe(0);
    expect(el2sim('exec', user)).toEqual({ status: 0, stdout: 'Hello from EL0 on el2sim\n', stderr: '' });
    const bare = join(dir, 'readme-hello-bm.elf');
    expect(el2sim('asm', '--text-base', '0x40080000', 'guest/bare/hello.S', '-o', bare).status).toBe(0);
    expect(el2sim('boot', bare)).toEqual({ status: 0, stdout: 'Hello from bare metal on the virt machine, at EL2\n', stderr: '' });
  });
});
