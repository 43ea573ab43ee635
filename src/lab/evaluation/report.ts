// Human-readable evaluation output: the blog's per-genre table and the confusion matrix, as text
// and as a PNG (rows = actual genre, columns = predicted; cell shade = share of the row).
import type { MetricsSummary } from '../../genre/model/metadata.js';
import type { AnswerCalibration } from './calibration-error.js';
import { createImage, drawText, encodePng, fillRect, textWidth } from './png.js';

export function formatMetricsTable({ title, metrics, labels }: { title: string; metrics: MetricsSummary; labels: readonly string[] }): string {
  const w = Math.max(9, ...labels.map((l) => l.length));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(9);
  const lines = [
    `== ${title}: ${metrics.clips} clips`,
    `${'genre'.padEnd(w)}  precision     recall         f1       n`,
    ...labels.map((l) => {
      const c = metrics.perClass[l]!;
      return `${l.padEnd(w)}  ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}  ${String(c.support).padStart(6)}`;
    }),
    `accuracy ${pct(metrics.accuracy).trim()}   balanced accuracy ${pct(metrics.balancedAccuracy).trim()}   macro F1 ${pct(metrics.macroF1).trim()}`,
  ];
  return lines.join('\n');
}

export function formatConfusion({ metrics, labels }: { metrics: MetricsSummary; labels: readonly string[] }): string {
  const w = Math.max(9, ...labels.map((l) => l.length));
  const cw = Math.max(6, ...labels.map((l) => l.length)) + 1;
  return [
    `confusion (rows: actual, columns: predicted)`,
    `${''.padEnd(w)} ${labels.map((l) => l.padStart(cw)).join('')}`,
    ...labels.map((l, r) => `${l.padEnd(w)} ${metrics.confusion[r]!.map((v) => String(v).padStart(cw)).join('')}`),
  ].join('\n');
}

/** One line: how sure the answers looked against how often they were right. */
export function formatAnswerCalibration(c: AnswerCalibration): string {
  const raw = c.eceUncalibrated === undefined ? '' : ` (${c.eceUncalibrated.toFixed(3)} at temperature 1)`;
  return `certainty of the answer on ${c.clips} clips of the model's genres: ${(c.meanCertainty * 100).toFixed(1)}% on average, ` +
    `right ${(c.accuracy * 100).toFixed(1)}% of the time; expected calibration error ${c.ece.toFixed(3)}${raw}`;
}

/** Renders the confusion matrix as a PNG; shade = count / row total (i.e. recall on the diagonal). */
export function renderConfusionPng({ metrics, labels, title }: { metrics: MetricsSummary; labels: readonly string[]; title: string }): Buffer {
  const scale = 2;
  const cell = Math.max(80, Math.max(...labels.map((l) => textWidth(l, scale))) + 12);
  const left = Math.max(...labels.map((l) => textWidth(l, scale))) + 24;
  const top = 70;
  const n = labels.length;
  const img = createImage(left + n * cell + 16, top + n * cell + 40);
  drawText(img, title.slice(0, Math.floor((img.width - 16) / (4 * scale))), 8, 8, scale, [0, 0, 0]);
  drawText(img, 'PREDICTED', left, 32, scale, [90, 90, 90]);
  labels.forEach((label, c) => drawText(img, label, left + c * cell + (cell - textWidth(label, scale)) / 2, 50, scale, [0, 0, 0]));
  fillRect(img, left, top, n * cell, n * cell, [200, 200, 200]);
  drawText(img, 'ACTUAL (ROWS)', 8, top + n * cell + 16, scale, [90, 90, 90]);
  labels.forEach((label, r) => {
    const row = metrics.confusion[r]!;
    const total = row.reduce((a, b) => a + b, 0);
    drawText(img, label, 8, top + r * cell + cell / 2 - 5, scale, [0, 0, 0]);
    row.forEach((count, c) => {
      const share = total > 0 ? count / total : 0;
      // White → deep blue; the diagonal in green tones so correct answers read at a glance.
      const colour = r === c ? [255 - 200 * share, 255 - 90 * share, 255 - 200 * share] : [255 - 220 * share, 255 - 180 * share, 255 - 60 * share];
      fillRect(img, left + c * cell + 1, top + r * cell + 1, cell - 2, cell - 2, colour.map(Math.round));
      const ink = share > 0.55 ? [255, 255, 255] : [0, 0, 0];
      const x = left + c * cell;
      const y = top + r * cell;
      drawText(img, String(count), x + (cell - textWidth(String(count), 3)) / 2, y + cell / 2 - 16, 3, ink);
      const p = `${Math.round(share * 100)}%`;
      drawText(img, p, x + (cell - textWidth(p, scale)) / 2, y + cell / 2 + 6, scale, ink);
    });
  });
  return encodePng(img);
}
