// `el2sim spec list`: what the spec covers, readable at a glance.
import { loadIsa } from './isa.js';
import { listSysregs } from './sysregs.js';

export function specListing(): string {
  const groups = loadIsa();
  let out = '';
  let total = 0;
  for (const g of groups) {
    const mnemonics = [...new Set(g.insns.flatMap((i) => i.forms.map((f) => f.template.mnemonic)))];
    total += g.insns.length;
    out += `${g.title} (${g.group}, ${g.insns.length} encodings)\n`;
    out += wrap(mnemonics.join(' '), 100, '    ') + '\n';
  }
  out = `Instructions: ${total} encodings in ${groups.length} groups\n\n` + out;
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
