import { html, type Html } from '../html.js';

/** One bar: its label, its value (for the length) and the text shown at its end. */
export interface Bar {
  label: string;
  value: number;
  text: string;
}

/** Horizontal bars (e.g. the share acknowledged in time by office), as inline SVG with a title. */
export function barChart(id: string, title: string, bars: readonly Bar[], max: number): Html {
  const row = 28;
  const labelWidth = 170;
  const width = 560;
  const scale = (v: number) => (max > 0 ? Math.round(((width - labelWidth - 70) * v) / max) : 0);
  const height = Math.max(1, bars.length) * row + 8;
  return html`<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
    <title id="${id}-title">${title}</title>
    ${bars.map((b, i) => {
      const y = i * row + 4;
      return html`<text x="${labelWidth - 6}" y="${y + 18}" text-anchor="end" font-size="13" fill="#1b1f24">${b.label.length > 24 ? `${b.label.slice(0, 23)}…` : b.label}</text>
      <rect x="${labelWidth}" y="${y + 4}" width="${scale(b.value)}" height="${row - 10}" fill="#0b4f8a"></rect>
      <text x="${labelWidth + scale(b.value) + 6}" y="${y + 18}" font-size="13" fill="#1b1f24">${b.text}</text>`;
    })}
  </svg>`;
}

/** Vertical bars (e.g. the median time to acknowledge by month), as inline SVG with a title. */
export function columnChart(id: string, title: string, bars: readonly Bar[]): Html {
  const column = 54;
  const height = 170;
  const width = Math.max(1, bars.length) * column + 10;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (v: number) => Math.round(((height - 50) * v) / max);
  return html`<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
    <title id="${id}-title">${title}</title>
    ${bars.map((b, i) => {
      const x = i * column + 10;
      const h = scale(b.value);
      return html`<rect x="${x}" y="${height - 24 - h}" width="${column - 14}" height="${h}" fill="#0b4f8a"></rect>
      <text x="${x + (column - 14) / 2}" y="${height - 30 - h}" text-anchor="middle" font-size="11" fill="#1b1f24">${b.text}</text>
      <text x="${x + (column - 14) / 2}" y="${height - 8}" text-anchor="middle" font-size="11" fill="#1b1f24">${b.label}</text>`;
    })}
  </svg>`;
}
