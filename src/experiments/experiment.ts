// An experiment file (experiments/*.yaml): read, checked against
// spec/schema/experiment.schema.json and then against what exists — workloads
// and their arguments, timing paths and their types, the vmm's options —
// with every problem reported as file:line:col, as spec files are.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SpecErrors, SpecSource, child, entries, items, scalar, type Node } from '../spec/source.js';
import { validateAgainst, validateValue } from '../spec/validate.js';
import { applyOverride, applyOverrides, loadTiming, OverrideError, timingPresets, type Timing } from '../spec/timing.js';
import { CHART_NAMES, type ChartName } from '../report/chart-names.js';
import { argProblem, takesArg, workloads } from './workloads.js';
import { metricProblem, type Check } from './check-spec.js';
import { VMM_CHOICES, choicesText, vmmOptions, vmmOptionsProblem, type VmMode, type VmmOptions } from '../machine/vm.js';

export type Scalar = number | boolean | string;
export type Mode = VmMode;

export interface WorkloadEntry { name: string; label: string; args: Record<string, number> }

export interface Experiment {
  file: string;
  /** The file's text, copied into every run directory. */
  text: string;
  name: string;
  description: string;
  /** Preset name or absolute path, as loadTiming takes it. */
  timing: string;
  workloads: WorkloadEntry[];
  modes: Mode[];
  /** Timing overrides for every point, in file order. */
  set: [string, Scalar][];
  /** Sweep keys in file order (the first varies slowest): timing paths or args.NAME. */
  sweep: [string, Scalar[]][];
  repeat: number;
  memMiB: number;
  quantumUs?: number;
  maxInsns: number;
  charts: ChartName[];
  checks: Check[];
  quick: boolean;
}

interface RawExperiment {
  name: string; description?: string; timing?: string; hypervisor?: string;
  workloads: { name: string; label?: string; args?: Record<string, number> }[];
  modes?: string[]; set?: Record<string, Scalar>; sweep?: Record<string, Scalar[]>;
  repeat?: number; mem?: number; quantum?: number; maxInsns?: number; charts?: string[]; checks?: Check[];
  quick?: { args?: Record<string, number>; workloads?: Record<string, Record<string, number>>; sweep?: Record<string, Scalar[]>; repeat?: number };
}

export const ARG_PREFIX = 'args.';
/** Sweep and set keys of the vmm's options (vmm.granule, vmm.block…): they apply to hypervisor modes only. */
export const VMM_PREFIX = 'vmm.';
/** A sweep key whose values are timing presets: each point runs on one (the experiment's `timing` is then the default that set keys are checked against too). */
export const TIMING_KEY = 'timing';
/** A timing override path (tlb.l2.entries), as opposed to args.NAME, vmm.OPTION and the swept preset. */
export const isTimingKey = (k: string) => !k.startsWith(ARG_PREFIX) && !k.startsWith(VMM_PREFIX) && k !== TIMING_KEY;
const DEFAULT_MAX_INSNS = 2_000_000_000;

/**
 * Reads and checks an experiment; throws SpecErrors listing every problem at
 * once: the schema's, then those of the later checks on the parts the schema
 * accepts (values, then whole combinations of the values that are good alone).
 */
