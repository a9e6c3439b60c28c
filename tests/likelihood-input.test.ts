/**
 * Bad data, configurations and parameter points are refused before anything is computed, with
 * the field named (ClaxPtInputError): mismatched lengths, non-symmetric or non-positive
 * covariances, malformed files, bad cuts, unknown keys, points outside the emulator's range.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClaxPtInputError } from '../src/errors';
import { checkConfig } from '../src/likelihood/config';
import { parseCovariance, parseMultipoleTable, prepareSample, type SampleSpec } from '../src/likelihood/data';
import { loadLikelihood, presetConfigPath } from '../src/likelihood/node-files';
import { runCli } from '../src/cli/main';

const MOCK = join(__dirname, '..', 'data', 'mock-survey');
const spec: SampleSpec = { name: 's', z: 0.5, nbarInv: 3000, kmin: 0.01, kmax: 0.03, ells: [0, 2, 4] };
const table = '0.0125 1 2 3\n0.0175 1 2 3\n0.0225 1 2 3\n0.0275 1 2 3\n';
const identity = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)).join(' ')).join('\n');

function refused(f: () => unknown, field: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a ClaxPtInputError naming ${field}`).toBeInstanceOf(ClaxPtInputError);
  expect((err as ClaxPtInputError).field).toMatch(field);
}

describe('likelihood input checks', () => {
  const fields = { pk: 'pk.dat', cov: 'cov.dat' };
  const ok = () => prepareSample(spec, parseMultipoleTable(table, 'pk.dat'), parseCovariance(identity(12), 'cov.dat'), fields);

  it('accepts a well-formed sample and applies the cuts', () => {
    const s = ok();
    expect(Array.from(s.kCentres)).toEqual([0.0125, 0.0175, 0.0225, 0.0275]);
    expect(s.data.length).toBe(12);
  });

  it('refuses malformed multipole files', () => {
    refused(() => parseMultipoleTable('0.01 1 2\n0.02 1 2\n', 'pk.dat'), /pk\.dat/);
    refused(() => parseMultipoleTable('0.01 1 2 x\n0.02 1 2 3\n', 'pk.dat'), /pk\.dat/);
    refused(() => parseMultipoleTable('0.02 1 2 3\n0.01 1 2 3\n', 'pk.dat'), /pk\.dat/);
    refused(() => parseMultipoleTable('0.01 NaN 2 3\n0.02 1 2 3\n', 'pk.dat'), /pk\.dat/);
    refused(() => prepareSample(spec, parseMultipoleTable('0.0125 1 2 3\n0.0175 1 2 3\n0.03 1 2 3\n', 'pk.dat'), parseCovariance(identity(9), 'cov.dat'), fields), /pk\.dat/);
  });

  it('refuses covariances of the wrong size, non-symmetric or not positive definite', () => {
    refused(() => prepareSample(spec, parseMultipoleTable(table, 'pk.dat'), parseCovariance(identity(9), 'cov.dat'), fields), /cov\.dat/);
    refused(() => parseCovariance('1 0\n0 1 0\n', 'cov.dat'), /cov\.dat/);
    const asym = identity(12).split('\n').map((r) => r.split(' ').map(Number));
    asym[0][1] = 0.5;
    refused(() => prepareSample(spec, parseMultipoleTable(table, 'pk.dat'), parseCovariance(asym.map((r) => r.join(' ')).join('\n'), 'cov.dat'), fields), /cov\.dat/);
    const indefinite = identity(12).split('\n').map((r) => r.split(' ').map(Number));
    indefinite[0][1] = indefinite[1][0] = 2;
    refused(() => prepareSample(spec, parseMultipoleTable(table, 'pk.dat'), parseCovariance(indefinite.map((r) => r.join(' ')).join('\n'), 'cov.dat'), fields), /cov\.dat/);
    const negative = identity(12).split('\n').map((r) => r.split(' ').map(Number));
    negative[3][3] = -1;
    refused(() => prepareSample(spec, parseMultipoleTable(table, 'pk.dat'), parseCovariance(negative.map((r) => r.join(' ')).join('\n'), 'cov.dat'), fields), /cov\.dat/);
  });

  it('refuses bad configurations, naming the key', () => {
    const good = JSON.parse(readFileSync(presetConfigPath('boss-dr12'), 'utf8'));
    expect(() => checkConfig(good)).not.toThrow();
    const edit = (f: (c: Record<string, any>) => void) => {
      const c = JSON.parse(JSON.stringify(good));
      f(c);
      return () => checkConfig(c);
    };
    refused(edit((c) => (c.bogus = 1)), /bogus/);
    refused(edit((c) => (c.theory.n = 100)), /theory\.n/);
    refused(edit((c) => (c.samples[0].kmax = 0.005)), /samples\[0\]\.kmax/);
    refused(edit((c) => (c.samples[1].ells = [0, 3])), /samples\[1\]\.ells/);
    refused(edit((c) => (c.samples[1].name = c.samples[0].name)), /samples\[1\]\.name/);
    refused(edit((c) => (c.samples[2].z = 4)), /samples\[2\]\.z/);
    refused(edit((c) => delete c.marginalised.cs2), /marginalised\.cs2/);
    refused(edit((c) => (c.marginalised.b4.sigma = -1)), /marginalised\.b4\.sigma/);
    refused(edit((c) => (c.cosmology.h = { bounds: [0.9, 0.95] })), /cosmology\.h/);
    refused(edit((c) => (c.cosmology.m_ncdm = { fixed: 2 })), /cosmology\.m_ncdm/);
    refused(edit((c) => (c.nuisance.b2 = { gaussian: [0, 0] })), /nuisance\.b2/);
  });

  it('refuses parameter points outside the emulator range, naming the parameter', () => {
    const lik = loadLikelihood(join(MOCK, 'mock-noiseless.json'), MOCK);
    const truth = JSON.parse(readFileSync(join(MOCK, 'truth.json'), 'utf8'));
    const point: Record<string, number> = { ...truth.cosmology };
    for (const s of truth.samples) for (const [k, v] of Object.entries(s.bias as Record<string, number>)) point[`${s.name}.${k}`] = v;
    refused(() => lik.evaluate({ ...point, omega_cdm: 0.3 }), /omega_cdm/);
    refused(() => lik.evaluate({ ...point, 'ngc_z1.b1': NaN }), /ngc_z1\.b1/);
    const missing = { ...point };
    delete missing['sgc_z3.bG2'];
    refused(() => lik.evaluate(missing), /sgc_z3\.bG2/);
  });

  it('the CLI names bad parameter files and missing data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clax-lik-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { write: (s: string) => (err.push(s), true) } };
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ omega_cdm: 0.12, ngc_z1: { b9: 1 } }));
    expect(await runCli(['likelihood', '--config', join(MOCK, 'mock-noiseless.json'), '--params', join(dir, 'p.json')], io)).toBe(2);
    expect(err.join('')).toMatch(/ngc_z1\.b9/);
    expect(await runCli(['likelihood', '--boss', join(dir, 'nowhere'), '--params', join(dir, 'p.json')], io)).toBe(2);
    expect(await runCli(['likelihood', '--params', join(dir, 'p.json')], io)).toBe(2);
  });
});
