/**
 * The sampler's figures for an output folder: OUT/corner.svg and OUT/trace.svg (and .png of each
 * by resvg, loaded only here), from the chains that the summary uses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaxPtInputError } from '../errors';
import type { RunOutput } from '../inference/node/read-output';
import { cornerSvg } from '../inference/plots/corner';
import { traceSvg } from '../inference/plots/trace';
import { svgToPng } from './svg-png';

export interface PlotRequest {
  /** corner-plot parameters (default: up to 8 sampled, then the derived ones, 12 at most) */
  params?: string[];
  markers?: Record<string, number>;
  png?: boolean;
  /** chains to draw (default: the complete ones, or all) */
  chains?: number[];
}

/** the default corner-plot parameters */
export function defaultCornerParams(output: RunOutput): string[] {
  const sampled = output.names.filter((p) => !p.derived).map((p) => p.name);
  const derived = output.names.filter((p) => p.derived && p.name !== 'chi2').map((p) => p.name);
  return [...sampled.slice(0, 8), ...derived].slice(0, 12);
}

export async function writeRunPlots(output: RunOutput, out: string, req: PlotRequest = {}): Promise<string[]> {
  const complete = output.chains.filter((c) => c.complete && c.rows.length >= 2);
  const chains = (req.chains ? output.chains.filter((c) => req.chains!.includes(c.chain)) : complete.length ? complete : output.chains).filter((c) => c.rows.length >= 2);
  if (chains.length === 0) return [];
  const index = new Map(output.names.map((p, j) => [p.name, j]));
  const cornerNames = req.params ?? defaultCornerParams(output);
  for (const name of cornerNames) if (!index.has(name)) throw new ClaxPtInputError('--params', `unknown parameter '${name}' (known: ${output.names.map((p) => p.name).join(', ')})`);
  const ranges = new Map(output.ranges.map((r) => [r.name, { lower: r.lower, upper: r.upper }]));
  const column = (j: number, rows: number[][]) => Float64Array.from(rows, (r) => r[j]);
  const written: string[] = [];
  const corner = cornerSvg(
    cornerNames.map((name) => {
      const j = index.get(name)!;
      const p = output.names[j];
      return { name, latex: p.latex, draws: Float64Array.from(chains.flatMap((c) => Array.from(column(j, c.rows)))), ...(ranges.get(name) ?? {}) };
    }),
    { markers: req.markers, title: `${output.run.settings.root}: ${chains.length} chain${chains.length > 1 ? 's' : ''}, ${chains.reduce((a, c) => a + c.rows.length, 0)} draws` },
  );
  const sampled = output.names.map((p, j) => ({ p, j })).filter(({ p }) => !p.derived);
  const trace = traceSvg(
    sampled.map(({ p, j }) => ({ name: p.name, latex: p.latex, chains: chains.map((c) => column(j, c.rows)) })),
    { chainNumbers: chains.map((c) => c.chain), title: `${output.run.settings.root}: traces after warm-up` },
  );
  for (const [name, svg] of [
    ['corner', corner],
    ['trace', trace],
  ] as const) {
    const svgPath = join(out, `${name}.svg`);
    writeFileSync(svgPath, svg);
    written.push(svgPath);
    if (req.png ?? true) {
      const pngPath = join(out, `${name}.png`);
      writeFileSync(pngPath, await svgToPng(svg, 2));
      written.push(pngPath);
    }
  }
  return written;
}
