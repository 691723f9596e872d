// The one-node SLURM cluster the SLURM tests run on: test/slurm/start.sh
// (installs slurm-wlm and munge if missing, starts munged, slurmctld and
// slurmd; at once when they are up). When it cannot start, the tests are
// skipped loudly, or fail with EL2SIM_REQUIRE_ORACLES=1 (CI), as oracle tests do.
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';
import { requireOracles } from '../oracle/tools.js';

const START = new URL('./start.sh', import.meta.url).pathname;

function start(): { up: true } | { up: false; why: string } {
  if (process.env.EL2SIM_NO_SLURM === '1') return { up: false, why: 'EL2SIM_NO_SLURM=1' };
  const r = spawnSync('bash', [START], { encoding: 'utf8', timeout: 900_000 });
  if (r.status === 0) return { up: true };
  const last = (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' / ');
  return { up: false, why: `test/slurm/start.sh failed (status ${r.status}): ${last}` };
}

let cluster: ReturnType<typeof start> | undefined;
/** Starts the cluster once per test file (or sees that it is up). */
export const slurmCluster = () => (cluster ??= start());

/** `it` when the cluster is up; otherwise it.skip with a warning, or a failing test when oracles are required. */
export function slurmIt(name: string, fn: () => unknown | Promise<unknown>, timeout?: number): void {
  const c = slurmCluster();
  if (c.up) {
    it(name, fn, timeout);
  } else if (requireOracles) {
    it(name, () => {
      throw new Error(`no SLURM cluster: ${c.why} (EL2SIM_REQUIRE_ORACLES=1)`);
    });
  } else {
    console.warn(`SLURM test "${name}" SKIPPED: no SLURM cluster: ${c.why}`);
    it.skip(name, fn);
  }
}
