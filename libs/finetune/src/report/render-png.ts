import { Resvg } from '@resvg/resvg-js';

export interface RenderPngOptions {
  /** Pixel density: 2 renders a 760-px-wide chart as a crisp 1520-px PNG. Default 1.5. */
  readonly zoom?: number;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Renders an SVG document to PNG bytes with resvg (system fonts; DejaVu Sans preferred). */
export function renderPng(svg: string, options: RenderPngOptions = {}): Buffer {
  const zoom = options.zoom ?? 1.5;
  if (!(zoom > 0 && zoom <= 8)) throw new RangeError(`zoom must be in (0, 8], got ${zoom}`);
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
