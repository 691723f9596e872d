// `el2sim spec list`: what the spec covers, readable at a glance.
import { loadIsa, type InsnSpec } from './isa.js';
import { listSysregs } from './sysregs.js';

export function specListing(): string {
  const groups = loadIsa();
  let out = '';
  let total = 0;
  const mnemonics = (insns: InsnSpec[]) => [...new Set(insns.flatMap((i) => i.forms.map((f) => f.template.mnemonic)))].join(' ');
  const later = new Map<string, InsnSpec[]>();
  for (const g of groups) {
    const own = g.insns.filter((i) => !i.feature);
    for (const i of g.insns) if (i.feature) later.set(i.feature, [...(later.get(i.feature) ?? []), i]);
    total += own.length;
    out += `${g.title} (${g.group}, ${own.length} encodings)\n`;
    out += wrap(mnemonics(own), 100, '    ') + '\n';
  }
  out = `Instructions: ${total} Armv8.0 encodings in ${groups.length} groups\n\n` + out;
  if (later.size) {
    out += '\nLater extensions, decoded and disassembled as GNU binutils do, UNDEFINED when executed:\n';
    for (const [f, insns] of [...later].sort()) out += wrap(`${f}: ${mnemonics(insns)}`, 100, '    ') + '\n';
  }
  return out + '\n' + listSysregs();
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + w.length + 1 > width) { lines.push(indent + line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
