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
const xMarkLines = (marks: NonNullable<ChartSpec['xMarks']>): Plugin => ({
  id: 'xMarkLines',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = '#555';
    ctx.fillStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([3, 3]);
    ctx.font = '13px DejaVu Sans, sans-serif';
    marks.forEach((m, k) => {
      const x0 = scales.x!.getPixelForValue(m.i), x1 = scales.x!.getPixelForValue(m.i + 1);
      const x = x0 + (x1 - x0) * m.frac;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(m.label, x + 4, chartArea.top + 16 + 16 * k);
    });
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
const MODE_HUES: Record<(typeof ALL_MODES)[number], string> = {
  native: '#4e79a7', stage2: '#e8741a', 'shadow-wp': '#3f8f3a', 'shadow-lazy': '#d6383b',
};

function colours(spec: ChartSpec, labels: string[]): string[] {
  if (spec.colours) return labels.map((_, i) => spec.colours![i] ?? PALETTE[i % PALETTE.length]!);
  if (!spec.byMode) return labels.map((_, i) => PALETTE[i % PALETTE.length]!);
  const total: Record<string, number> = {}, used: Record<string, number> = {};
  for (const l of labels) { const m = modeOf(l); if (m) total[m] = (total[m] ?? 0) + 1; }
  return labels.map((l, i) => {
    const mode = modeOf(l);
    if (mode === undefined) return PALETTE[i % PALETTE.length]!;
    const k = (used[mode] = (used[mode] ?? -1) + 1);
    return shade(MODE_HUES[mode], k, total[mode]!);
  });
}

/** A long label as lines of at most ~28 characters, broken at ', '. */
function wrap(label: string): string | string[] {
  if (label.length <= 28) return label;
  const lines: string[] = [];
  for (const part of label.split(', ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + part.length + 2 <= 28) lines[lines.length - 1] = `${last}, ${part}`;
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

/** PNG bytes, or SVG text with `format: 'svg'`. */
export function renderChart(spec: ChartSpec, data: ChartData, format: 'png' | 'svg' = 'png'): Buffer {
  const n = data.labels.length;
  // bars side by side per label: all datasets', or (skipping nulls) only those a label has
  const barsPerLabel = spec.stacked ? 1 : spec.data ? Math.max(1, ...data.labels.map((_, i) => data.datasets.filter((d) => d.data[i] != null).length)) : data.datasets.length;
  const perLabel = spec.type === 'bar' ? 18 * Math.max(1, barsPerLabel) + 24 : 60;
  const lines = Math.max(1, ...data.labels.map((l) => { const w = wrap(l); return Array.isArray(w) ? w.length : 1; }));
  // many series: the legend goes to the right, beside the plot, instead of squeezing it from below
  const sideLegend = data.datasets.length > 6;
  const width = (spec.horizontal ? 1100 : Math.max(900, 160 + n * Math.max(perLabel, lines > 1 ? 90 : 0))) + (sideLegend ? 560 : 0);
  const height = spec.horizontal ? Math.max(500, 200 + n * Math.max(perLabel, 16 * lines + 8)) : 600;
  const svg = format === 'svg' ? createCanvas(width, height, SvgExportFlag.RelativePathEncoding) : undefined;
  const png = svg ? undefined : createCanvas(width, height);
  const ctx = (svg ?? png)!.getContext('2d');
  const colour = colours(spec, data.datasets.map((d) => d.label));
  const config: ChartConfiguration = {
    type: spec.type,
    data: {
      labels: data.labels.map(wrap),
      datasets: data.datasets.map((d, i) => {
        const c = colour[i]!;
        // on a log2 axis each value sits at its label's number; a line spans the sizes a series lacks
        const values = spec.xLog2 ? d.data.map((y, j) => (y === null ? null : { x: Number(data.labels[j]), y })).filter((p) => p !== null) : d.data;
        const style = spec.type === 'line'
          ? d.reference ? { showLine: false, pointStyle: 'rectRot', pointRadius: 9, pointBorderWidth: 2.5, backgroundColor: '#fff', borderColor: c }
            : { borderWidth: 2.5, pointRadius: 3.5, fill: false, spanGaps: true, backgroundColor: c, borderColor: c }
          : d.reference ? { backgroundColor: tint(c, 0.6), borderColor: c, borderWidth: 2 } : { backgroundColor: c, borderColor: c };
        return { label: d.label, data: values, ...style, ...(spec.data && spec.type === 'bar' ? { skipNull: true, maxBarThickness: 44 } : {}) };
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
        // beside published markers, the legend shows each series' marker (their diamonds, the lines' dots)
        legend: { position: sideLegend ? 'right' : 'bottom', maxWidth: 600, labels: { font: { size: 14 }, ...(spec.type === 'line' && data.datasets.some((d) => d.reference) ? { usePointStyle: true, boxWidth: 10, boxHeight: 10 } : {}) } },
      },
      scales: {
        [spec.horizontal ? 'y' : 'x']: {
          stacked: spec.stacked, title: { display: !!spec.xTitle, text: spec.xTitle ?? '', font: { size: 15 } }, ticks: { font: { size: 13 } }, ...(spec.xLog2 ? log2Axis(spec, data) : {}),
        },
        [spec.horizontal ? 'x' : 'y']: {
          stacked: spec.stacked, beginAtZero: !spec.yLog, title: { display: true, text: spec.yTitle, font: { size: 15 } }, ticks: { font: { size: 13 } }, ...(spec.yLog ? logAxis(data) : {}),
        },
      },
    } as ChartConfiguration['options'],
    plugins: [
      whiteBackground,
      ...(spec.mark === undefined ? [] : [markLine(spec.mark, spec.horizontal ? 'x' : 'y')]),
      ...(spec.xMarks?.length ? [xMarkLines(spec.xMarks)] : []),
      ...(spec.xLines?.length ? [xLines(spec.xLines)] : []),
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