export function loadExperiment(path: string, opts: { quick?: boolean } = {}): Experiment {
  const src = new SpecSource(path);
  if (src.errors.length) throw new SpecErrors(src.errors);
  const pruned = withoutSchemaErrors(src);
  if (!pruned) throw new SpecErrors(src.errors);
  const raw = src.doc.toJS() as RawExperiment;
  const root = src.root;
  const timing = resolveTiming(src, raw.timing, path);
  // the overrides must suit every preset a point may run on
  const swept = (raw.sweep?.[TIMING_KEY] ?? []).filter((t): t is string => typeof t === 'string' && timingPresets().includes(t));
  const bases = timing ? [timing.base, ...swept.map((t) => loadTiming(t))] : [];
  const checker = new Checker(src, raw, bases, pruned);
  checker.run();

  const quick = opts.quick ? raw.quick ?? {} : {};
  const sweep = Object.entries(raw.sweep ?? {}).map(([k, v]): [string, Scalar[]] => [k, quick.sweep?.[k] ?? v]);
  // Combinations of the values that passed alone (a bad value is reported once, at itself).
  const sweepNodes = (k: string) => items(child(child(opts.quick && quick.sweep?.[k] ? child(root, 'quick') : root, 'sweep'), k));
  const good = {
    set: Object.entries(raw.set ?? {}).filter(([k]) => !checker.bad.has(child(child(root, 'set'), k)!)),
    sweep: sweep.map(([k, vs]): [string, Scalar[]] => [k, vs.filter((_, i) => !checker.bad.has(sweepNodes(k)[i]))]).filter(([, vs]) => vs.length),
  };
  if (timing && !pruned.has('set') && !pruned.has('sweep')) {
    for (const base of bases) checkTimingCombinations(src, child(root, 'sweep'), good, base);
    checkVmmCombinations(src, child(root, 'sweep'), good);
  }
  if (src.errors.length) throw new SpecErrors(src.errors);
  const exp: Experiment = {
    file: path,
    text: readFileSync(path, 'utf8'),
    name: raw.name,
    description: raw.description ?? '',
    timing: timing!.ref,
    workloads: raw.workloads.map((w) => {
      const wl = workloads().get(w.name)!;
      const label = w.label ?? w.name;
      const quickArgs = Object.entries(quick.args ?? {}).filter(([k]) => takesArg(wl, k));
      return { name: w.name, label, args: { ...w.args, ...Object.fromEntries(quickArgs), ...quick.workloads?.[label] } };
    }),
    modes: (raw.modes ?? ['native']) as Mode[],
    set: Object.entries(raw.set ?? {}),
    sweep,
    repeat: quick.repeat ?? raw.repeat ?? 1,
    memMiB: raw.mem ?? 256,
    quantumUs: raw.quantum,
    maxInsns: raw.maxInsns ?? DEFAULT_MAX_INSNS,
    charts: (raw.charts ?? CHART_NAMES) as ChartName[],
    checks: raw.checks ?? [],
    quick: opts.quick ?? false,
  };
  return exp;
}

type Path = (string | number)[];

/**
 * Validates against the schema; on errors (reported), removes the values they
 * are about from src.doc, repeatedly (a list left too short goes next), so the
 * later checks see only what the schema accepts. Returns the top-level keys
 * something was removed from, or undefined when the document itself is wrong.
 */
function withoutSchemaErrors(src: SpecSource): Set<string> | undefined {
  const pruned = new Set<string>();
  let invalid: Path[] = [];
  if (validateAgainst(src, 'experiment.schema.json', invalid)) return pruned;
  for (let round = 0; round < 8; round++) {
    if (invalid.some((p) => p.length === 0)) return undefined;
    // Deepest and highest index first, so that each removal leaves the other paths in place.
    const cmp = (a: Path, b: Path): number => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return typeof a[i] === 'number' && typeof b[i] === 'number' ? (b[i] as number) - (a[i] as number) : String(b[i]).localeCompare(String(a[i]));
      }
      return b.length - a.length;
    };
    const unique = [...new Map(invalid.map((p) => [JSON.stringify(p), p])).values()].sort(cmp);
    for (const p of unique) {
      src.doc.deleteIn(p);
      pruned.add(String(p[0]));
    }
    // The rest, checked again (a scratch copy collects the errors, which are not the user's).
    invalid = [];
    if (validateAgainst(new SpecSource(src.path, String(src.doc)), 'experiment.schema.json', invalid)) return pruned;
  }
  return undefined;
}

