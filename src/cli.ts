// The el2sim command line. Guest output goes to stdout/stderr untouched;
// everything el2sim itself says goes to stderr, prefixed "el2sim:".
import { Command, CommanderError, Option } from 'commander';
import { readFileSync, writeFileSync, writeSync, openSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import { readElf, ElfError } from './elf/read.js';
import { runUser } from './user/process.js';
import { loadTiming, applyOverrides, timingPresets, TimingError } from './spec/timing.js';
import { SpecErrors } from './spec/source.js';
import { runBoot, parseSize } from './machine/boot.js';
import { kernelCmdline } from './machine/cmdline.js';
import { kernelOutcome } from './machine/run-workload.js';
import { ImageError, type StopReason } from './machine/machine.js';
import { statsText } from './machine/stats.js';
import { RunError } from './experiments/run-error.js';
import type { Backend } from './experiments/run.js';
import { KERNEL_PATH, MODES, VMM_CHOICES, VMM_PATH, loadVmm, qemuScript, runVm, vmmOptionsProblem, vmmOptions, type VmMode, type VmmOptions } from './machine/vm.js';
import { vmStatsText } from './machine/vm-stats.js';
import type { RunStats } from './machine/stats.js';

/** Exit status of `el2sim boot` by how the run ended. */
const BOOT_EXIT: Record<StopReason, number> = { poweroff: 0, reset: 0, limit: 124, stuck: 126 };
/** `boot --workload`: the guest kernel powered off, but its init failed (or leaked pages, or the command line was refused). */
const GUEST_FAILED = 3;

class UsageError extends Error {}
/** Input that cannot be used (an assembler source with errors): status 1. */
class InputError extends Error {}

function say(msg: string): void {
  process.stderr.write(`el2sim: ${msg}\n`);
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes an output file; a path that cannot be written is the user's to fix, not a crash. */
function writeOutput(path: string, data: string | Uint8Array, mode?: number): void {
  try {
    writeFileSync(path, data, mode === undefined ? undefined : { mode });
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const collect = (v: string, prev: string[]) => [...prev, v];
/** The guest's RAM from --mem: whole MiB (the kernel's mem= is in MiB), 16M to 3G. */
function guestMem(text: string): number {
  const n = parseSize(text);
  if (!n || n % (1 << 20) || n < 16 << 20 || n > 0xc000_0000) throw new UsageError(`--mem: '${text}' is not a whole number of MiB from 16M to 3G (e.g. 256M)`);
  return n;
}
const statsFormat = () => new Option('--stats-format <format>', 'format of the --stats file: json, or text (gem5 stats.txt style)').choices(['json', 'text']).default('json');

function writeStats(file: string, format: string, stats: object): void {
  writeOutput(file, format === 'text' ? statsText(stats) : JSON.stringify(stats, null, 2) + '\n');
}
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-insns: '${v}' is not a positive integer`);
  return n;
};

/** The options of every command that runs a program: the instruction limit, the statistics, the timing. */
function runOptions(cmd: Command): void {
  cmd
    .option('--max-insns <n>', 'stop after n instructions (exit status 124)', positiveInt)
    .option('--stats <file>', 'write run statistics (JSON, or text with --stats-format text); keys in README.md')
    .addOption(statsFormat())
    .addOption(new Option('--timing <preset>', `timing preset (${timingPresets().join(', ')}) or a timing file`).default('cortex-a57'))
    .option('--set <path=value>', 'override a timing value, e.g. classes.load=5 (repeatable)', collect, []);
}

/** And of those that run the virt machine: the instruction trace and the GDB stub. */
function machineOptions(cmd: Command): void {
  runOptions(cmd);
  cmd
    .option('--trace <file>', 'write one line per instruction: PC, EL, word, disassembly, registers written')
    .option('--gdb <[host:]port>', 'serve GDB\'s remote protocol on TCP [host:]port (host: localhost by default); README.md, Debugging with GDB')
    .option('--gdb-wait', 'with --gdb: stop before the first instruction until gdb connects and continues');
}

/** --gdb and --gdb-wait: the GDB stub's hook for the run, or undefined. */
async function gdbOption(o: { gdb?: string; gdbWait?: boolean; trace?: string }) {
  if (o.gdbWait && !o.gdb) throw new UsageError('--gdb-wait needs --gdb [HOST:]PORT');
  if (!o.gdb) return undefined;
  if (o.trace) throw new UsageError('--trace and --gdb cannot be combined');
  const { gdbStub } = await import('./gdb/stub.js');
  try {
    return gdbStub({ address: o.gdb, wait: !!o.gdbWait, log: say });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function main(args: string[]): Promise<number> {
  let status = 0;
  const program = new Command('el2sim')
    .description('Spec-driven, cycle-accounted simulator of an Armv8-A machine with the virtualization extensions')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const exec = program
    .command('exec')
    .description('run a static AArch64 Linux ELF at EL0 (user mode); its exit status is el2sim\'s')
    .argument('<prog>', 'static AArch64 ELF executable')
    .argument('[args...]', 'arguments passed to the program')
    .passThroughOptions()
    .action((prog: string, progArgs: string[], o: { maxInsns?: number; stats?: string; statsFormat: string; timing: string; set: string[] }, cmd: Command) => {
      // el2sim's options come before the program; everything after it is the program's.
      // `--` may mark where the program's arguments begin (before or after the program).
      const afterSep = progArgs[0] === '--';
      if (afterSep) progArgs = progArgs.slice(1);
      const sep = args.indexOf('--');
      if (!afterSep && !(sep >= 0 && args.length - sep - 1 >= progArgs.length)) {
        const own = new Set(cmd.options.flatMap((opt) => [opt.long, opt.short]).filter((n): n is string => !!n));
        for (const a of progArgs) {
          const name = a.split('=')[0];
          if (own.has(name)) say(`warning: ${name} after the program is passed to it; put el2sim's options before the program (el2sim exec [options] ${prog} [--] [args…])`);
        }
      }
      const timing = loadTiming(o.timing);
      applyOverrides(timing, o.set);
      const elf = readElf(readInput(prog), prog);
      const r = runUser(elf, {
        argv: [prog, ...progArgs],
        maxInsns: o.maxInsns,
        timing,
        output: (fd, bytes) => { writeSync(fd, bytes); },
      });
      if (r.message) say(r.message);
      if (o.stats) {
        writeStats(o.stats, o.statsFormat, { timing: timing.name, exit: { code: r.exitCode, reason: r.reason }, instructions: r.instructions, cycles: r.cycles, cyclesBy: r.cyclesBy });
      }
      status = r.exitCode;
    });
  runOptions(exec);

  const boot = program
    .command('boot')
    .description('run a bare-metal AArch64 ELF image on the virt machine (RAM at 0x40000000, PL011 UART, PSCI), as qemu-system-aarch64 -M virt,virtualization=on -kernel does')
    .argument('<image>', 'ELF image, loaded at its physical addresses')
    .addOption(new Option('--el <n>', 'exception level to start at (2: as QEMU with virtualization=on; 1: without)').choices(['1', '2']).default('2'))
    .option('--mem <size>', 'RAM size, e.g. 256M, 1G', '256M')
    .option('--workload <name>', 'guest kernel (guest/build/kernel.elf): the workload to run, written to its command line at 0x40040000')
    .option('--args <string>', 'guest kernel: the workload\'s arguments, e.g. "--mib 16 --iters 100000"')
    .option('--quantum <us>', 'guest kernel: preemption quantum in microseconds (default 1000)')
    .action(async (imagePath: string, o: { el: string; mem: string; maxInsns?: number; stats?: string; statsFormat: string; trace?: string; workload?: string; args?: string; quantum?: string; timing: string; set: string[]; gdb?: string; gdbWait?: boolean }) => {
      const timing = loadTiming(o.timing);
      applyOverrides(timing, o.set);
      const memBytes = parseSize(o.mem);
      if (!memBytes || memBytes % 4096 || memBytes > 0xc000_0000) throw new UsageError(`--mem: '${o.mem}' is not a size between 4K and 3G in whole pages (e.g. 256M)`);
      if (!o.workload && (o.args !== undefined || o.quantum !== undefined)) throw new UsageError('--args and --quantum need --workload');
      if (o.quantum !== undefined && !/^\d+$/.test(o.quantum)) throw new UsageError(`--quantum: '${o.quantum}' is not a number of microseconds`);
      const cmdline = o.workload ? kernelCmdline({ workload: o.workload, args: o.args, quantumUs: o.quantum === undefined ? undefined : Number(o.quantum), memBytes }) : undefined;
      const image = readElf(readInput(imagePath), imagePath);
      const debug = await gdbOption(o);
      const traceFd = o.trace ? openSync(o.trace, 'w') : undefined;
      let tail = ''; // the end of the UART output, for the guest kernel's last line
      let r;
      try {
        r = runBoot(image, {
          name: imagePath, el: Number(o.el) as 1 | 2, memBytes, timing, maxInsns: o.maxInsns, cmdline, debug,
          output: (bytes) => { writeSync(1, bytes); tail = (tail + Buffer.from(bytes).toString('latin1')).slice(-1024); },
          trace: traceFd === undefined ? undefined : (line) => { writeSync(traceFd, line + '\n'); },
        });
      } finally {
        if (traceFd !== undefined) closeSync(traceFd);
      }
      if (r.message) say(r.message);
      if (o.stats) writeStats(o.stats, o.statsFormat, { timing: timing.name, stop: r.reason, ...r.stats });
      status = BOOT_EXIT[r.reason];
      if (o.workload && r.reason === 'poweroff' && !kernelOutcome(tail).ok) {
        say(`the guest kernel did not end cleanly: ${kernelOutcome(tail).line}`);
        status = GUEST_FAILED;
      }
    });
  machineOptions(boot);

  const vm = program.command('vm').description('a virtual machine: the guest kernel with a workload, natively or under the vmm at EL2 (after bhyve\'s tools)');
  const vmRunCmd = vm
    .command('run')
    .description('run the guest kernel (guest/build/kernel.elf) with one workload, natively or under the vmm (vmm/build/vmm.elf)')
    .addOption(new Option('--mode <mode>', 'memory virtualization mode').choices([...MODES]).default('native'))
    .requiredOption('--workload <name>', 'the workload to run (README.md, section The guest)')
    .option('--args <string>', 'the workload\'s arguments, e.g. "--mib 16 --iters 100000"')
    .option('--quantum <us>', 'preemption quantum in microseconds (default 1000)')
    .option('--mem <size>', 'the guest\'s RAM, e.g. 256M (the machine gets what the vmm needs on top)', '256M')
    .addOption(new Option('--granule <g>', 'stage 2 translation granule').choices([...VMM_CHOICES.granule]).default('4k'))
    .addOption(new Option('--ipa-bits <n>', 'stage 2 input (IPA) size in bits').choices(VMM_CHOICES.ipaBits.map(String)).default('40'))
    .addOption(new Option('--block <size>', 'stage 2 mapping size (default: the granule\'s page)').choices([...VMM_CHOICES.block]))
    .addOption(new Option('--map <how>', 'map guest RAM on stage 2 faults (lazy) or at start (eager)').choices([...VMM_CHOICES.map]).default('lazy'))
    .addOption(new Option('--switch <kind>', 'world switch: thin (save what the handler clobbers) or full (the whole EL1 context, list registers and timer)').choices([...VMM_CHOICES.switch]).default('thin'))
    .option('--roots <n>', 'shadow modes: shadow roots the vmm caches (per guest TTBR and ASID), 1 to 64 (default 8)')
    .option('--vmm-print-stats', 'the vmm prints its counters to the UART at power-off (stats=print)')
    .option('--kernel <file>', 'guest kernel image', KERNEL_PATH)
    .option('--vmm <file>', 'vmm image', VMM_PATH)
    .option('--print-qemu', 'print the equivalent qemu-system-aarch64 command (a shell script) instead of running')
    .action(async (o: {
      mode: VmMode; workload: string; args?: string; quantum?: string; mem: string; granule: VmmOptions['granule']; ipaBits: string; block?: VmmOptions['block'];
      map: VmmOptions['map']; switch: VmmOptions['switch']; roots?: string; vmmPrintStats?: boolean; maxInsns?: number; stats?: string; statsFormat: string; trace?: string;
      timing: string; set: string[]; kernel: string; vmm: string; printQemu?: boolean; gdb?: string; gdbWait?: boolean;
    }) => {
      const timing = loadTiming(o.timing);
      applyOverrides(timing, o.set);
      const memBytes = guestMem(o.mem);
      if (o.quantum !== undefined && !/^\d+$/.test(o.quantum)) throw new UsageError(`--quantum: '${o.quantum}' is not a number of microseconds`);
      if (o.roots !== undefined && !(/^\d+$/.test(o.roots) && Number(o.roots) >= 1 && Number(o.roots) <= 64)) throw new UsageError(`--roots: '${o.roots}' is not an integer from 1 to 64`);
      const opts = vmmOptions({ granule: o.granule, ipaBits: Number(o.ipaBits) as 40 | 44, block: o.block, map: o.map, switch: o.switch, roots: o.roots === undefined ? undefined : Number(o.roots) });
      const problem = vmmOptionsProblem(opts);
      if (problem) throw new UsageError(`--block: ${problem}`);
      const kernelBytes = readInput(o.kernel);
      const run = {
        mode: o.mode, kernel: readElf(kernelBytes, o.kernel), kernelBytes, workload: o.workload, args: o.args,
        quantumUs: o.quantum === undefined ? undefined : Number(o.quantum), memBytes, vmm: opts, vmmPrintStats: o.vmmPrintStats, timing, maxInsns: o.maxInsns,
      };
      if (o.printQemu) { process.stdout.write(qemuScript(run, { vmm: o.vmm, kernel: o.kernel })); return; }
      const vmmImage = o.mode === 'native' ? undefined : loadVmm(o.vmm);
      const debug = await gdbOption(o);
      const traceFd = o.trace ? openSync(o.trace, 'w') : undefined;
      let tail = '';
      let r;
      try {
        r = runVm({
          ...run, debug,
          output: (bytes) => { writeSync(1, bytes); tail = (tail + Buffer.from(bytes).toString('latin1')).slice(-4096); },
          trace: traceFd === undefined ? undefined : (line) => { writeSync(traceFd, line + '\n'); },
        }, vmmImage);
      } finally {
        if (traceFd !== undefined) closeSync(traceFd);
      }
      if (r.message) say(r.message);
      if (o.stats) writeStats(o.stats, o.statsFormat, { timing: timing.name, mode: o.mode, ...(o.mode === 'native' ? {} : { vmmOptions: opts }), stop: r.reason, ...r.stats });
      status = BOOT_EXIT[r.reason];
      const outcome = kernelOutcome(tail);
      if (r.reason === 'poweroff' && !outcome.ok) {
        say(`the guest did not end cleanly: ${outcome.line}`);
        status = GUEST_FAILED;
      }
    });
  machineOptions(vmRunCmd);
  vm
    .command('stats')
    .description('print a stats file (written by vm run --stats) as bhyvectl --get-stats would: exits by reason, the vmm\'s counters, cycles, TLBs and walks')
    .argument('<file>', 'stats JSON file')
    .action((file: string) => {
      let stats: RunStats;
      try {
        stats = JSON.parse(Buffer.from(readInput(file)).toString('utf8')) as RunStats;
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${file}: not a JSON stats file (${(e as Error).message})`);
      }
      if (typeof stats?.cycles !== 'number' || !stats.tlb || !stats.cyclesBy) throw new UsageError(`${file}: not a stats file of el2sim vm run or boot (no cycles, cyclesBy or tlb)`);
      process.stdout.write(vmStatsText(stats));
    });

  program
    .command('run')
    .description('run an experiment (experiments/*.yaml): every point on worker threads, then results.csv, stats/, provenance.json, charts/ and report.md')
    .argument('<experiment>', 'experiment file (YAML; README.md, section Experiments)')
    .option('--out <dir>', 'run directory (default results/<name>/<run-id>)')
    .option('--resume <dir>', 'complete an interrupted run: points already in <dir>/points.jsonl are not run again')
    .option('--jobs <n>', 'worker threads (default: the number of cores)')
    .option('--quick', 'apply the experiment\'s `quick` section: smaller arguments, shorter sweeps')
    .option('--yes', 'run a sweep of more than 10,000 points')
    .addOption(new Option('--backend <backend>', 'where the points run: worker threads here, or a SLURM job array (README.md, Running on a SLURM cluster); a --resume of a SLURM run stays on SLURM').choices(['local', 'slurm']))
    .option('--partition <p>', 'slurm: the partition (sbatch --partition)')
    .option('--time <t>', 'slurm: each task\'s time limit (sbatch --time, e.g. 30, 2:00:00)')
    .option('--mem <m>', 'slurm: each task\'s memory (sbatch --mem, e.g. 4G)')
    .option('--chunk <k>', 'slurm: points per array task (default 1, or enough to keep the array within 1000 tasks)')
    .option('--max-parallel <n>', 'slurm: at most n tasks at once (sbatch --array=0-N%n)')
    .option('--no-wait', 'slurm: return after submitting; el2sim run EXPERIMENT --resume DIR (or el2sim report DIR) gathers')
    .action(async (file: string, o: { out?: string; resume?: string; jobs?: string; quick?: boolean; yes?: boolean; backend?: Backend; partition?: string; time?: string; mem?: string; chunk?: string; maxParallel?: string; wait: boolean }) => {
      if (o.jobs !== undefined && !/^[1-9]\d*$/.test(o.jobs)) throw new UsageError(`--jobs: '${o.jobs}' is not a positive integer`);
      for (const [name, v] of [['--chunk', o.chunk], ['--max-parallel', o.maxParallel]] as const) if (v !== undefined && !/^[1-9]\d*$/.test(v)) throw new UsageError(`${name}: '${v}' is not a positive integer`);
      const slurmOnly = (['partition', 'time', 'mem', 'chunk', 'maxParallel'] as const).filter((k) => o[k] !== undefined).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      if (!o.wait) slurmOnly.push('--no-wait');
      if (o.backend === 'local' && slurmOnly.length) throw new UsageError(`${slurmOnly.join(', ')}: options of --backend slurm`);
      if (o.backend === undefined && !o.resume && slurmOnly.length) throw new UsageError(`${slurmOnly.join(', ')}: options of --backend slurm (give --backend slurm)`);
      readInput(file); // a missing or unreadable experiment file is a usage error, not a crash
      const slurm = {
        ...(o.partition ? { partition: o.partition } : {}), ...(o.time ? { time: o.time } : {}), ...(o.mem ? { mem: o.mem } : {}),
        ...(o.chunk ? { chunk: Number(o.chunk) } : {}), ...(o.maxParallel ? { maxParallel: Number(o.maxParallel) } : {}), noWait: !o.wait,
        ...(process.env.EL2SIM_SLURM_POLL_MS ? { pollMs: Number(process.env.EL2SIM_SLURM_POLL_MS) } : {}),
      };
      const { runExperiment } = await import('./experiments/run.js');
      const r = await runExperiment(file, {
        out: o.out, resume: o.resume, jobs: o.jobs === undefined ? undefined : Number(o.jobs), quick: o.quick, yes: o.yes, progress: true, backend: o.backend, slurm,
        onStart: ({ dir, total, todo, jobs, backend }) => {
          say(`${total} points${todo < total ? ` (${total - todo} done before)` : ''} in ${dir}, ${backend === 'slurm' ? `on SLURM${todo ? '' : ' (nothing to submit)'}` : `${jobs} worker${jobs > 1 ? 's' : ''}`}`);
          process.once('SIGINT', () => {
            say(backend === 'slurm'
              ? `interrupted; the SLURM job goes on (scancel stops it): el2sim run ${file} --resume ${dir}${o.quick ? ' --quick' : ''} gathers it once it has ended`
              : `interrupted; the finished points are in ${dir}/points.jsonl: el2sim run ${file} --resume ${dir}${o.quick ? ' --quick' : ''} completes the run`);
            process.exit(130);
          });
        },
        onSubmit: (job) => say(`SLURM job ${job.id}: ${job.points} point(s) in ${job.tasks} array task(s) (${job.script}; logs in slurm/logs/)`),
      });
      const resumeCmd = `el2sim run ${file} --resume ${r.dir}${o.quick ? ' --quick' : ''}`;
      if (r.submitted) {
        say(`submitted SLURM job ${r.submitted.id}; squeue -j ${r.submitted.id} shows it; once it has ended, ${resumeCmd} gathers the run (or el2sim report ${r.dir})`);
        return;
      }
      for (const p of r.problems) say(p);
      if (r.failedTasks?.length) say(`SLURM task(s) that did not complete: ${r.failedTasks.map((t) => `${t.task} ${t.state}`).join(', ')}`);
      if (r.missing?.length) say(`${r.missing.length} point(s) missing (${r.missing.slice(0, 5).join(', ')}${r.missing.length > 5 ? ', …' : ''}): ${resumeCmd} runs only those`);
      say(`${r.results.length} points (${r.ran} run now), ${r.problems.length ? `${r.problems.length} problem(s)` : 'no problems'}: ${r.dir}/report.md`);
      status = r.problems.length || r.missing?.length ? 1 : 0;
    });

  program
    .command('run-point')
    .description('run points of a run directory in this process and append them to its points.jsonl (what the tasks of el2sim run --backend slurm run)')
    .argument('<run-dir>', 'a run directory (with its experiment.yaml)')
    .argument('<index...>', 'indices into the run\'s points, in expansion order (0-based)')
    .action(async (dir: string, indices: string[]) => {
      const { runPointsAt } = await import('./experiments/run-point-cli.js');
      const r = await runPointsAt(dir, indices, say);
      say(`${r.ran.length} point(s) run${r.failed.length ? ` (${r.failed.length} failed)` : ''}${r.skipped.length ? `, ${r.skipped.length} already done` : ''}${r.stopped ? '; stopped by SIGTERM' : ''}`);
      status = r.stopped ? 143 : 0;
    });

  program
    .command('report')
    .description('draw a run\'s charts and write its results.csv, stats/ and report.md again from its points.jsonl, without running anything')
    .argument('<run-dir>', 'a run directory (results/<name>/<run-id>)')
    .action(async (dir: string) => {
      const { reportRun } = await import('./experiments/run.js');
      const r = reportRun(dir);
      for (const p of r.problems) say(p);
      if (r.running) say(`SLURM job ${r.running} of the run is still running: points may still arrive`);
      if (r.missing.length) say(`${r.missing.length} point(s) not run yet (el2sim run EXPERIMENT --resume ${dir} runs them): ${r.missing.slice(0, 5).join(', ')}${r.missing.length > 5 ? ', …' : ''}`);
      say(`${r.results.length} points: ${dir}/report.md`);
      status = r.problems.length || r.missing.length ? 1 : 0;
    });

  program
    .command('asm')
    .description('assemble GNU as syntax into a static AArch64 ELF executable')
    .argument('<source>', 'assembly source (.S/.s)')
    .requiredOption('-o, --output <file>', 'output ELF file')
    .option('--text-base <address>', 'address of .text (default 0x400000; bare-metal images for `boot`: 0x40080000)', '0x400000')
    .action(async (source: string, o: { output: string; textBase: string }) => {
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(o.textBase)) throw new UsageError(`--text-base: '${o.textBase}' is not an address`);
      const text = Buffer.from(readInput(source)).toString('utf8');
      const { assemble, AsmSourceError } = await import('./asm/assembler.js');
      let out;
      try {
        out = assemble(text, source, { textBase: BigInt(o.textBase) });
      } catch (e) {
        throw e instanceof AsmSourceError ? new InputError(e.message) : e;
      }
      writeOutput(o.output, out.elf, 0o755);
    });

  program
    .command('disasm')
    .description('disassemble the executable sections of an ELF, in GNU objdump -d\'s format')
    .argument('<file>', 'AArch64 ELF file')
    .action(async (file: string) => {
      const { disassembleElf } = await import('./asm/listing.js');
      process.stdout.write(disassembleElf(readElf(readInput(file), file), basename(file)));
    });

  program
    .command('spec')
    .description('inspect the specification')
    .command('list')
    .description('print the coverage: instructions by encoding group, system registers and operations')
    .action(async () => { process.stdout.write((await import('./spec/listing.js')).specListing()); });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError || e instanceof ElfError || e instanceof InputError || e instanceof SpecErrors || e instanceof ImageError || e instanceof RunError) {
      say(e.message);
      return e instanceof UsageError || e instanceof RunError ? 2 : 1;
    }
    if (e instanceof TimingError) { say(e.message); return 2; }
    // a bug in el2sim itself: say so plainly; the stack only on request
    if (process.env.EL2SIM_DEBUG) throw e;
    say(`internal error: ${(e as Error).message ?? e} (a bug in el2sim; EL2SIM_DEBUG=1 shows the stack)`);
    return 70;
  }
  return status;
}
