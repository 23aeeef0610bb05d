/** Small helpers shared by the chart builders: escaping, number formatting, nice axis ticks. */

export const FONT_FAMILY = 'DejaVu Sans, Arial, sans-serif';

/** Colour-blind-safe palette (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'] as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Coordinates with at most two decimals keep the SVG small and stable across runs. */
export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Shortens a label to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

export interface TextOptions {
  readonly size: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'normal' | 'bold';
  readonly fill?: string;
  readonly rotate?: number;
  readonly baseline?: 'auto' | 'middle' | 'hanging';
  readonly className?: string;
}

export function svgText(x: number, y: number, content: string, o: TextOptions): string {
  const attrs = [
    `x="${fmt(x)}"`, `y="${fmt(y)}"`, `font-size="${fmt(o.size)}"`, `font-family="${FONT_FAMILY}"`,
    `text-anchor="${o.anchor ?? 'start'}"`, `fill="${o.fill ?? '#222'}"`,
  ];
  if (o.weight === 'bold') attrs.push('font-weight="bold"');
  if (o.baseline && o.baseline !== 'auto') attrs.push(`dominant-baseline="${o.baseline}"`);
  if (o.rotate) attrs.push(`transform="rotate(${fmt(o.rotate)} ${fmt(x)} ${fmt(y)})"`);
  if (o.className) attrs.push(`class="${o.className}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}">`,
    `<rect x="0" y="0" width="${fmt(width)}" height="${fmt(height)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/**
 * "Nice" tick values covering [min, max] (1, 2, 2.5 or 5 × 10^k steps), about `count` of them.
 * A flat range is widened so the axis never divides by zero.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // toPrecision drops float noise such as 0.6000000000000001.
  for (let k = 0; first + k * step <= last + step * 1e-9; k++) ticks.push(Number((first + k * step).toPrecision(12)));
  return ticks;
}

/** Tick label with just enough decimals for the step (0.25 → 2, 0.1 → 1, 5 → 0). */
export function tickLabel(value: number, step: number): string {
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-9 * 10 ** decimals) decimals++;
  return value.toFixed(decimals);
}
