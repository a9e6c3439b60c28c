/**
 * The `clax-pt` command line, run in-process through runCli(argv, io): every command, the help
 * texts, and one test per kind of bad input (exit status 2, one line naming the field, no stack
 * trace, nothing computed). Spectra are computed a few times, all at N = 128.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// count computeComponents calls, to check that bad input is refused before any computation
const calls = vi.hoisted(() => ({ compute: 0 }));
vi.mock('../src/compute', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/compute')>();
  return {
    ...m,
    computeComponents: (...args: Parameters<typeof m.computeComponents>) => {
      calls.compute++;
      return m.computeComponents(...args);
    },
  };
});

import { runCli } from '../src/cli/main';
import { COMPUTE_OPTIONS, prepareCompute } from '../src/cli/compute-cmd';
import { PLOT_OPTIONS } from '../src/cli/plot';
import { ClaxPtInputError } from '../src/errors';
import { getPlan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { defaultCosmologyPath } from '../src/cli/main';
import { caseInputs } from '../src/cli/case-file';
import { sumOfGalaxyMultipoles, type SInputs } from '../src/cli/gradient';
import * as tf from '@tensorflow/tfjs-core';
import { BOUNDS } from './bounds';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
  });
  return { code, out, err };
}

const DEFAULT = JSON.parse(readFileSync(join(__dirname, '..', 'data', 'default-cosmology.json'), 'utf8'));
const D = DEFAULT.derived;
const h: number = D.h;
let dir: string;
const path = (name: string) => join(dir, name);

/** The default cosmology's P(k) as a text table in h/Mpc and (Mpc/h)^3, P scaled by `scale`. */
function tableHUnits(scale = 1, edit?: (rows: string[]) => string[]): string {
  let rows = DEFAULT.input.k_Mpc.map((k: number, i: number) => `${k / h} ${DEFAULT.input.pk_lin_Mpc3[i] * h ** 3 * scale}`);
  if (edit) rows = edit(rows);
  return `# k [h/Mpc]  P [(Mpc/h)^3]\n${rows.join('\n')}\n`;
}

/** The default cosmology's P(k) in 1/Mpc and Mpc^3 with one line changed. */
function tableMpc(edit: (cols: string[][]) => void): string {
  const cols = DEFAULT.input.k_Mpc.map((k: number, i: number) => [String(k), String(DEFAULT.input.pk_lin_Mpc3[i])]);
  edit(cols);
  return cols.map((c: string[]) => c.join(' ')).join('\n') + '\n';
}

