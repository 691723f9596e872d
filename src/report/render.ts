// A chart drawn by Chart.js on a @napi-rs/canvas (Skia) canvas, as PNG bytes:
// no browser, the same picture on every machine with the same fonts.
import { createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import type { ChartData, ChartSpec } from './chart-spec.js';
import { modeOf, type ALL_MODES } from './vm-charts.js';
import { shade, tint } from './colours.js';

Chart.register(...registerables);
Chart.defaults.font.family = 'DejaVu Sans, Helvetica, Arial, sans-serif';
Chart.defaults.color = '#222';

/** Tableau 10: distinguishable, and readable in print. */
// Tableau 20: the dark and light shade of ten hues, so up to 20 series stay distinct
const PALETTE = [
  '#4e79a7', '#a0cbe8', '#f28e2b', '#ffbe7d', '#59a14f', '#8cd17d', '#b6992d', '#f1ce63', '#499894', '#86bcb6',
  '#e15759', '#ff9d9a', '#79706e', '#bab0ac', '#d37295', '#fabfd2', '#b07aa1', '#d4a6c8', '#9d7660', '#d7b5a6',
];

/** The canvas is transparent; papers want white. */
const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** A dashed line across the plot at `value` of the value axis. */
const markLine = (value: number, axis: 'x' | 'y'): Plugin => ({
  id: 'markLine',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    const p = scales[axis]!.getPixelForValue(value);
    ctx.save();
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    if (axis === 'y') { ctx.moveTo(chartArea.left, p); ctx.lineTo(chartArea.right, p); }
    else { ctx.moveTo(p, chartArea.top); ctx.lineTo(p, chartArea.bottom); }
    ctx.stroke();
    ctx.restore();
  },
});

/** Vertical dashed lines at fractional positions along a category x axis, each with its label. */
const xMarkLines = (marks: NonNullable<ChartSpec['xMarks']>, at?: number[]): Plugin => ({
  id: 'xMarkLines',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = '#555';
    ctx.fillStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([3, 3]);
    ctx.font = '13px DejaVu Sans, sans-serif';
    // the lines first, then each label on a white ground: a label may cross another mark's line
    const xs = marks.map((m) => {
      const x0 = scales.x!.getPixelForValue(at ? at[m.i]! : m.i), x1 = scales.x!.getPixelForValue(at ? at[m.i + 1]! : m.i + 1);
      return x0 + (x1 - x0) * m.frac; // on a numeric axis the labels sit at their values; the drawn lines cross the same fraction of the way
    });
    for (const x of xs) {
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
    }
    marks.forEach((m, k) => {
      const y = chartArea.top + 16 + 16 * k;
      ctx.fillStyle = '#fff';
      ctx.fillRect(xs[k]! + 2, y - 12, ctx.measureText(m.label).width + 4, 16);
      ctx.fillStyle = '#222';
      ctx.fillText(m.label, xs[k]! + 4, y);
    });
    ctx.restore();
  },
});

/** Two short slanted strokes across the x axis between 0 and the first other value of a symlog axis: the scale is broken there. */
const axisBreak = (zero: number, next: number): Plugin => ({
  id: 'axisBreak',
  afterDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    const x = (scales.x!.getPixelForValue(zero) + scales.x!.getPixelForValue(next)) / 2;
    const y = chartArea.bottom;
    ctx.save();
    ctx.fillStyle = '#fff';
    ctx.fillRect(x - 5, y - 7, 10, 14);
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const dx of [-4, 2]) { ctx.moveTo(x + dx - 3, y + 6); ctx.lineTo(x + dx + 3, y - 6); }
    ctx.stroke();
    ctx.restore();
  },
});

