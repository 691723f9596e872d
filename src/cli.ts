// The el2sim command line. Guest output goes to stdout/stderr untouched;
// everything el2sim itself says goes to stderr, prefixed "el2sim:".
import { Command, CommanderError, Option } from 'commander';
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { readElf, ElfError } from './elf/read.js';
import { runUser } from './user/process.js';
import { loadTiming, applyOverride, timingPresets } from './spec/timing.js';
import { SpecErrors } from './spec/source.js';
import { disassembleElf } from './asm/listing.js';
import { assemble, AsmSourceError } from './asm/assembler.js';
import { specListing } from './spec/listing.js';

class UsageError extends Error {}

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

const collect = (v: string, prev: string[]) => [...prev, v];
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-insns: '${v}' is not a positive integer`);
  return n;
};

export async function main(args: string[]): Promise<number> {
  let status = 0;
  const program = new Command('el2sim')
    .description('Spec-driven, cycle-accounted simulator of an Armv8-A machine with the virtualization extensions')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('exec')
    .description('run a static AArch64 Linux ELF at EL0 (user mode); its exit status is el2sim\'s')
    .argument('<prog>', 'static AArch64 ELF executable')
    .argument('[args...]', 'arguments passed to the program')
    .option('--max-insns <n>', 'stop after n instructions (exit status 124)', positiveInt)
    .option('--stats <file>', 'write run statistics as JSON')
    .addOption(new Option('--timing <preset>', `timing preset (${timingPresets().join(', ')}) or a timing file`).default('cortex-a57'))
    .option('--set <path=value>', 'override a timing value, e.g. classes.load=5 (repeatable)', collect, [])
    .passThroughOptions()
    .action((prog: string, progArgs: string[], o: { maxInsns?: number; stats?: string; timing: string; set: string[] }) => {
      const timing = loadTiming(o.timing);
      for (const s of o.set) applyOverride(timing, s);
      const elf = readElf(readInput(prog), prog);
      const r = runUser(elf, {
        argv: [prog, ...progArgs],
        maxInsns: o.maxInsns,
        timing,
        output: (fd, bytes) => { writeSync(fd, bytes); },
      });
      if (r.message) say(r.message);
      if (o.stats) {
        const stats = { instructions: r.instructions, cycles: r.cycles, cyclesBy: r.cyclesBy, exit: { code: r.exitCode, reason: r.reason }, timing: timing.name };
        writeFileSync(o.stats, JSON.stringify(stats, null, 2) + '\n');
      }
      status = r.exitCode;
    });

  program
    .command('asm')
    .description('assemble GNU as syntax into a static AArch64 ELF executable')
    .argument('<source>', 'assembly source (.S/.s)')
    .requiredOption('-o, --output <file>', 'output ELF file')
    .action((source: string, o: { output: string }) => {
      const text = Buffer.from(readInput(source)).toString('utf8');
      const out = assemble(text, source);
      writeFileSync(o.output, out.elf, { mode: 0o755 });
    });

  program
    .command('disasm')
    .description('disassemble the executable sections of an ELF, in GNU objdump -d\'s format')
    .argument('<file>', 'AArch64 ELF file')
    .action((file: string) => {
      process.stdout.write(disassembleElf(readElf(readInput(file), file), basename(file)));
    });

  program
    .command('spec')
    .description('inspect the specification')
    .command('list')
    .description('print the coverage: instructions by encoding group, system registers and operations')
    .action(() => { process.stdout.write(specListing()); });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError || e instanceof ElfError || e instanceof AsmSourceError || e instanceof SpecErrors) {
      say(e.message);
      return e instanceof UsageError ? 2 : 1;
    }
    if (e instanceof Error && /^(--set|unknown timing preset)/.test(e.message)) { say(e.message); return 2; }
    throw e;
  }
  return status;
}