const SCALARS = ['--h', String(h), '--ns', String(D.n_s), '--rs-drag', String(D.rs_drag_Mpc), '--f', String(D.f), '--hratio', String(D.hratio), '--Dratio', String(D.Dratio)];
const KOUT = ['--kmin', '0.01', '--kmax', '0.3', '--nk', '6'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clax-pt-cli-'));
  mkdirSync(path('batch'));
  writeFileSync(path('batch/a.dat'), tableHUnits(1));
  writeFileSync(path('batch/a.json'), JSON.stringify({ z: 0.5, h, n_s: D.n_s, rs_drag: D.rs_drag_Mpc, f: D.f, hratio: D.hratio, Dratio: D.Dratio }));
  writeFileSync(path('batch/b.dat'), tableHUnits(1.1));
  writeFileSync(path('batch/b.json'), JSON.stringify({ z: 0.5, h, n_s: D.n_s, rs_drag: D.rs_drag_Mpc, f: 0.8, hratio: 1.01, Dratio: 0.99, params: { b1: 1.5 } }));
  // a case at N = 128 (CLASS-PT's "Fast" mode) with CLASS-PT's answers, for predict and plot
  const dev = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', 'oracle-data', 'dev000.json.gz'))).toString('utf8'));
  dev.settings['FFTLog mode'] = 'Fast';
  writeFileSync(path('case128.json'), JSON.stringify(dev));
  // the same inputs without any of CLASS-PT's answers (what --grad reads)
  const inputsOnly = {
    settings: dev.settings, input: dev.input, derived: Object.fromEntries(['h', 'z', 'f', 'hratio', 'Dratio', 'n_s', 'rs_drag_Mpc', 'A_s'].map((k) => [k, dev.derived[k]])),
    output: { k_Mpc: dev.output.k_Mpc, bias: dev.output.bias },
  };
  writeFileSync(path('inputs128.json'), JSON.stringify(inputsOnly));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('help', () => {
  it('clax-pt --help lists every command', async () => {
    for (const argv of [['--help'], ['-h'], [], ['help']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      for (const c of ['compute', 'predict', 'plot', 'help', '--backend', '--version']) expect(r.out).toContain(c);
    }
  });

  it('clax-pt <command> --help lists every option', async () => {
    const compute = await cli('compute', '--help');
    expect(compute.code).toBe(0);
    for (const name of Object.keys(COMPUTE_OPTIONS)) expect(compute.out, `--${name}`).toContain(`--${name}`);
    expect(compute.out).toContain('sidecar');
    const plot = await cli('plot', '--help');
    for (const name of Object.keys(PLOT_OPTIONS)) expect(plot.out, `--${name}`).toContain(`--${name}`);
    const predict = await cli('predict', '-h');
    for (const name of ['--case', '--grad', '--backend', '--help']) expect(predict.out).toContain(name);
    expect((await cli('help', 'compute')).out).toBe(compute.out);
    expect((await cli('--version')).out).toMatch(/^clax-pt \d+\.\d+\.\d+/);
    expect(calls.compute).toBe(0);
  });
});

describe('compute', () => {
  it('without inputs: the default cosmology (N = 256, its own 85 k), checked without computing', () => {
    const run = prepareCompute({}, defaultCosmologyPath());
    expect(run.settings.n).toBe(256);
    expect(run.inputs).toHaveLength(1);
    expect(run.inputs[0].label).toBe('default');
    expect(run.inputs[0].kOutMpc).toEqual(DEFAULT.output.k_Mpc);
    expect(run.inputs[0].bias).toEqual(DEFAULT.output.bias);
    expect(run.settings.spectra).toHaveLength(12);
  });

  let reference: Record<string, number[]>;

  it('the default cosmology at N = 128 as JSON, a table and CSV', async () => {
    const json = await cli('compute', '--n', '128', ...KOUT, '--format', 'json');
    expect(json.code, json.err).toBe(0);
    const o = JSON.parse(json.out);
    expect(o.settings).toMatchObject({ n: 128, irResummation: true, redshiftSpace: true, alcockPaczynski: true });
    expect(o.results).toHaveLength(1);
    const r = o.results[0];
    expect(r.k_hMpc[0]).toBeCloseTo(0.01, 12);
    expect(r.k_hMpc[5]).toBeCloseTo(0.3, 12);
    expect(Object.keys(r.spectra_hMpc3)).toHaveLength(12);
    for (const v of Object.values(r.spectra_hMpc3) as number[][]) {
      expect(v).toHaveLength(6);
      v.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    }
    reference = r.spectra_hMpc3;

    const table = await cli('compute', '--n', '128', ...KOUT, '--spectra', 'gg_l0,mm_real');
    expect(table.code).toBe(0);
    const lines = table.out.trim().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['k', '[h/Mpc]', 'gg_l0', 'mm_real']);
    expect(lines).toHaveLength(7);
    expect(Number(lines[1].trim().split(/\s+/)[1])).toBeCloseTo(reference.gg_l0[0], -1);

    const csv = await cli('compute', '--n', '128', ...KOUT, '--format', 'csv', '--spectra', 'mm_real');
    expect(csv.out.split('\n')[0]).toBe('input,k_hMpc,mm_real');
    expect(csv.out.trim().split('\n')).toHaveLength(7);
  });

  it('a folder of two tables with sidecars runs as one batch with a progress bar; units convert', async () => {
    const before = calls.compute;
    const r = await cli(
      'compute', '--pk', path('batch'), '--k-units', 'h/Mpc', '--pk-units', '(Mpc/h)^3', '--n', '128', ...KOUT,
      '--format', 'json', '--progress',
    );
    expect(r.code, r.err).toBe(0);
    expect(calls.compute - before).toBe(1); // ONE computeComponents call for the batch
    expect(r.err).toContain('100%');
    expect(r.err).toMatch(/computing 2 cosmologies in one batch/);
    const o = JSON.parse(r.out);
    expect(o.results.map((x: { input: string }) => x.input)).toEqual([path('batch/a.dat'), path('batch/b.dat')]);
    // a.dat is the default cosmology in h units: the same spectra as the default run
    for (const [name, v] of Object.entries(reference)) {
      const got = o.results[0].spectra_hMpc3[name] as number[];
      got.forEach((x, i) => expect(Math.abs(x - v[i]), name).toBeLessThan(1e-5 * Math.max(...v.map(Math.abs))));
    }
    // b.dat brings its own f, AP ratios and b1 (sidecar): different spectra, and b1 = 1.5 applied
    expect(o.results[1].f).toBe(0.8);
    expect(o.results[1].bias.b1).toBe(1.5);
    expect(o.results[1].bias.b2).toBe(DEFAULT.output.bias.b2);
    expect(o.results[1].spectra_hMpc3.mm_real[0]).toBeGreaterThan(1.05 * o.results[0].spectra_hMpc3.mm_real[0]);

    // the batch equals running b.dat alone (per-input parameters line up with their inputs)
    const alone = await cli('compute', '--pk', path('batch/b.dat'), '--k-units', 'h/Mpc', '--pk-units', '(Mpc/h)^3', '--n', '128', ...KOUT, '--format', 'json');
    const single = JSON.parse(alone.out).results[0].spectra_hMpc3;
    for (const [name, v] of Object.entries(single) as [string, number[]][]) {
      const got = o.results[1].spectra_hMpc3[name] as number[];
      got.forEach((x, i) => expect(Math.abs(x - v[i]), name).toBeLessThan(1e-5 * Math.max(...v.map(Math.abs))));
    }
  });

  it('a table in 1/Mpc and Mpc^3 with scalars and nuisance parameters as flags, --params, --k-out', async () => {
    writeFileSync(path('pk_mpc.txt'), tableMpc(() => {}));
    writeFileSync(path('params.json'), JSON.stringify({ b1: 1.7, Pshot: 0 }));
    writeFileSync(path('kout.txt'), '0.02\n0.05\n0.1\n');
    const r = await cli('compute', '--pk', path('pk_mpc.txt'), ...SCALARS, '--n', '128', '--params', path('params.json'), '--b1', '1.9', '--k-out', path('kout.txt'), '--format', 'json', '--spectra', 'gg_real');
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out).results[0];
    expect(res.bias.b1).toBe(1.9); // the flag wins over --params
    expect(res.bias.Pshot).toBe(0);
    expect(res.k_hMpc).toEqual([0.02, 0.05, 0.1]);
    expect(Object.keys(res.spectra_hMpc3)).toEqual(['gg_real']);
  });
});

