// A chart drawn by Chart.js on a @napi-rs/canvas (Skia) canvas, as PNG bytes:
// no browser, the same picture on every machine with the same fonts.
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import type { ChartData, ChartSpec } from './charts.js';

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

/** A dashed line across the plot at y = spec.mark. */
const markLine = (y: number): Plugin => ({
  id: 'markLine',
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart;
    const py = scales.y!.getPixelForValue(y);
    ctx.save();
    ctx.strokeStyle = '#222';
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(chartArea.left, py);
    ctx.lineTo(chartArea.right, py);
    ctx.stroke();
    ctx.restore();
  },
});

export function renderPng(spec: ChartSpec, data: ChartData): Buffer {
  const width = Math.max(900, 160 + data.labels.length * (spec.type === 'bar' ? 18 * Math.max(1, spec.stacked ? 1 : data.datasets.length) + 24 : 60));
  const height = 600;
  const canvas = createCanvas(width, height);
  const config: ChartConfiguration = {
    type: spec.type,
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => {
        const color = PALETTE[i % PALETTE.length];
        return { label: d.label, data: d.data, backgroundColor: color, borderColor: color, ...(spec.type === 'line' ? { borderWidth: 2, pointRadius: 4, fill: false } : {}) };
      }),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: spec.title, font: { size: 18 } },
        legend: { position: 'bottom' },
      },
      scales: {
        x: { stacked: spec.stacked, title: { display: !!spec.xTitle, text: spec.xTitle ?? '' } },
        y: { stacked: spec.stacked, beginAtZero: true, title: { display: true, text: spec.yTitle } },
      },
    },
    plugins: spec.mark === undefined ? [whiteBackground] : [whiteBackground, markLine(spec.mark)],
  };
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
