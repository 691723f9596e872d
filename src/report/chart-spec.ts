// What a chart is, apart from how its data is gathered (charts.ts and the
// modules it draws on) and how it is drawn (render.ts): its specification and
// its data.
import type { RunStats } from '../machine/stats.js';
import type { GoodPoint as PointResult } from '../experiments/run-point.js';

export interface Metric {
  label: string; value(s: RunStats, r: PointResult): number;
  /** The metric's own colour (an exit reason's), whatever else the chart shows. */
  colour?: string;
  /**
   * How many events the value averages over (a reason's exits): the dataset's label gets the
   * count over the chart's configurations (n=…), a bar whose run saw fewer than `minCount` is
   * drawn pale, and a dataset with fewer in every configuration is left out and named in a note.
   */
  count?: (s: RunStats) => number;
  minCount?: number;
}

export interface ChartSpec {
  /** PNG file name under charts/, without the extension. */
  file: string;
  title: string;
  type: 'bar' | 'line';
  stacked?: boolean;
  /** Bars along the y axis, labels readable however many configurations there are. */
  horizontal?: boolean;
  yTitle: string;
  /** The dimensions along the x axis: 'workload', 'mode', sweep keys; undefined: all of them. */
  x?: string[];
  xTitle?: string;
  series: Metric[] | { metric: Metric };
  /** The points the chart shows (default all). */
  only?: (r: PointResult) => boolean;
  /** A reference value marked across the plot (1.0 on an overhead chart). */
  mark?: number;
  /** Points along the x axis marked by a vertical line: between labels i and i+1, `frac` of the way (where two lines cross). */
  xMarks?: { i: number; frac: number; label: string }[];
  /** Colour the datasets by the mode their label starts with (one colour per mode in every chart). */
  byMode?: boolean;
  /** Colours of the series (Metric[] series, or the datasets of `data`), in their order; default the palette. */
  colours?: string[];
  /**
   * The labels are the numbers of a numeric sweep, drawn at their values: on a linear axis, a
   * logarithmic one, or a logarithmic one with 0 drawn a decade below the smallest other value
   * (`symlog`); ticked at the values swept.
   */
  xScale?: XScale;
  /** A panel of one workload (its title names it): series labels leave the workload out. */
  panel?: string;
  /** Never split into panels (the report prints a crossover chart's crossings under its title). */
  whole?: boolean;
  /** A line under the title: what was left out or drawn pale, and why. */
  note?: string;
  /** The labels are numbers drawn at their values on a log2 axis, ticked at powers of two and labelled by `xTick`. */
  xLog2?: boolean;
  xTick?: (v: number) => string;
  /** A logarithmic value axis, ticked at 1, 2, 5, 10… */
  yLog?: boolean;
  /** Values of a numeric (log2) x axis marked by a thin dotted line in `colour`, `label` at the top in row `row` (the calibration's capacities). */
  xLines?: { at: number; label: string; colour: string; row: number }[];
  /** The data itself, for charts that are not points grouped by chartData (the calibration's). */
  data?: ChartData;
}

/** A dataset's values, seeds averaged; `low`/`high`: the smallest and largest over seeds, where seeds differ. */
export interface Dataset {
  label: string; data: (number | null)[]; low?: (number | null)[]; high?: (number | null)[];
  /** Published values beside the model's: markers without a line on a line chart, light bars with a dark edge on a bar chart. */
  reference?: boolean;
  /** Its own colour (a metric's), before the chart's. */
  colour?: string;
  /** Bars drawn pale: too few events behind the value to compare it. */
  faint?: boolean[];
}
export interface ChartData {
  labels: string[]; datasets: Dataset[];
  /** What the data selection left out (datasets with too few events to compare). */
  note?: string;
}

export type XScale = 'linear' | 'log' | 'symlog';