describe('predict and plot', () => {
  it('predict --case prints {k_Mpc, components_Mpc3, spectra_hMpc3}', async () => {
    const r = await cli('predict', '--case', path('case128.json'));
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(['backend', 'k_Mpc', 'components_Mpc3', 'spectra_hMpc3']);
    expect(o.backend).toBe('wasm');
    expect(Object.keys(o.components_Mpc3)).toHaveLength(96); // the case has PNG on: rows 48-95 too
    expect(Object.keys(o.spectra_hMpc3)).toHaveLength(12 + 24);
    expect(o.k_Mpc).toHaveLength(o.spectra_hMpc3.gg_l0.length);
  });

  it('predict --grad on a case without answers: S and its gradient, checked against central differences', async () => {
    const r = await cli('predict', '--case', path('inputs128.json'), '--grad');
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(['backend', 'components_Mpc3', 'spectra_hMpc3', 'gradient']);
    const { S, wrt } = o.gradient as { S: number; wrt: Record<string, number | number[]> };
    const c = JSON.parse(readFileSync(path('inputs128.json'), 'utf8'));
    const inputs = caseInputs(c);
    expect(Object.keys(wrt).sort()).toEqual([...Object.keys(inputs.bias), 'f', 'hratio', 'Dratio', 'rs_drag_Mpc', 'pk_lin_Mpc3'].sort());
    expect((wrt.pk_lin_Mpc3 as number[]).length).toBe(c.input.pk_lin_Mpc3.length);
    // S as the forward computes it, and central differences of that forward
    const base: SInputs = {
      pkMpc3: c.input.pk_lin_Mpc3, f: c.derived.f, hratio: c.derived.hratio, Dratio: c.derived.Dratio, rsDragMpc: c.derived.rs_drag_Mpc, bias: { ...inputs.bias },
    };
    const sOf = (x: SInputs) => tf.tidy(() => sumOfGalaxyMultipoles(inputs, x).dataSync()[0]);
    expect(Math.abs(sOf(base) / S - 1)).toBeLessThan(1e-6);
    const db1 = (1e-2 * Math.abs(S)) / Math.abs(wrt.b1 as number); // S is quadratic in b1: exact differences
    const fdB1 = (sOf({ ...base, bias: { ...base.bias, b1: base.bias.b1 as number + db1 } }) - sOf({ ...base, bias: { ...base.bias, b1: base.bias.b1 as number - db1 } })) / (2 * db1);
    expect(Math.abs((wrt.b1 as number) / fdB1 - 1)).toBeLessThanOrEqual(BOUNDS['gradients: nuisance parameters'].bound);
    const df = 1e-3 * c.derived.f;
    const fdF = (sOf({ ...base, f: c.derived.f + df }) - sOf({ ...base, f: c.derived.f - df })) / (2 * df);
    expect(Math.abs((wrt.f as number) / fdF - 1)).toBeLessThanOrEqual(BOUNDS['gradients: f, hratio, Dratio'].bound);
    // a smooth direction in P_lin
    const pk = c.input.pk_lin_Mpc3 as number[];
    const dir = pk.map((p, i) => p * Math.exp(-((Math.log(c.input.k_Mpc[i] / 0.1)) ** 2)));
    const eps = 2e-3;
    const ad = (wrt.pk_lin_Mpc3 as number[]).reduce((a, g, i) => a + g * dir[i], 0);
    const fdP = (sOf({ ...base, pkMpc3: pk.map((p, i) => p + eps * dir[i]) }) - sOf({ ...base, pkMpc3: pk.map((p, i) => p - eps * dir[i]) })) / (2 * eps);
    expect(Math.abs(ad / fdP - 1)).toBeLessThanOrEqual(BOUNDS['gradients: P_lin directions'].bound);
  });

  it('plot writes a PNG and an SVG with a residual panel against CLASS-PT', async () => {
    const png = await cli('plot', '--case', path('case128.json'), '--out', path('fig.png'));
    expect(png.code, png.err).toBe(0);
    expect(png.out).toContain('wrote');
    const bytes = readFileSync(path('fig.png'));
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBeGreaterThan(20000);
    const svg = await cli('plot', '--case', path('case128.json'), '--out', path('fig.svg'), '--kmin', '0.005', '--kmax', '0.3');
    expect(svg.code, svg.err).toBe(0);
    const text = readFileSync(path('fig.svg'), 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    for (const s of ['Redshift space', 'Real space', 'ours / CLASS-PT - 1', 'gg, l = 4', 'circles: CLASS-PT']) expect(text).toContain(s);
  });

  it('plot of a case without CLASS-PT answers has no residual panel', async () => {
    const c = JSON.parse(readFileSync(path('case128.json'), 'utf8'));
    delete c.output.spectra_hMpc3;
    writeFileSync(path('noref.json'), JSON.stringify(c));
    const r = await cli('plot', '--case', path('noref.json'), '--out', path('noref.svg'));
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(path('noref.svg'), 'utf8');
    expect(text).toContain('Redshift space');
    expect(text).not.toContain('CLASS-PT - 1');
  });
});

describe('bad input: exit status 2, one line naming the field, before any computation', () => {
  async function refused(field: string | RegExp, ...argv: string[]): Promise<string> {
    const before = calls.compute;
    const r = await cli(...argv);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.endsWith('\n')).toBe(true);
    expect(r.err.trim().split('\n'), 'one line').toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.err.startsWith('clax-pt: ')).toBe(true);
    if (typeof field === 'string') expect(r.err).toContain(field);
    else expect(r.err).toMatch(field);
    expect(calls.compute, 'nothing computed').toBe(before);
    return r.err;
  }
  const pk = (name: string, text: string) => {
    writeFileSync(path(name), text);
    return ['compute', '--pk', path(name), ...SCALARS];
  };

  it('NaN and infinite values', async () => {
    await refused(/P \(nan\.txt line 20\): is NaN/, ...pk('nan.txt', tableMpc((c) => (c[19][1] = 'nan'))));
    await refused(/P \(inf\.txt line 7\): is Infinity/, ...pk('inf.txt', tableMpc((c) => (c[6][1] = 'inf'))));
    await refused(/k \(kinf\.txt line 3\): is -Infinity/, ...pk('kinf.txt', tableMpc((c) => (c[2][0] = '-inf'))));
    await refused(/--h: is NaN/, 'compute', '--h', 'nan');
    await refused(/--f: is Infinity/, 'compute', '--f', 'inf');
    await refused(/--b1: expected a number, got 'two'/, 'compute', '--b1', 'two');
    // JSON has no NaN: null is refused by name
    writeFileSync(path('null.json'), JSON.stringify({ k: [1e-4, 1e-3, 1e-2, 0.1, 1, 10], pk: [1, 2, null, 4, 5, 6], h: 0.7 }));
    await refused(/pk\[2\] \(null\.json\): is null/, 'compute', '--pk', path('null.json'), ...SCALARS);
  });

  it('zero or negative power', async () => {
    await refused(/P \(zero\.txt line 11\): the power must be positive, got 0/, ...pk('zero.txt', tableMpc((c) => (c[10][1] = '0'))));
    await refused(/P \(neg\.txt line 11\): the power must be positive, got -3/, ...pk('neg.txt', tableMpc((c) => (c[10][1] = '-3'))));
    const c = JSON.parse(readFileSync(path('case128.json'), 'utf8'));
    c.input.pk_lin_Mpc3[5] = -1;
    writeFileSync(path('negcase.json'), JSON.stringify(c));
    await refused(/input\.pk_lin_Mpc3\[5\]: power must be positive/, 'predict', '--case', path('negcase.json'));
  });

  it('k not strictly increasing', async () => {
    await refused(/k \(dup\.txt line 31\): k must be strictly increasing/, ...pk('dup.txt', tableMpc((c) => (c[30][0] = c[29][0]))));
    await refused(/k \(order\.txt line 30\): k must be strictly increasing/, ...pk('order.txt', tableMpc((c) => (c[29][0] = String(Number(c[29][0]) * 1e-3)))));
    writeFileSync(path('kout_bad.txt'), '0.1\n0.05\n');
    await refused(/--k-out \(kout_bad\.txt line 2\): k must be strictly increasing/, 'compute', '--k-out', path('kout_bad.txt'));
  });

  it('arrays of different lengths', async () => {
    writeFileSync(path('len.json'), JSON.stringify({ k: [1e-4, 1e-3, 1e-2, 0.1, 1], pk: [1, 2, 3, 4], h: 0.7 }));
    await refused(/pk \(len\.json\): has 4 values but k \(len\.json\) has 5/, 'compute', '--pk', path('len.json'), ...SCALARS);
    const c = JSON.parse(readFileSync(path('case128.json'), 'utf8'));
    c.input.pk_lin_Mpc3.pop();
    writeFileSync(path('lencase.json'), JSON.stringify(c));
    await refused(/input\.pk_lin_Mpc3: has \d+ values but input\.k_Mpc has \d+/, 'predict', '--case', path('lencase.json'));
    await refused(/input\.pk_lin_Mpc3 \(lencase\.json\): has \d+ values/, 'compute', '--pk', path('lencase.json'));
    await refused(/lenrow\.txt line 4: expected 2 columns \(k P\), found 3/, ...pk('lenrow.txt', '1e-4 1\n1e-3 2\n1e-2 3\n0.1 4 5\n1 5\n'));
  });

  it('a k range that does not reach what is needed', async () => {
    await refused(/--kmax: k = 200 h\/Mpc lies outside the FFTLog range 5e-5 \.\. 100 h\/Mpc/, 'compute', '--kmax', '200');
    await refused(/--kmin: k = 0\.000001 h\/Mpc lies outside the FFTLog range/, 'compute', '--kmin', '1e-6');
    const short = tableMpc((c) => c.splice(0, 60));
    await refused(/k \(short\.txt\): the linear P\(k\) spans .* does not reach the output k range/, ...pk('short.txt', short));
    const c = JSON.parse(readFileSync(path('case128.json'), 'utf8'));
    c.output.k_Mpc[3] = 1e3;
    writeFileSync(path('kcase.json'), JSON.stringify(c));
    await refused(/output\.k_Mpc\[3\]: .* outside the FFTLog range/, 'predict', '--case', path('kcase.json'));
    await refused(/--kmax: must exceed --kmin/, 'compute', '--kmin', '0.3', '--kmax', '0.1');
    await refused(/--nk: must be an integer/, 'compute', '--nk', '2.5');
  });

  it('missing or non-physical scalars', async () => {
    writeFileSync(path('ok.txt'), tableMpc(() => {}));
    const base = ['compute', '--pk', path('ok.txt')];
    const without = (flag: string) => {
      const s = [...SCALARS];
      s.splice(s.indexOf(flag), 2);
      return s;
    };
    await refused(/--h: missing for .*ok\.txt/, ...base, ...without('--h'));
    await refused(/--ns: missing for .*ok\.txt/, ...base, ...without('--ns'));
    await refused(/--rs-drag: missing .* or --no-ir/, ...base, ...without('--rs-drag'));
    await refused(/--f: missing .* or --no-rsd/, ...base, ...without('--f'));
    await refused(/--hratio: missing .* or --no-ap/, ...base, ...without('--hratio'));
    await refused(/--h: must be positive, got 0/, ...base, ...SCALARS, '--h', '0');
    await refused(/--h: must be positive, got -0\.7/, ...base, ...SCALARS, '--h', '-0.7');
    await refused(/--f: must be non-negative, got -0\.1/, ...base, ...SCALARS, '--f', '-0.1');
    await refused(/--rs-drag: must be positive, got 0/, ...base, ...SCALARS, '--rs-drag', '0');
    await refused(/--Dratio: must be positive, got -1/, ...base, ...SCALARS, '--Dratio', '-1');
    // the sidecar names its own field
    writeFileSync(path('side.txt'), tableMpc(() => {}));
    writeFileSync(path('side.json'), JSON.stringify({ h: -1, n_s: 0.96 }));
    await refused(/h \(side\.json\): must be positive, got -1/, 'compute', '--pk', path('side.txt'));
    writeFileSync(path('side.json'), JSON.stringify({ h: 0.7, n_s: 0.96, hubble: 3 }));
    await refused(/hubble \(side\.json\): unknown key/, 'compute', '--pk', path('side.txt'));
    // a case's derived scalars
    const c = JSON.parse(readFileSync(path('case128.json'), 'utf8'));
    c.derived.h = -0.7;
    writeFileSync(path('hcase.json'), JSON.stringify(c));
    await refused(/derived\.h: must be positive, got -0\.7/, 'predict', '--case', path('hcase.json'));
    await refused(/derived\.h: must be positive/, 'plot', '--case', path('hcase.json'), '--out', path('x.png'));
    delete c.derived.n_s;
    c.derived.h = 0.7;
    writeFileSync(path('nscase.json'), JSON.stringify(c));
    await refused(/derived\.n_s: missing/, 'predict', '--case', path('nscase.json'));
    // nuisance parameters
    writeFileSync(path('p.json'), JSON.stringify({ b1: 2, bb: 3 }));
    await refused(/bb \(p\.json\): unknown nuisance parameter/, 'compute', '--params', path('p.json'));
  });

  it('unknown options, commands and values', async () => {
    await refused(/--frobnicate: unknown option for clax-pt compute/, 'compute', '--frobnicate');
    await refused(/--kmax: unknown option for clax-pt predict/, 'predict', '--kmax', '1');
    await refused(/--pk: unknown option for clax-pt plot/, 'plot', '--pk', 'x');
    await refused(/command: unknown command 'frobnicate'/, 'frobnicate');
    await refused(/argument 'stray': unexpected/, 'compute', 'stray');
    await refused(/--b2: missing value/, 'compute', '--b2');
    await refused(/--no-ap: takes no value/, 'compute', '--no-ap=1');
    await refused(/--n: must be one of 128, 256, 512/, 'compute', '--n', '100');
    await refused(/--format: must be one of table, csv, json/, 'compute', '--format', 'xml');
    await refused(/--spectra: unknown spectrum 'gg_l9'/, 'compute', '--spectra', 'gg_l9');
    await refused(/--spectra: gg_l0 is a redshift-space multipole/, 'compute', '--no-rsd', '--spectra', 'gg_l0');
    await refused(/--k-units: must be one of/, 'compute', '--k-units', 'furlongs');
    await refused(/--backend: must be one of wasm, cpu, webgl, webgpu, node/, 'compute', '--backend', 'gpu');
    await refused(/--out: must end in \.png or \.svg/, 'plot', '--out', path('x.jpg'));
    await refused(/--case: required/, 'predict');
    await refused(/--case: cannot read/, 'predict', '--case', path('missing.json'));
    await refused(/--pk .*missing\.txt: no such file or folder/, 'compute', '--pk', path('missing.txt'));
    await refused(/--ir: given together with --no-ir/, 'compute', '--ir', '--no-ir');
  });
});

