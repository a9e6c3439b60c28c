/**
 * `clax-pt plot`: a figure of one case — k P_l(k) of the galaxy multipoles (l = 0, 2, 4) and
 * k P(k) of the real-space spectra — with, when the case carries CLASS-PT's answers
 * (`output.spectra_hMpc3`), those as markers and a residual panel (ours / CLASS-PT - 1).
 * Drawn with vega-lite (rendered to SVG by vega, headless) and rasterised to PNG by resvg.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { ClaxPtInputError } from '../errors';
import { caseInputs, readCaseFile, type CaseFile } from './case-file';
import { checkBackend, checkNumber, parseNumber, parseOptions, type OptionSpecs } from './args';
import { predictCase } from './predict';
import type { TextSink } from './progress';
import { svgToPng } from './svg-png';

export const PLOT_OPTIONS: OptionSpecs = {
  case: { type: 'string' },
  out: { type: 'string' },
  kmin: { type: 'string' },
  kmax: { type: 'string' },
  title: { type: 'string' },
  width: { type: 'string' },
  scale: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const PLOT_HELP = `clax-pt plot --out FILE.png|FILE.svg [--case FILE] [options]

Draws one case: k P_l(k) of the galaxy multipoles gg_l0, gg_l2, gg_l4 (redshift space) and
k P(k) of mm_real, gm_real, gg_real (real space), in (Mpc/h)^2 against k in h/Mpc, with the
case's nuisance parameters. When the case carries CLASS-PT's answers (output.spectra_hMpc3,
as the oracle cases do), they are drawn as circles and a residual panel shows
ours / CLASS-PT - 1 (points where |CLASS-PT| < 1e-3 of its maximum, i.e. zero crossings,
are left out of the residuals).

Options
  --out FILE           the figure: .png (rendered by @resvg/resvg-js) or .svg (required)
  --case FILE          a case in the oracle format (JSON or .json.gz); default: the built-in
                       default cosmology (no residual panel)
  --kmin X --kmax X    k range shown, h/Mpc (default: the case's output k range)
  --title TEXT         figure title (default: the case id and its settings)
  --width PX           width of each panel in pixels (default 380)
  --scale S            PNG pixel density (default 2)
  --backend NAME       wasm (default), cpu, webgpu or node
  -h, --help           this help
`;

const RSD = [
  ['gg_l0', 'gg, l = 0'],
  ['gg_l2', 'gg, l = 2'],
  ['gg_l4', 'gg, l = 4'],
] as const;
const REAL = [
  ['mm_real', 'mm, real space'],
  ['gm_real', 'gm, real space'],
  ['gg_real', 'gg, real space'],
] as const;

interface Row {
  k: number;
  kP: number;
  spectrum: string;
}

interface ResidualRow {
  k: number;
  residual: number;
  spectrum: string;
}

function describe(c: CaseFile, id: string): string {
  const s = (c.settings ?? {}) as Record<string, unknown>;
  const d = (c.derived ?? {}) as Record<string, unknown>;
  const inputs = caseInputs(c);
  const parts = [
    typeof d.z === 'number' ? `z = ${Number(d.z.toPrecision(4))}` : undefined,
    `N = ${inputs.n}`,
    `IR ${inputs.options.irResummation ? 'on' : 'off'}`,
    inputs.options.redshiftSpace ? `AP ${inputs.options.alcockPaczynski ? 'on' : 'off'}` : 'real space only',
    s['Omfid'] !== undefined && inputs.options.alcockPaczynski ? `Omfid = ${String(s['Omfid'])}` : undefined,
  ].filter(Boolean);
  return `${id}: ${parts.join(', ')}`;
}

/** The vega-lite specification of the figure (exported for tests). */
export function plotSpec(opts: {
  kh: number[];
  ours: Record<string, number[]>;
  ref?: Record<string, number[]>;
  kmin: number;
  kmax: number;
  title: string;
  width: number;
}): Record<string, unknown> {
  const { kh, ours, ref, kmin, kmax, width } = opts;
  const inRange = (i: number) => kh[i] >= kmin && kh[i] <= kmax;
  const rows = (names: readonly (readonly [string, string])[], src: Record<string, number[]>): Row[] =>
    names.flatMap(([n, label]) => (src[n] ? kh.flatMap((k, i) => (inRange(i) ? [{ k, kP: k * src[n][i], spectrum: label }] : [])) : []));
  const residuals = (names: readonly (readonly [string, string])[]): ResidualRow[] =>
    names.flatMap(([n, label]) => {
      if (!ref?.[n] || !ours[n]) return [];
      const r = ref[n];
      const max = Math.max(...kh.map((_, i) => (inRange(i) ? Math.abs(r[i]) : 0)));
      return kh.flatMap((k, i) => (inRange(i) && Math.abs(r[i]) >= 1e-3 * max ? [{ k, residual: ours[n][i] / r[i] - 1, spectrum: label }] : []));
    });
  const x = {
    field: 'k',
    type: 'quantitative',
    scale: { type: 'log', domain: [kmin, kmax], nice: false },
    axis: { title: 'k [h/Mpc]', format: '~g', grid: true },
  };
  const colorOf = (names: readonly (readonly [string, string])[], legend = true) => ({
    field: 'spectrum',
    type: 'nominal',
    sort: names.map(([, l]) => l),
    scale: { domain: names.map(([, l]) => l), range: ['#1f77b4', '#d62728', '#2ca02c'] },
    legend: legend ? { title: null, orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 5, labelFontSize: 11 } : null,
  });
  const panel = (names: readonly (readonly [string, string])[], title: string, yTitle: string) => {
    const present = names.filter(([n]) => ours[n]);
    const layers: Record<string, unknown>[] = [
      {
        data: { values: rows(present, ours) },
        mark: { type: 'line', strokeWidth: 1.8, clip: true },
        encoding: { x, y: { field: 'kP', type: 'quantitative', axis: { title: yTitle, grid: true } }, color: colorOf(present) },
      },
    ];
    if (ref) {
      layers.push({
        data: { values: rows(present.filter(([n]) => ref[n]), ref) },
        mark: { type: 'point', shape: 'circle', size: 14, filled: false, strokeWidth: 0.8, opacity: 0.85, clip: true },
        encoding: { x, y: { field: 'kP', type: 'quantitative' }, color: colorOf(present) },
      });
    }
    return { title: { text: title, fontSize: 13 }, width, height: 250, layer: layers, resolve: { scale: { color: 'shared' } } };
  };
  const residualPanel = (names: readonly (readonly [string, string])[]) => {
    const present = names.filter(([n]) => ours[n]);
    return {
      width,
      height: 150,
      layer: [
        { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        {
          data: { values: residuals(present) },
          mark: { type: 'line', strokeWidth: 1.4, point: { size: 10 }, clip: true },
          encoding: {
            x,
            y: { field: 'residual', type: 'quantitative', axis: { title: 'ours / CLASS-PT - 1', format: '.1e', grid: true } },
            color: colorOf(present, false),
          },
        },
      ],
    };
  };
  const hasRsd = RSD.some(([n]) => ours[n]);
  const hasReal = REAL.some(([n]) => ours[n]);
  const top = [
    ...(hasRsd ? [panel(RSD, 'Redshift space: galaxy multipoles', 'k P_l(k) [(Mpc/h)^2]')] : []),
    ...(hasReal ? [panel(REAL, 'Real space', 'k P(k) [(Mpc/h)^2]')] : []),
  ];
  const bottom = ref
    ? [...(hasRsd ? [residualPanel(RSD)] : []), ...(hasReal ? [residualPanel(REAL)] : [])]
    : [];
  const subtitle = ref ? 'lines: clax-pt-ts;  circles: CLASS-PT' : 'clax-pt-ts';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    title: { text: opts.title, subtitle, anchor: 'start', fontSize: 15, subtitleFontSize: 11 },
    config: {
      font: 'DejaVu Sans',
      view: { stroke: '#444' },
      axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#e4e4e4' },
    },
    vconcat: [
      { hconcat: top, resolve: { scale: { color: 'independent' } } },
      ...(bottom.length ? [{ hconcat: bottom, resolve: { scale: { color: 'independent' } } }] : []),
    ],
  };
}