/** Thin dotted vertical lines at values of a numeric x axis, each labelled at the top of the plot in its row. */
const xLines = (lines: NonNullable<ChartSpec['xLines']>): Plugin => ({
  id: 'xLines',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.lineWidth = 1.2;
    ctx.setLineDash([2, 4]);
    ctx.font = '12px DejaVu Sans, sans-serif';
    for (const l of lines) {
      const x = scales.x!.getPixelForValue(l.at);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.strokeStyle = l.colour;
      ctx.fillStyle = l.colour;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top + 14 * (l.row + 1));
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(l.label, x + 3, chartArea.top + 11 + 14 * l.row);
    }
    ctx.restore();
  },
});

/** Whiskers from the lowest to the highest seed's value on each bar or point (not on stacked bars). */
const errorBars = (data: ChartData, horizontal: boolean): Plugin => ({
  id: 'errorBars',
  afterDatasetsDraw: (chart) => {
    const { ctx } = chart;
    const value = chart.scales[horizontal ? 'x' : 'y']!;
    ctx.save();
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 1.2;
    data.datasets.forEach((d, i) => {
      if (!d.low || !d.high) return;
      chart.getDatasetMeta(i).data.forEach((el, j) => {
        const lo = d.low![j], hi = d.high![j];
        if (lo == null || hi == null) return;
        const [a, b] = [value.getPixelForValue(lo), value.getPixelForValue(hi)];
        const { x, y } = el as unknown as { x: number; y: number };
        ctx.beginPath();
        if (horizontal) { ctx.moveTo(a, y); ctx.lineTo(b, y); ctx.moveTo(a, y - 4); ctx.lineTo(a, y + 4); ctx.moveTo(b, y - 4); ctx.lineTo(b, y + 4); }
        else { ctx.moveTo(x, a); ctx.lineTo(x, b); ctx.moveTo(x - 4, a); ctx.lineTo(x + 4, a); ctx.moveTo(x - 4, b); ctx.lineTo(x + 4, b); }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
});

/** One hue per mode in every chart; a mode's further configurations are lighter shades of it. */
export const MODE_HUES: Record<(typeof ALL_MODES)[number], string> = {
  native: '#4e79a7', stage2: '#e8741a', 'shadow-wp': '#3f8f3a', 'shadow-lazy': '#d6383b',
};

/** Hues for series past the palette's 20: around the colour wheel by the golden angle, in three lightnesses. */
function extraColour(k: number): string {
  const h = (k * 137.508 + 15) % 360, l = [0.42, 0.62, 0.3][k % 3]!, sat = 0.55;
  const f = (n: number) => { const a = (n + h / 30) % 12; return l - sat * Math.min(l, 1 - l) * Math.max(-1, Math.min(a - 3, 9 - a, 1)); };
  return '#' + [f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
}

/** Each dataset's colour: its own, the spec's, its mode's hue (a shade of it), or the palette's; never the same twice among a chart's series. */
export function seriesColours(spec: ChartSpec, data: ChartData): string[] {
  const labels = data.datasets.map((d) => d.label);
  const total: Record<string, number> = {}, used: Record<string, number> = {};
  for (const l of labels) { const m = modeOf(l); if (m) total[m] = (total[m] ?? 0) + 1; }
  const wanted = data.datasets.map((d, i) => {
    if (d.colour) return d.colour;
    if (spec.colours) return spec.colours[i] ?? PALETTE[i % PALETTE.length]!;
    const mode = spec.byMode ? modeOf(d.label) : undefined;
    if (mode === undefined) return PALETTE[i] ?? extraColour(i - PALETTE.length);
    const k = (used[mode] = (used[mode] ?? -1) + 1);
    return shade(MODE_HUES[mode], k, total[mode]!);
  });
  // a fixed colour (a reason's, the spec's) is kept; published values share their model's hue
  // (drawn hollow or pale); any other repeat gets a colour of its own
  const fixed = (i: number) => data.datasets[i]!.colour !== undefined || spec.colours?.[i] !== undefined;
  const taken = new Set<string>();
  // the first of two series with the same fixed colour keeps it (unknown exit reasons share a grey)
  const out = wanted.map((c, i) => {
    if (!fixed(i) || data.datasets[i]!.reference || taken.has(c.toLowerCase())) return undefined;
    taken.add(c.toLowerCase());
    return c;
  });
  let extra = 0;
  return wanted.map((c, i) => {
    if (data.datasets[i]!.reference || out[i]) return c;
    let pick = c;
    while (taken.has(pick.toLowerCase())) pick = extraColour(extra++);
    taken.add(pick.toLowerCase());
    return pick;
  });
}

const DASHES = [[], [9, 4], [2, 3], [12, 3, 2, 3], [5, 5]];

/** On a line chart by mode, a mode's further configurations are dashed as well as lighter: pale lines stay told apart. */
function lineDashes(spec: ChartSpec, data: ChartData): number[][] {
  const used: Record<string, number> = {};
  return data.datasets.map((d) => {
    const mode = spec.type === 'line' && spec.byMode ? modeOf(d.label) : undefined;
    if (mode === undefined) return [];
    const k = (used[mode] = (used[mode] ?? -1) + 1);
    return DASHES[k % DASHES.length]!;
  });
}

/** A long label as lines of at most `max` characters (28; 48 beside horizontal bars), broken at ', '. */
function wrap(label: string, max = 28): string | string[] {
  if (label.length <= max) return label;
  const lines: string[] = [];
  for (const part of label.split(', ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + part.length + 2 <= max) lines[lines.length - 1] = `${last}, ${part}`;
    else lines.push(part);
  }
  return lines;
}

type Ticked = { ticks: { value: number }[]; min: number; max: number };

/** A logarithmic x axis over the labels' numbers, ticked at powers of two (every second or fourth one when there are many). */
function log2Axis(spec: ChartSpec, data: ChartData) {
  const xs = data.labels.map(Number);
  const [lo, hi] = [Math.log2(Math.min(...xs)), Math.log2(Math.max(...xs))];
  const step = Math.max(1, Math.ceil((hi - lo) / 12));
  const format = spec.xTick ?? String;
  return {
    type: 'logarithmic', min: 2 ** lo / 1.15, max: 2 ** hi * 1.15,
    afterBuildTicks: (axis: Ticked) => { axis.ticks = Array.from({ length: Math.floor((hi - lo) / step) + 1 }, (_, i) => ({ value: 2 ** (lo + i * step) })); },
    ticks: { font: { size: 13 }, autoSkip: false, maxRotation: 0, callback: (v: number | string) => format(Number(v)) },
  };
}

/** Where a numeric sweep's value sits on its axis: under symlog, 0 a decade below the smallest other value. */
export function xPosition(spec: ChartSpec, labels: string[]): number[] {
  const xs = labels.map(Number);
  if (spec.xScale !== 'symlog') return xs;
  const low = Math.min(...xs.filter((x) => x > 0)) / 10;
  return xs.map((x) => (x > 0 ? x : low));
}

/** A numeric x axis over a sweep's values, ticked at the values swept (0 labelled 0 on a symlog axis). */
function numericAxis(spec: ChartSpec, data: ChartData) {
  const at = xPosition(spec, data.labels);
  const [lo, hi] = [Math.min(...at), Math.max(...at)];
  const log = spec.xScale !== 'linear';
  const pad = (hi - lo) * 0.04 || 1;
  const label = new Map(at.map((p, i) => [p, Number(data.labels[i]).toLocaleString('en-US')]));
  return {
    type: log ? 'logarithmic' : 'linear',
    min: log ? lo / 1.25 : lo - pad, max: log ? hi * 1.25 : hi + pad,
    afterBuildTicks: (axis: Ticked) => { axis.ticks = [...new Set(at)].sort((a, b) => a - b).map((value) => ({ value })); },
    ticks: { font: { size: 13 }, autoSkip: false, maxRotation: 0, callback: (v: number | string) => label.get(Number(v)) ?? Number(v).toLocaleString('en-US') },
  };
}

/** The axis title of a numeric sweep, saying how it is spaced. */
function numericTitle(spec: ChartSpec, data: ChartData): string {
  const t = spec.xTitle ?? '';
  if (spec.xScale === 'log') return `${t} (log scale)`;
  if (spec.xScale === 'symlog') return `${t} (log scale; 0 plotted at ${xPosition(spec, data.labels).filter((_, i) => Number(data.labels[i]) === 0)[0]!.toLocaleString('en-US')}, a decade below the smallest other value)`;
  return t;
}

/** The 1-2-5 steps of a logarithmic axis, 1, 2, 5, 10, 20, 50… */
const STEPS = Array.from({ length: 24 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** (Math.floor(i / 3) - 3));

/** A logarithmic value axis from the 1-2-5 step below the smallest value to the one above the largest, ticked at each. */
function logAxis(data: ChartData) {
  const vs = data.datasets.flatMap((d) => d.data).filter((v): v is number => v !== null && v > 0);
  return {
    type: 'logarithmic',
    min: [...STEPS].reverse().find((t) => t < Math.min(...vs)) ?? STEPS[0],
    max: STEPS.find((t) => t > Math.max(...vs)) ?? STEPS.at(-1),
    afterBuildTicks: (axis: Ticked) => {
      const ticks: { value: number }[] = [];
      for (let e = Math.floor(Math.log10(axis.min)); 10 ** e <= axis.max; e++) for (const m of [1, 2, 5]) if (m * 10 ** e >= axis.min && m * 10 ** e <= axis.max) ticks.push({ value: m * 10 ** e });
      axis.ticks = ticks;
    },
    ticks: { font: { size: 13 }, callback: (v: number | string) => Number(v).toLocaleString('en-US') },
  };
}

/** A chart is never taller than this (rows get thinner), unless its labels alone need more; a vertical one never wider. */
export const MAX_HEIGHT = 1200;
const MAX_WIDTH = 1600;

/** PNG bytes, or SVG text with `format: 'svg'`. */
export function renderChart(spec: ChartSpec, data: ChartData, format: 'png' | 'svg' = 'png'): Buffer {
  const n = data.labels.length;
  // bars side by side per label: all datasets', or (skipping nulls) only those a label has
  const barsPerLabel = spec.stacked ? 1 : spec.data ? Math.max(1, ...data.labels.map((_, i) => data.datasets.filter((d) => d.data[i] != null).length)) : data.datasets.length;
  const perLabel = spec.type === 'bar' ? 18 * Math.max(1, barsPerLabel) + 24 : 60;
  const wrapAt = spec.horizontal ? 48 : 28;
  const lines = Math.max(1, ...data.labels.map((l) => { const w = wrap(l, wrapAt); return Array.isArray(w) ? w.length : 1; }));
  // many series: the legend goes to the right, beside the plot, instead of squeezing it from below
  const sideLegend = data.datasets.length > 6;
  const notes = [spec.note, data.note].filter((t): t is string => !!t);
  const width = (spec.horizontal ? 1100 : Math.min(MAX_WIDTH, Math.max(900, 160 + n * Math.max(perLabel, lines > 1 ? 90 : 0)))) + (sideLegend ? 560 : 0);
  // horizontal: a row per label, thinner bars past MAX_HEIGHT, never thinner than its label's lines
  const height = spec.horizontal ? Math.max(500, Math.min(MAX_HEIGHT, 200 + n * perLabel), 200 + n * (15 * lines + 6)) + 18 * notes.length : 600 + 18 * notes.length;
  const svg = format === 'svg' ? createCanvas(width, height, SvgExportFlag.RelativePathEncoding) : undefined;
  const png = svg ? undefined : createCanvas(width, height);
  const ctx = (svg ?? png)!.getContext('2d');
  const colour = seriesColours(spec, data);
  const dash = lineDashes(spec, data);
  const at = spec.xScale ? xPosition(spec, data.labels) : undefined;
  const config: ChartConfiguration = {
    type: spec.type,
    data: {
      labels: data.labels.map((l) => wrap(l, wrapAt)),
      datasets: data.datasets.map((d, i) => {
        const c = colour[i]!;
        // on a log2 axis each value sits at its label's number; a line spans the sizes a series lacks
        const values = spec.xLog2 || at ? d.data.map((y, j) => (y === null ? null : { x: at ? at[j]! : Number(data.labels[j]), y })).filter((p) => p !== null) : d.data;
        // pale: too few events behind the bar to compare
        const fill = d.faint ? d.faint.map((f) => (f ? tint(c, 0.78) : c)) : c;
        const style = spec.type === 'line'
          ? d.reference ? { showLine: false, pointStyle: 'rectRot', pointRadius: 9, pointBorderWidth: 2.5, backgroundColor: '#fff', borderColor: c }
            : { borderWidth: 2.5, pointRadius: 3.5, fill: false, spanGaps: true, backgroundColor: c, borderColor: c, borderDash: dash[i] }
          : d.reference ? { backgroundColor: tint(c, 0.6), borderColor: c, borderWidth: 2 } : { backgroundColor: fill, borderColor: fill };
        // a configuration without the series' figure (no exits of a reason) leaves no empty slot
        const skip = spec.type === 'bar' && (spec.data || (Array.isArray(spec.series) && spec.series.some((m) => m.count)));
        return { label: d.label, data: values, ...style, ...(skip ? { skipNull: true, maxBarThickness: 44 } : {}) };
      }),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      indexAxis: spec.horizontal ? 'y' : 'x',
      font: { size: 14 },
      plugins: {
        title: { display: true, text: spec.title, font: { size: 20 } },
        subtitle: { display: notes.length > 0, text: notes, font: { size: 13 }, color: '#444', padding: { bottom: 8 } },
        // beside published markers, the legend shows each series' marker (their diamonds, the lines' dots)
        legend: {
          position: sideLegend ? 'right' : 'bottom', maxWidth: 600,
          labels: {
            font: { size: 14 }, ...(spec.type === 'line' && data.datasets.some((d) => d.reference) ? { usePointStyle: true, boxWidth: 10, boxHeight: 10 } : {}),
            // a series with pale bars keeps its own colour in the legend (Chart.js would take its first bar's)
            generateLabels: (chart: Chart) => Chart.defaults.plugins.legend.labels.generateLabels(chart)
              .map((l) => (data.datasets[l.datasetIndex!]?.faint ? { ...l, fillStyle: colour[l.datasetIndex!], strokeStyle: colour[l.datasetIndex!] } : l)),
          },
        },
      },
      scales: {
        [spec.horizontal ? 'y' : 'x']: {
          stacked: spec.stacked, title: { display: !!spec.xTitle, text: spec.xScale ? numericTitle(spec, data) : spec.xTitle ?? '', font: { size: 15 } }, ticks: { font: { size: 13 } },
          ...(spec.xLog2 ? log2Axis(spec, data) : spec.xScale ? numericAxis(spec, data) : {}),
        },
        [spec.horizontal ? 'x' : 'y']: {
          stacked: spec.stacked, beginAtZero: !spec.yLog, title: { display: true, text: spec.yTitle, font: { size: 15 } }, ticks: { font: { size: 13 } }, ...(spec.yLog ? logAxis(data) : {}),
        },
      },
    } as ChartConfiguration['options'],
    plugins: [
      whiteBackground,
      ...(spec.mark === undefined ? [] : [markLine(spec.mark, spec.horizontal ? 'x' : 'y')]),
      ...(spec.xMarks?.length ? [xMarkLines(spec.xMarks, spec.xScale ? xPosition(spec, data.labels) : undefined)] : []),
      ...(spec.xLines?.length ? [xLines(spec.xLines)] : []),
      ...(spec.xScale === 'symlog' && at ? [axisBreak(Math.min(...at), Math.min(...at.filter((x) => x > Math.min(...at))))] : []),
      ...(spec.stacked ? [] : [errorBars(data, !!spec.horizontal)]),
    ],
  };
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, config);
  try {
    return svg ? svg.getContent() : png!.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

export const renderPng = (spec: ChartSpec, data: ChartData): Buffer => renderChart(spec, data, 'png');
