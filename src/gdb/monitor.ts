// GDB's `monitor` commands (qRcmd): the machine's view of what the debugger is
// looking at. Each returns the text GDB prints.
import type { Machine } from '../machine/machine.js';
import { statsText } from '../machine/stats.js';
import { VIEWS, type DebugMemory, type View } from './memory.js';
import { cpsrOf } from './registers.js';

export interface MonitorContext {
  machine: Machine;
  memory: DebugMemory;
  view: View;
  /** Breakpoints fire only at this EL (undefined: at any). */
  breakEl: number | undefined;
}

const HELP = `el2sim monitor commands:
  monitor view phys|el1|el2|current   memory view for reads, writes and watchpoints (now: VIEW)
  monitor break-el 0|1|2|any          breakpoints fire only at that EL (now: BREAKEL)
  monitor el                          the current EL, SPSel and the translation state
  monitor stats                       the run's statistics so far (the --stats keys)
  monitor tlb VA                      what the TLBs hold for VA (in the view's regime)
  monitor walk VA                     the translation table walk of VA, level by level and stage by stage
  monitor translate VA                VA to IPA and PA in the view
`;

const hex = (v: number | bigint) => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

function parseVa(s: string | undefined): bigint | undefined {
  if (!s) return undefined;
  try {
    const v = BigInt(s.startsWith('0x') || s.startsWith('0X') || /^\d+$/.test(s) ? s : '0x' + s);
    return BigInt.asUintN(64, v);
  } catch {
    return undefined;
  }
}

/** Runs one monitor command; may change ctx.view and ctx.breakEl. */
export function monitor(text: string, ctx: MonitorContext): string {
  const [cmd, ...args] = text.trim().split(/\s+/);
  const c = ctx.machine.cpu;
  const viewForWalk = ctx.view === 'phys' ? 'current' : ctx.view;
  switch (cmd) {
    case undefined: case '': case 'help':
      return HELP.replace('VIEW', ctx.view).replace('BREAKEL', ctx.breakEl === undefined ? 'any' : String(ctx.breakEl));
    case 'view': {
      if (args.length === 0) return `memory view: ${ctx.view}\n`;
      if (!(VIEWS as readonly string[]).includes(args[0]!)) return `unknown view '${args[0]}': phys, el1, el2 or current\n`;
      ctx.view = args[0] as View;
      return `memory view: ${ctx.view}\n`;
    }
    case 'break-el': {
      const a = args[0];
      if (a === undefined) return `breakpoints fire at ${ctx.breakEl === undefined ? 'any EL' : 'EL' + ctx.breakEl}\n`;
      if (a === 'any' || a === 'all') ctx.breakEl = undefined;
      else if (/^[0-2]$/.test(a)) ctx.breakEl = Number(a);
      else return `break-el: '${a}' is not 0, 1, 2 or any\n`;
      return `breakpoints fire at ${ctx.breakEl === undefined ? 'any EL' : 'EL' + ctx.breakEl}\n`;
    }
    case 'el': {
      const m = ctx.memory.regimeOf('current');
      return `EL${c.el} (SPSel ${c.spsel}), pc ${hex(c.pc)}, cpsr ${hex(cpsrOf(c))}; ${m.el === 2 ? 'EL2' : 'EL1&0'} regime, stage 1 ${m.s1.enabled ? 'on' : 'off'}, stage 2 ${m.s2 ? 'on (VMID ' + m.s2.vmid + ')' : 'off'}\n`;
    }
    case 'stats': {
      const s = ctx.machine.stats();
      return `instructions retired ${c.retired}, cycles ${c.elapsed}\n` + statsText(s);
    }
    case 'tlb': case 'walk': case 'translate': {
      const va = parseVa(args[0]);
      if (va === undefined) return `${cmd}: give a virtual address, e.g. monitor ${cmd} 0xffff000000080000\n`;
      if (cmd === 'tlb') return ctx.memory.tlbText(va, viewForWalk);
      if (cmd === 'walk') return ctx.memory.walkText(va, viewForWalk);
      const t = ctx.memory.translate(va, ctx.view);
      return 'fault' in t ? `${hex(va)}: ${t.fault}\n` : `${hex(va)} -> ${t.ipa !== undefined ? `IPA ${hex(t.ipa)}, ` : ''}PA ${hex(t.pa)}\n`;
    }
    default:
      return `unknown monitor command '${cmd}'\n` + monitor('help', ctx);
  }
}
