import { escapeXml, fmt, svgDocument, svgText, truncate } from './svg';

export interface ConfusionChartOptions {
  readonly title?: string;
  /** Longer labels are cut with an ellipsis (the full name stays in a tooltip). */
  readonly maxLabelChars?: number;
}

/** Grid side the chart aims for; cells shrink with the class count down to MIN_CELL. */
const TARGET_GRID = 880;
const MIN_CELL = 10;
const MAX_CELL = 64;
/** Counts are written into cells at least this big; smaller grids show colour only. */
export const MIN_CELL_FOR_COUNTS = 18;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** White → dark blue ramp (ColorBrewer "Blues" end points). */
function blues(t: number): string {
  const stops = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]] as const;
  const x = clamp(t, 0, 1) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i] as readonly number[];
  const b = stops[i + 1] as readonly number[];
  const c = a.map((v, k) => Math.round(v + ((b[k] as number) - v) * f));
  return `rgb(${c.join(',')})`;
}

export interface ConfusionLayout {
  readonly cell: number;
  readonly labelFont: number;
  readonly countFont: number;
  readonly showCounts: boolean;
}

/** Cell and font sizes for `n` classes, so 3 classes and 80 classes both stay readable. */
export function confusionLayout(n: number, maxCount: number): ConfusionLayout {
  const cell = clamp(Math.floor(TARGET_GRID / Math.max(1, n)), MIN_CELL, MAX_CELL);
  const labelFont = clamp(cell * 0.55, 7, 13);
  const digits = String(Math.max(0, Math.round(maxCount))).length;
  const countFont = clamp(Math.min(cell * 0.32, (cell * 0.85) / (digits * 0.62)), 6, 15);
  return { cell, labelFont, countFont, showCounts: cell >= MIN_CELL_FOR_COUNTS && countFont >= 7 };
}

/**
 * Confusion-matrix heatmap: rows are true labels, columns predicted labels; colour is the
 * row share (recall per cell), text the raw count when the cells are big enough.
 */
export function confusionMatrixSvg(labels: readonly string[], confusion: readonly (readonly number[])[], options: ConfusionChartOptions = {}): string {
  const n = labels.length;
  if (n === 0) throw new RangeError('labels must not be empty');
  if (confusion.length !== n || confusion.some((row) => row.length !== n)) {
    throw new RangeError(`confusion must be ${n}×${n} for ${n} labels`);
  }
  const maxCount = Math.max(0, ...confusion.flat());
  const L = confusionLayout(n, maxCount);
  const maxChars = options.maxLabelChars ?? 28;
  const shown = labels.map((l) => truncate(l, maxChars));
  const labelSpace = Math.max(...shown.map((l) => l.length)) * L.labelFont * 0.62 + 10;
  const grid = n * L.cell;
  const left = 36 + labelSpace;
  const top = 58;
  const legendW = 70;
  const width = Math.max(left + grid + legendW + 20, 360);
  const height = top + grid + labelSpace + 44;

  const body: string[] = [];
  body.push(svgText(left + grid / 2, 30, options.title ?? 'Confusion matrix (validation)', { size: 17, anchor: 'middle', weight: 'bold', className: 'title' }));
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      const share = total ? count / total : 0;
      const x = left + j * L.cell;
      const y = top + i * L.cell;
      body.push(`<rect class="cell" data-true="${i}" data-pred="${j}" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(L.cell)}" height="${fmt(L.cell)}" fill="${blues(share)}" stroke="#ffffff" stroke-width="${L.cell >= 16 ? 1 : 0.3}"><title>${escapeXml(`${labels[i]} → ${labels[j]}: ${count}`)}</title></rect>`);
      if (L.showCounts && count > 0) {
        body.push(svgText(x + L.cell / 2, y + L.cell / 2 + L.countFont * 0.35, String(count), { size: L.countFont, anchor: 'middle', fill: share > 0.55 ? '#ffffff' : '#1a1a1a', className: 'count' }));
      }
    });
  });
  shown.forEach((label, i) => {
    const c = top + i * L.cell + L.cell / 2 + L.labelFont * 0.35;
    body.push(svgText(left - 6, c, label, { size: L.labelFont, anchor: 'end', className: 'true-label' }));
    const x = left + i * L.cell + L.cell / 2 + L.labelFont * 0.35;
    body.push(svgText(x, top + grid + 6, label, { size: L.labelFont, anchor: 'end', rotate: -90, className: 'pred-label' }));
  });
  body.push(`<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(grid)}" height="${fmt(grid)}" fill="none" stroke="#444" stroke-width="1"/>`);
  body.push(svgText(14, top + grid / 2, 'true label', { size: 13, anchor: 'middle', rotate: -90, className: 'y-label' }));
  body.push(svgText(left + grid / 2, height - 12, 'predicted label', { size: 13, anchor: 'middle', className: 'x-label' }));

  // Colour scale: row share from 0 (bottom) to 1 (top).
  const lx = left + grid + 24;
  const lh = Math.min(grid, 240);
  body.push('<defs><linearGradient id="share" x1="0" y1="1" x2="0" y2="0">' +
    [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="${blues(t)}"/>`).join('') + '</linearGradient></defs>');
  body.push(`<rect x="${fmt(lx)}" y="${fmt(top)}" width="14" height="${fmt(lh)}" fill="url(#share)" stroke="#444" stroke-width="0.5"/>`);
  body.push(svgText(lx + 18, top + 8, '100%', { size: 10, fill: '#444' }));
  body.push(svgText(lx + 18, top + lh, '0%', { size: 10, fill: '#444' }));
  body.push(svgText(lx + 7, top + lh + 16, 'row share', { size: 10, anchor: 'middle', fill: '#444' }));
  return svgDocument(width, height, body);
}
