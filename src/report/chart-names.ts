// The chart kinds an experiment's `charts:` may name. A file without imports:
// the experiment loader checks the names, and nothing the charts need leads back to it.
export const CHART_NAMES = ['cycles', 'overhead', 'breakdown', 'exits', 'crossover', 'mpki', 'walks', 'sweep', 'latency', 'figures'] as const;
export type ChartName = (typeof CHART_NAMES)[number];
