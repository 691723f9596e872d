// Expansion of an experiment into points: workloads x modes x the sweep's
// cartesian product x seeds, in that order (the order of results.csv). A sweep
// of args.NAME applies only to the workloads that take --NAME, so no point is
// a copy of another. Likewise vmm.* keys apply to hypervisor modes only.
// Every hypervisor point has a native twin (same workload, arguments, timing
// and seed) that its overhead is measured against; the native points are
// run even when the experiment's modes do not name native.
import { ARG_PREFIX, TIMING_KEY, VMM_PREFIX, cartesian, isTimingKey, overrideList, type Experiment, type Mode, type Scalar } from './experiment.js';
import { takesArg, workloads } from './workloads.js';
import { VMM_OPTION_MODES, vmmOptions, type VmmOptions } from '../machine/vm.js';

/** Whether a sweep key multiplies the points of `mode`: vmm.OPTION only those of the modes it means something to. */
export const keyApplies = (key: string, mode: Mode) =>
  !key.startsWith(VMM_PREFIX) || (VMM_OPTION_MODES[key.slice(VMM_PREFIX.length) as keyof VmmOptions] ?? []).includes(mode);

/** Everything that decides a point's run: equal configs give bit-identical results. */
export interface Point {
  id: string;
  /** The workload entry's label, and the workload it runs. */
  label: string;
  workload: string;
  mode: Mode;
  seed: number;
  /** This point's sweep values, by sweep key. */
  sweep: Record<string, Scalar>;
  /** The workload's arguments, defaults included. */
  args: Record<string, number>;
  /** Timing preset (name or absolute path) and the overrides applied to it, in order. */
  timing: string;
  set: string[];
  memMiB: number;
  quantumUs?: number;
  maxInsns: number;
  /** Hypervisor modes: the vmm's options, defaults included. */
  vmm?: VmmOptions;
  /** Hypervisor modes: the id of the native twin. */
  twin?: string;
}

/** The modes an experiment runs: its own, with native first when a hypervisor mode needs twins. */
export const modesRun = (exp: Experiment): Mode[] => (exp.modes.includes('native') ? exp.modes : ['native', ...exp.modes]);

/** How many points `expand` gives, without making them. */
export function pointCount(exp: Experiment): number {
  let n = 0;
  for (const entry of exp.workloads) {
    const wl = workloads().get(entry.name)!;
    for (const mode of modesRun(exp)) {
      const keys = exp.sweep.filter(([k]) => (!k.startsWith(ARG_PREFIX) || takesArg(wl, k.slice(ARG_PREFIX.length))) && keyApplies(k, mode));
      n += keys.reduce((p, [, vs]) => p * vs.length, 1) * exp.repeat;
    }
  }
  return n;
}

export function expand(exp: Experiment): Point[] {
  const points: Point[] = [];
  for (const entry of exp.workloads) {
    const wl = workloads().get(entry.name)!;
    const forWorkload = exp.sweep.filter(([k]) => !k.startsWith(ARG_PREFIX) || takesArg(wl, k.slice(ARG_PREFIX.length)));
    const defaults = Object.fromEntries((wl.args ?? []).map((a) => [a.name, a.default]));
    for (const mode of modesRun(exp)) {
      const native = mode === 'native';
      const keys = forWorkload.filter(([k]) => keyApplies(k, mode));
      for (const combo of cartesian(keys)) {
        for (let seed = 1; seed <= exp.repeat; seed++) {
          const argValues = combo.filter(([k]) => k.startsWith(ARG_PREFIX)).map(([k, v]) => [k.slice(ARG_PREFIX.length), v as number]);
          const timingValues = combo.filter(([k]) => isTimingKey(k));
          const vmmValues = [...exp.set, ...combo].filter(([k]) => k.startsWith(VMM_PREFIX) && keyApplies(k, mode)).map(([k, v]) => [k.slice(VMM_PREFIX.length), v]);
          const hv = native ? {} : {
            vmm: vmmOptions(Object.fromEntries(vmmValues) as Partial<VmmOptions>),
            twin: pointId(entry.label, 'native', combo.filter(([k]) => !k.startsWith(VMM_PREFIX)), seed),
          };
          points.push({
            id: pointId(entry.label, mode, combo, seed),
            label: entry.label,
            workload: entry.name,
            mode,
            seed,
            sweep: Object.fromEntries(combo),
            args: { ...defaults, ...entry.args, ...Object.fromEntries(argValues), ...(takesArg(wl, 'seed') ? { seed } : {}) },
            timing: String(combo.find(([k]) => k === TIMING_KEY)?.[1] ?? exp.timing),
            set: overrideList(exp.set.filter(([k]) => isTimingKey(k)), timingValues, [['tlb.seed', seed]]),
            memMiB: exp.memMiB,
            quantumUs: exp.quantumUs,
            maxInsns: exp.maxInsns,
            ...hv,
          });
        }
      }
    }
  }
  return points;
}

/** e.g. gups_native_args.mib=8_tlb.l2.entries=512_s1: readable, unique within the experiment, a safe file name. */
function pointId(label: string, mode: string, combo: [string, Scalar][], seed: number): string {
  return [label, mode, ...combo.map(([k, v]) => `${k}=${String(v)}`), `s${seed}`].join('_').replace(/[^A-Za-z0-9._=-]/g, '-');
}

/** The workload's command-line arguments: `--mib 8 --iters 100000`. */
export const argString = (args: Record<string, number>): string => Object.entries(args).map(([k, v]) => `--${k} ${v}`).join(' ');
