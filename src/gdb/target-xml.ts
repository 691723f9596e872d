// The target description (qXfer:features:read:target.xml): GDB's standard
// org.gnu.gdb.aarch64.core feature, and a system-register feature whose
// registers and flag fields come from the register file, itself built from the
// generated sysreg table (names, fields and bit positions from spec/sysregs).
import type { GdbRegister } from './registers.js';

export const SYSREG_FEATURE = 'org.el2sim.aarch64.sysregs';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function coreType(r: GdbRegister): string {
  if (r.name === 'sp') return 'data_ptr';
  if (r.name === 'pc') return 'code_ptr';
  if (r.name === 'cpsr') return 'cpsr_flags';
  return 'int';
}

const CPSR_FLAGS = `    <flags id="cpsr_flags" size="4">
      <field name="SP" start="0" end="0"/>
      <field name="EL" start="2" end="3"/>
      <field name="nRW" start="4" end="4"/>
      <field name="F" start="6" end="6"/>
      <field name="I" start="7" end="7"/>
      <field name="A" start="8" end="8"/>
      <field name="D" start="9" end="9"/>
      <field name="IL" start="20" end="20"/>
      <field name="SS" start="21" end="21"/>
      <field name="V" start="28" end="28"/>
      <field name="C" start="29" end="29"/>
      <field name="Z" start="30" end="30"/>
      <field name="N" start="31" end="31"/>
    </flags>`;

function flagsType(r: GdbRegister): string {
  const fields = r.fields.map((f) => {
    return `      <field name="${esc(f.name)}" start="${f.lsb}" end="${f.lsb + f.width - 1}"/>`;
  });
  return [`    <flags id="${esc(r.name)}_flags" size="8">`, ...fields, '    </flags>'].join('\n');
}

/** The whole description, both features in one document. */
export function targetXml(regs: GdbRegister[]): string {
  const line = (r: GdbRegister, type: string, group?: string) =>
    `    <reg name="${esc(r.name)}" bitsize="${r.bits}" regnum="${r.regnum}" type="${type}"${group ? ` group="${group}"` : ''}/>`;
  const core = regs.filter((r) => r.feature === 'core');
  const sys = regs.filter((r) => r.feature === 'sys');
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '  <architecture>aarch64</architecture>',
    '  <feature name="org.gnu.gdb.aarch64.core">',
    CPSR_FLAGS,
    ...core.map((r) => line(r, coreType(r))),
    '  </feature>',
    `  <feature name="${SYSREG_FEATURE}">`,
    ...sys.filter((r) => r.fields.length > 0).map(flagsType),
    ...sys.map((r) => line(r, r.fields.length > 0 ? `${r.name}_flags` : 'uint64', 'system')),
    '  </feature>',
    '</target>',
    '',
  ].join('\n');
}
