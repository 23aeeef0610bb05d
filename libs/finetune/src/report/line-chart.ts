import { escapeXml, fmt, niceTicks, PALETTE, svgDocument, svgText, tickLabel } from './svg';

export interface LineSeries {
  readonly name: string;
  /** One value per x; non-finite values (a diverged loss) are left out of the line. */
  readonly values: readonly number[];
  readonly color?: string;
  readonly dashed?: boolean;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  readonly series: readonly LineSeries[];
  /** Fixed y range (e.g. [0, 1] for accuracy); otherwise fitted to the data. */
  readonly yDomain?: readonly [number, number];
  /** A vertical dashed marker, e.g. the best epoch. */
  readonly marker?: { readonly x: number; readonly label: string };
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 72, right: 180, top: 52, bottom: 62 };
/** Dots on every point up to this many; beyond, the line alone reads better. */
const MAX_DOTS = 60;

/** A line chart (one polyline per series) as a standalone SVG document. */
export function lineChartSvg(o: LineChartOptions): string {
  if (o.series.length === 0) throw new RangeError('series must not be empty');
  for (const s of o.series) {
    if (s.values.length !== o.x.length) throw new RangeError(`series "${s.name}" has ${s.values.length} values for ${o.x.length} x positions`);
  }
  const width = o.width ?? 760;
  const height = o.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;

  const xs = o.x.filter(Number.isFinite);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const xStepTicks = niceTicks(xMin, xMax, Math.min(10, Math.max(1, xs.length - 1)));
  const xTicks = xStepTicks.filter((t) => Number.isInteger(t) || xStepTicks.length < 3);
  const x0 = Math.min(xMin, xTicks[0] ?? xMin);
  const x1 = Math.max(xMax, xTicks[xTicks.length - 1] ?? xMax, x0 + 1);

  const ys = o.series.flatMap((s) => s.values.filter(Number.isFinite));
  const yTicks = o.yDomain ? niceTicks(o.yDomain[0], o.yDomain[1], 5) : niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const y0 = o.yDomain ? o.yDomain[0] : (yTicks[0] as number);
  const y1 = o.yDomain ? o.yDomain[1] : (yTicks[yTicks.length - 1] as number);
  const yStep = yTicks.length > 1 ? (yTicks[1] as number) - (yTicks[0] as number) : 1;

  const px = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * plotW;
  const py = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
  const xStep = xTicks.length > 1 ? (xTicks[1] as number) - (xTicks[0] as number) : 1;

  const body: string[] = [];
  body.push(svgText(MARGIN.left + plotW / 2, 28, o.title, { size: 17, anchor: 'middle', weight: 'bold', className: 'title' }));
  // Grid and axes.
  for (const t of yTicks) {
    if (t < y0 - 1e-12 || t > y1 + 1e-12) continue;
    body.push(`<line x1="${fmt(MARGIN.left)}" y1="${fmt(py(t))}" x2="${fmt(MARGIN.left + plotW)}" y2="${fmt(py(t))}" stroke="#e3e3e3" stroke-width="1"/>`);
    body.push(svgText(MARGIN.left - 8, py(t) + 4, tickLabel(t, yStep), { size: 11, anchor: 'end', fill: '#444' }));
  }
  for (const t of xTicks) {
    body.push(`<line x1="${fmt(px(t))}" y1="${fmt(MARGIN.top + plotH)}" x2="${fmt(px(t))}" y2="${fmt(MARGIN.top + plotH + 5)}" stroke="#444" stroke-width="1"/>`);
    body.push(svgText(px(t), MARGIN.top + plotH + 19, tickLabel(t, xStep), { size: 11, anchor: 'middle', fill: '#444' }));
  }
  body.push(`<rect x="${fmt(MARGIN.left)}" y="${fmt(MARGIN.top)}" width="${fmt(plotW)}" height="${fmt(plotH)}" fill="none" stroke="#444" stroke-width="1"/>`);
  body.push(svgText(MARGIN.left + plotW / 2, height - 16, o.xLabel, { size: 13, anchor: 'middle', className: 'x-label' }));
  body.push(svgText(20, MARGIN.top + plotH / 2, o.yLabel, { size: 13, anchor: 'middle', rotate: -90, className: 'y-label' }));

  if (o.marker && Number.isFinite(o.marker.x)) {
    const mx = px(o.marker.x);
    body.push(`<line class="marker" x1="${fmt(mx)}" y1="${fmt(MARGIN.top)}" x2="${fmt(mx)}" y2="${fmt(MARGIN.top + plotH)}" stroke="#777" stroke-width="1" stroke-dasharray="4 4"/>`);
    body.push(svgText(mx + 4, MARGIN.top + 14, o.marker.label, { size: 11, fill: '#555' }));
  }

  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = o.x.flatMap((xv, j) => {
      const v = s.values[j] as number;
      return Number.isFinite(v) && Number.isFinite(xv) ? [[px(xv), py(v)] as const] : [];
    });
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    body.push(`<polyline class="series" data-series="${escapeXml(s.name)}" fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map(([a, b]) => `${fmt(a)},${fmt(b)}`).join(' ')}"/>`);
    if (pts.length <= MAX_DOTS) for (const [a, b] of pts) body.push(`<circle cx="${fmt(a)}" cy="${fmt(b)}" r="2.5" fill="${color}"/>`);
    // Legend, right of the plot.
    const ly = MARGIN.top + 10 + i * 22;
    const lx = MARGIN.left + plotW + 16;
    body.push(`<line x1="${fmt(lx)}" y1="${fmt(ly)}" x2="${fmt(lx + 24)}" y2="${fmt(ly)}" stroke="${color}" stroke-width="2"${dash}/>`);
    body.push(svgText(lx + 30, ly + 4, s.name, { size: 12, className: 'legend' }));
  });
  return svgDocument(width, height, body);
}
