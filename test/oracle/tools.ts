// Detection of the external tools oracle tests compare against. A missing
// tool skips the test loudly, unless EL2SIM_REQUIRE_ORACLES=1 (CI), where
// silently losing oracle coverage must fail instead.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { it } from 'vitest';

export const requireOracles = process.env.EL2SIM_REQUIRE_ORACLES === '1';

const found = new Map<string, boolean>();

/** Whether an executable called `name` is on PATH. */
export function haveTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = (process.env.PATH ?? '').split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found.set(name, ok);
  }
  return ok;
}

/** `it` when all `tools` are present; otherwise it.skip with a warning, or a failing test if oracles are required. */
export function oracleIt(name: string, tools: string[], fn: () => unknown | Promise<unknown>, timeout?: number): void {
  const missing = tools.filter((t) => !haveTool(t));
  if (missing.length === 0) {
    it(name, fn, timeout);
  } else if (requireOracles) {
    it(name, () => {
      throw new Error(`missing oracle tools: ${missing.join(', ')} (EL2SIM_REQUIRE_ORACLES=1)`);
    });
  } else {
    console.warn(`oracle test "${name}" skipped: missing ${missing.join(', ')}`);
    it.skip(name, fn);
  }
}