/** Renders a vega-lite specification to SVG text (headless, no canvas). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function plotCommand(args: string[], io: { stdout: TextSink; stderr: TextSink }, defaultCosmologyPath: string): Promise<number> {
  const { values: v } = parseOptions('plot', args, PLOT_OPTIONS);
  if (v.help) {
    io.stdout.write(PLOT_HELP);
    return 0;
  }
  checkBackend(v.backend);
  if (!v.out) throw new ClaxPtInputError('--out', 'required (the figure file, .png or .svg)');
  const out = v.out as string;
  const ext = extname(out).toLowerCase();
  if (ext !== '.png' && ext !== '.svg') throw new ClaxPtInputError('--out', `must end in .png or .svg, got '${out}'`);
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ClaxPtInputError('--out', `the folder '${dir}' does not exist`);
  const width = v.width === undefined ? 380 : checkNumber('--width', parseNumber('--width', v.width as string), 'positive');
  if (width < 100 || width > 4000) throw new ClaxPtInputError('--width', `must be between 100 and 4000 pixels, got ${width}`);
  const scale = v.scale === undefined ? 2 : checkNumber('--scale', parseNumber('--scale', v.scale as string), 'positive');
  if (scale > 10) throw new ClaxPtInputError('--scale', `must be at most 10, got ${scale}`);

  const casePath = (v.case as string | undefined) ?? defaultCosmologyPath;
  const c = readCaseFile(casePath, v.case === undefined ? 'default cosmology' : '--case');
  const inputs = caseInputs(c); // every check before computing
  const kh = inputs.kOutMpc.map((k) => k / inputs.h);
  const kmin = v.kmin === undefined ? kh[0] : checkNumber('--kmin', parseNumber('--kmin', v.kmin as string), 'positive');
  const kmax = v.kmax === undefined ? kh[kh.length - 1] : checkNumber('--kmax', parseNumber('--kmax', v.kmax as string), 'positive');
  if (!(kmax > kmin)) throw new ClaxPtInputError('--kmax', `must exceed --kmin (${kmin}), got ${kmax}`);
  if (kh.filter((k) => k >= kmin && k <= kmax).length < 2) {
    throw new ClaxPtInputError('--kmin/--kmax', `fewer than 2 of the case's output k (${kh[0].toPrecision(3)} .. ${kh[kh.length - 1].toPrecision(3)} h/Mpc) lie in [${kmin}, ${kmax}]`);
  }
  // CLASS-PT's answers, when the case has them and they match the output k
  const refIn = (c.output as Record<string, unknown> | undefined)?.spectra_hMpc3 as Record<string, unknown> | undefined;
  let ref: Record<string, number[]> | undefined;
  if (refIn && typeof refIn === 'object') {
    ref = {};
    for (const [n, arr] of Object.entries(refIn)) {
      if (Array.isArray(arr) && arr.length === kh.length && arr.every((x) => typeof x === 'number' && Number.isFinite(x))) ref[n] = arr as number[];
    }
    if (Object.keys(ref).length === 0) ref = undefined;
  }
  if (ext === '.png') {
    try {
      await import('@resvg/resvg-js');
    } catch (e) {
      throw new Error(`PNG output needs @resvg/resvg-js, which did not load (${(e as Error).message}); use --out FILE.svg`);
    }
  }

  const pred = await predictCase(c, v.backend as string | undefined);
  const id = typeof c.id === 'string' ? c.id : casePath;
  const spec = plotSpec({
    kh,
    ours: pred.spectra_hMpc3,
    ref,
    kmin,
    kmax,
    title: (v.title as string | undefined) ?? describe(c, id),
    width,
  });
  const svg = await renderSvg(spec);
  if (ext === '.svg') writeFileSync(out, svg);
  else writeFileSync(out, await svgToPng(svg, scale));
  let worst = '';
  if (ref) {
    const parts = [...RSD, ...REAL].flatMap(([n]) => {
      if (!ref?.[n] || !pred.spectra_hMpc3[n]) return [];
      const r = ref[n];
      const idx = kh.map((k, i) => i).filter((i) => kh[i] >= kmin && kh[i] <= kmax);
      const max = Math.max(...idx.map((i) => Math.abs(r[i])));
      const d = Math.max(...idx.map((i) => Math.abs(pred.spectra_hMpc3[n][i] - r[i])));
      return [`${n} ${(d / max).toExponential(1)}`];
    });
    worst = ` (max|ours - CLASS-PT| / max|CLASS-PT| over the k shown: ${parts.join(', ')})`;
  }
  io.stdout.write(`wrote ${out}${worst}\n`);
  return 0;
}
