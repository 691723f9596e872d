export function generateSysregs(): string { return "// placeholder until the sysreg generator lands\nexport {};\n"; }