describe('the library API refuses the same input with ClaxPtInputError', () => {
  const cosmo = () => ({
    kMpc: [...DEFAULT.input.k_Mpc] as number[],
    pkMpc3: [...DEFAULT.input.pk_lin_Mpc3] as number[],
    h,
    n_s: D.n_s,
    rsDragMpc: D.rs_drag_Mpc,
    f: D.f,
    hratio: D.hratio,
    Dratio: D.Dratio,
  });
  const kOutMpc = [0.01, 0.1];
  function field(mutate: (c: ReturnType<typeof cosmo>) => unknown, opts: Record<string, unknown> = {}, batch = 1): string {
    const cs = Array.from({ length: batch }, cosmo);
    mutate(cs[batch - 1]);
    try {
      computeComponents(getPlan({ n: 128 }), cs, { kOutMpc, ...opts });
    } catch (e) {
      expect(e).toBeInstanceOf(ClaxPtInputError);
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message.startsWith(`${(e as ClaxPtInputError).field}: `)).toBe(true);
      return (e as ClaxPtInputError).field;
    }
    throw new Error('not refused');
  }

  it('names the argument', () => {
    const before = calls.compute;
    expect(field((c) => (c.pkMpc3[3] = NaN))).toBe('pkMpc3[3]');
    expect(field((c) => (c.pkMpc3[3] = Infinity))).toBe('pkMpc3[3]');
    expect(field((c) => (c.pkMpc3[3] = 0))).toBe('pkMpc3[3]');
    expect(field((c) => (c.kMpc[4] = c.kMpc[3]))).toBe('kMpc');
    expect(field((c) => c.pkMpc3.pop())).toBe('pkMpc3');
    expect(field((c) => (c.h = 0))).toBe('h');
    expect(field((c) => (c.f = -0.1))).toBe('f');
    expect(field((c) => (c.rsDragMpc = undefined as unknown as number))).toBe('rsDragMpc');
    expect(field((c) => (c.Dratio = 0))).toBe('Dratio');
    expect(field((c) => (c.h = -1), {}, 2)).toBe('cosmologies[1].h');
    expect(field(() => {}, { kOutMpc: [0.01, 1e3] })).toBe('kOutMpc[1]');
    expect(field(() => {}, { kOutMpc: [0.01, NaN] })).toBe('kOutMpc[1]');
    expect(calls.compute - before).toBe(12); // every call threw in its up-front validation
  });
});
