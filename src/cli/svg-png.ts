/**
 * SVG text -> PNG bytes with @resvg/resvg-js (system fonts, DejaVu Sans preferred), loaded only
 * when a PNG is asked for. Used by `clax-pt plot` and the sampler's figures.
 */
export async function svgToPng(svg: string, scale: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: 'white',
  });
  return r.render().asPng();
}