/** A preset name stays a name; a path is taken relative to the experiment file. */
function resolveTiming(src: SpecSource, value: string | undefined, path: string): { ref: string; base: Timing } | undefined {
  const asPath = value !== undefined && /[/\\]|\.ya?ml$/.test(value) ? resolve(dirname(path), value) : undefined;
  const ref = asPath ?? value ?? 'cortex-a57';
  try {
    if (asPath && !existsSync(asPath)) throw new Error(`no timing file ${value}`);
    return { ref, base: loadTiming(ref) };
  } catch (e) {
    src.report(child(src.root, 'timing') ?? src.root, `timing: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Why `path=value` is not a valid timing override, or undefined. */
function overrideProblem(base: Timing, path: string, value: Scalar): OverrideError | undefined {
  try {
    const t = structuredClone(base);
    applyOverride(t, `${path}=${String(value)}`);
    // The schema's bounds on this value (the geometry rules need the whole combination: later)
    const own = validateValue(t, 'timing.schema.json').filter((p) => p.startsWith(`${path}: `)).map((p) => p.slice(path.length + 2));
    return own.length ? new OverrideError(`${path}=${String(value)}`, own.join('; ')) : undefined;
  } catch (e) {
    if (e instanceof OverrideError) return e;
    throw e;
  }
}

/** The checks a schema cannot make: what the names refer to. */
class Checker {
  private readonly root: Node | null;
  /** Value nodes reported as wrong on their own: left out of the combination checks. */
  readonly bad = new Set<Node | undefined>();
  /**
   * `pruned`: top-level keys the schema check removed something from. What refers
   * to them (a check's workload label, a quick.sweep key) is not checked against
   * the incomplete rest.
   */
  constructor(private readonly src: SpecSource, private readonly raw: RawExperiment, private readonly timings: Timing[],
    private readonly pruned: Set<string> = new Set()) {
    this.root = src.root;
  }

  run(): void {
    const { src, root } = this;
    const hv = child(root, 'hypervisor');
    if (hv) src.report(hv, `hypervisor cost presets do not exist: the vmm's cost is the code it runs (set its options with vmm.* keys in set or sweep)`);
    this.workloadEntries();
    for (const [k, v] of entries(child(root, 'set'))) {
      if (String(scalar(k)).startsWith(VMM_PREFIX)) this.vmmValues(k, v ? [v] : [], 'set');
      else this.timingValue(k, v, [scalar(v) as Scalar], 'set');
    }
    this.sweep(child(root, 'sweep'), false);
    const quick = child(root, 'quick');
    this.sweep(child(quick, 'sweep'), true);
    for (const [k, v] of entries(child(quick, 'args'))) this.argForAll(k, String(scalar(k)), v ? [v] : []);
    this.quickWorkloads(child(quick, 'workloads'));
    for (const c of items(child(root, 'charts'))) this.chart(c);
    for (const c of items(child(root, 'checks'))) this.check(c);
  }

  /** A check: a known kind of metric, selections by keys the points have, at most one bound. */
  private check(node: Node): void {
    if (['workloads', 'modes', 'sweep'].some((k) => this.pruned.has(k))) return;
    const metric = child(node, 'metric');
    const problem = metricProblem(String(scalar(metric)));
    if (problem) this.src.report(metric, problem);
    const bounds = ['equals', 'atLeast', 'atMost', 'lessThan', 'greaterThan', 'published'].filter((k) => child(node, k));
    if (bounds.length > 1 && !(bounds.length === 2 && bounds.includes('atLeast') && bounds.includes('atMost'))) {
      this.src.report(child(node, bounds[1]!), `a check has one bound (equals, atLeast/atMost, lessThan, greaterThan or published), not ${bounds.join(' and ')}`);
    }
    const factor = child(node, 'factor'), published = child(node, 'published');
    if (factor && !child(node, 'lessThan') && !child(node, 'greaterThan') && !published) this.src.report(factor, 'factor goes with lessThan, greaterThan or published');
    if (factor && published && Number(scalar(factor)) < 1) this.src.report(factor, `factor with published is the tolerance, model / published within ÷factor…×factor: at least 1, not ${String(scalar(factor))}`);
    if (published && !child(node, 'reference')) this.src.report(published, 'published: the check needs a reference saying where the figure was published (and the clock, if it was converted from ns to cycles)');
    const modes = ['native', ...(this.raw.modes ?? [])];
    const labels = this.raw.workloads.map((w) => w.label ?? w.name);
    const sweepKeys = Object.keys(this.raw.sweep ?? {});
    for (const sel of ['of', 'lessThan', 'greaterThan']) {
      for (const [k, v] of entries(child(node, sel))) {
        const key = String(scalar(k)), value = String(scalar(v));
        if (key === 'workload') { if (!labels.includes(value)) this.src.report(v, `${sel}: no workload labelled '${value}' (${labels.join(', ')})`); }
        else if (key === 'mode') { if (!modes.includes(value)) this.src.report(v, `${sel}: mode '${value}' is not run by this experiment (${[...new Set(modes)].join(', ')})`); }
        else if (!sweepKeys.includes(key)) this.src.report(k, `${sel}: '${key}' is not workload, mode or a sweep key (${sweepKeys.join(', ') || 'no sweep'})`);
        else if (!(this.raw.sweep![key] ?? []).map(String).includes(value)) this.src.report(v, `${sel}: ${key} takes no value ${value} in the sweep (${this.raw.sweep![key]!.join(', ')})`);
      }
    }
  }

  private workloadEntries(): void {
    const labels = new Set<string>();
    for (const entry of items(child(this.root, 'workloads'))) {
      const nameNode = child(entry, 'name');
      const name = String(scalar(nameNode));
      const w = workloads().get(name);
      if (!w) {
        this.src.report(nameNode, `unknown workload '${name}' (workloads: ${[...workloads().keys()].join(', ')})`);
        continue;
      }
      const label = String(scalar(child(entry, 'label')) ?? name);
      if (labels.has(label)) this.src.report(child(entry, 'label') ?? nameNode, `a second workload labelled '${label}': give each entry its own label`);
      labels.add(label);
      for (const [k, v] of entries(child(entry, 'args'))) {
        const arg = String(scalar(k));
        if (arg === 'seed') { this.src.report(k, seedMessage('args.seed')); continue; }
        const problem = argProblem(w, arg, scalar(v));
        if (problem) this.src.report(problem.includes('takes no argument') ? k : v, problem);
      }
    }
  }

  /** quick.workloads: arguments by workload label, each one the workload takes. */
  private quickWorkloads(node: Node | undefined): void {
    const byLabel = new Map(this.raw.workloads.map((w) => [w.label ?? w.name, workloads().get(w.name)]));
    for (const [l, args] of entries(node)) {
      const label = String(scalar(l));
      if (!byLabel.has(label)) { this.src.report(l, `quick.workloads: no workload labelled '${label}' (${[...byLabel.keys()].join(', ')})`); continue; }
      const w = byLabel.get(label);
      if (!w) continue; // an unknown workload, reported at its entry
      for (const [k, v] of entries(args)) {
        const problem = argProblem(w, String(scalar(k)), scalar(v));
        if (problem) this.src.report(problem.includes('takes no argument') ? k : v, `quick.workloads.${label}: ${problem}`);
      }
    }
  }

  /** A sweep (or quick.sweep, whose keys must be the sweep's) of timing paths and args.NAME. */
  private sweep(node: Node | undefined, isQuick: boolean): void {
    for (const [k, v] of entries(node)) {
      const key = String(scalar(k));
      const values = items(v);
      if (isQuick && !(key in (this.raw.sweep ?? {}))) {
        if (!this.pruned.has('sweep')) this.src.report(k, `quick.sweep: '${key}' is not a key of sweep`);
        continue;
      }
      if (key.startsWith(ARG_PREFIX)) this.argForAll(k, key.slice(ARG_PREFIX.length), values);
      else if (key.startsWith(VMM_PREFIX)) this.vmmValues(k, values, 'sweep');
      else if (key === TIMING_KEY) this.presets(values);
      else this.timingValue(k, v, values.map((n) => scalar(n) as Scalar), 'sweep', values);
    }
  }

  /** args.NAME: some workload must take it, and every value must suit every workload that does. */
  private argForAll(keyNode: Node, arg: string, values: Node[]): void {
    if (arg === 'seed') { this.src.report(keyNode, seedMessage(`${ARG_PREFIX}seed`)); return; }
    const takers = this.raw.workloads.map((w) => workloads().get(w.name)).filter((w) => w !== undefined && takesArg(w, arg));
    if (!takers.length) {
      if (!this.pruned.has('workloads')) this.src.report(keyNode, `no workload of this experiment takes the argument '${arg}'`);
      return;
    }
    for (const v of values) {
      const problem = takers.map((w) => argProblem(w!, arg, scalar(v))).find((p) => p);
      if (problem) this.src.report(v, problem);
    }
  }

  /** vmm.OPTION: a known option, each value one of its choices. */
  private vmmValues(keyNode: Node, values: Node[], where: string): void {
    const key = String(scalar(keyNode)), option = key.slice(VMM_PREFIX.length);
    const choices = (VMM_CHOICES as Record<string, readonly (string | number)[]>)[option];
    if (!choices) { this.src.report(keyNode, `${where}: unknown vmm option '${key}' (${Object.keys(VMM_CHOICES).map((k) => VMM_PREFIX + k).join(', ')})`); return; }
    if (!(this.raw.modes ?? ['native']).some((m) => m !== 'native')) { if (!this.pruned.has('modes')) this.src.report(keyNode, `${where}: ${key} is an option of the vmm, and this experiment has no hypervisor mode (modes: ${(this.raw.modes ?? ['native']).join(', ')})`); return; }
    for (const v of values) {
      if (!choices.includes(scalar(v) as string | number)) {
        this.src.report(v, `${where}: ${key}: ${JSON.stringify(scalar(v))} is not ${choicesText(choices)}`);
        this.bad.add(v);
      }
    }
  }

  /** sweep.timing: preset names (a path would make the point ids and the results depend on where the file is). */
  private presets(values: Node[]): void {
    for (const v of values) {
      if (timingPresets().includes(scalar(v) as string)) continue;
      this.src.report(v, `sweep: timing: ${JSON.stringify(scalar(v))} is not a timing preset (${timingPresets().join(', ')})`);
      this.bad.add(v);
    }
  }

  private timingValue(keyNode: Node, valueNode: Node | undefined, values: Scalar[], where: string, valueNodes?: Node[]): void {
    if (!this.timings.length) return;
    const key = String(scalar(keyNode));
    if (key === 'tlb.seed') { this.src.report(keyNode, seedMessage(key)); return; }
    values.forEach((value, i) => {
      const problem = this.timings.map((t) => overrideProblem(t, key, value)).find((p) => p);
      if (!problem) return;
      if (problem.unknownPath) {
        this.bad.add(valueNodes?.[i] ?? valueNode);
        if (i === 0) this.src.report(keyNode, `${where}: unknown timing path '${key}' (a timing path such as tlb.l2.entries${where === 'sweep' ? ', or args.NAME for a workload argument' : ''}; README.md lists them)`);
      } else {
        this.src.report(valueNodes?.[i] ?? valueNode, `${where}: ${key}: ${problem.problem}`);
        this.bad.add(valueNodes?.[i] ?? valueNode);
      }
    });
  }

  private chart(node: Node): void {
    const name = scalar(node);
    if (!(CHART_NAMES as readonly unknown[]).includes(name)) this.src.report(node, `unknown chart '${String(name)}' (charts: ${CHART_NAMES.join(', ')})`);
  }
}

const seedMessage = (key: string) => `${key}: the seed comes from repeat (seeds 1..repeat), given to tlb.seed and to every workload that takes --seed`;

const MAX_COMBINATION_PROBLEMS = 20;

/**
 * Geometry is checked on whole configurations (tlb.l2.ways must divide tlb.l2.entries): every
 * combination of the timing keys. Each distinct problem is reported once, with a combination that has it.
 */
function checkTimingCombinations(src: SpecSource, sweepNode: Node | undefined, exp: Pick<Experiment, 'set' | 'sweep'>, base: Timing): void {
  const timingKeys = exp.sweep.filter(([k]) => isTimingKey(k));
  const seen = new Set<string>();
  for (const combo of cartesian(timingKeys)) {
    try {
      applyOverrides(structuredClone(base), overrideList(exp.set.filter(([k]) => isTimingKey(k)), combo));
    } catch (e) {
      if (!(e instanceof OverrideError)) throw e;
      for (const problem of e.problem.split('; ')) {
        if (seen.has(problem)) continue;
        seen.add(problem);
        if (seen.size > MAX_COMBINATION_PROBLEMS) continue;
        src.report(sweepNode ?? child(src.root, 'set') ?? src.root, `${combo.length ? 'sweep' : 'set'}: ${problem}, with --set ${e.assignment}`);
      }
    }
  }
  if (seen.size > MAX_COMBINATION_PROBLEMS) {
    src.report(sweepNode ?? child(src.root, 'set') ?? src.root, `sweep: ${seen.size - MAX_COMBINATION_PROBLEMS} more combinations have problems`);
  }
}

/** Every combination of vmm.granule and vmm.block that the set and sweep make must be one the granule has. */
function checkVmmCombinations(src: SpecSource, sweepNode: Node | undefined, exp: Pick<Experiment, 'set' | 'sweep'>): void {
  const keys = exp.sweep.filter(([k]) => k === `${VMM_PREFIX}granule` || k === `${VMM_PREFIX}block`);
  const bad = new Set<string>();
  for (const combo of cartesian(keys)) {
    const o = Object.fromEntries([...exp.set, ...combo].filter(([k]) => k.startsWith(VMM_PREFIX)).map(([k, v]) => [k.slice(VMM_PREFIX.length), v]));
    const problem = vmmOptionsProblem(vmmOptions(o as Partial<VmmOptions>));
    if (problem) bad.add(problem);
  }
  for (const p of bad) src.report(sweepNode ?? child(src.root, 'set') ?? src.root, `vmm: ${p}; sweep the block sizes of one granule at a time`);
}

export const overrideList = (...lists: [string, Scalar][][]): string[] => lists.flat().map(([k, v]) => `${k}=${String(v)}`);

/** Every combination of the keys' values, the first key varying slowest. */
export function cartesian(keys: [string, Scalar[]][]): [string, Scalar][][] {
  return keys.reduce<[string, Scalar][][]>((acc, [k, vs]) => acc.flatMap((combo) => vs.map((v): [string, Scalar][] => [...combo, [k, v]])), [[]]);
}
