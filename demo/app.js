// The live page of `npm run demo`: sliders -> predictFromCosmology (the browser bundle) -> plot.
// The page keeps its numbers in the table #values (full precision), which tests/demo.test.ts reads.
import * as lib from './clax-pt.js';

const COSMO = [
  // name, label, default (Planck 2018-like), step; ranges are the emulator's (lib.COSMO_PARAM_RANGE)
  ['omega_b', 'ω_b', 0.02237, 0.0001],
  ['omega_cdm', 'ω_cdm', 0.12, 0.0005],
  ['h', 'h', 0.6736, 0.001],
  ['ln10^{10}A_s', 'ln 10¹⁰A_s', 3.0448, 0.005],
  ['n_s', 'n_s', 0.9649, 0.001],
  ['m_ncdm', 'm_ν [eV]', 0.06, 0.01],
];
const BIAS = [
  // name, label, default, min, max, step (classy's README nuisance values as defaults)
  ['b1', 'b1', 2, 0.5, 4, 0.01],
  ['b2', 'b2', -1, -5, 5, 0.05],
  ['bG2', 'bG2', 0.1, -3, 3, 0.01],
  ['bGamma3', 'bΓ3', -0.1, -3, 3, 0.01],
  ['cs', 'c_s real [(Mpc/h)²]', 0, -50, 50, 0.5],
  ['cs0', 'c0 [(Mpc/h)²]', 0, -50, 50, 0.5],
  ['cs2', 'c2 [(Mpc/h)²]', 30, -100, 100, 0.5],
  ['cs4', 'c4 [(Mpc/h)²]', 0, -100, 100, 0.5],
  ['b4', 'b4', 10, -500, 500, 1],
  ['Pshot', 'P_shot [(Mpc/h)³]', 3000, -5000, 10000, 50],
  ['a0', 'a0', 0, -2000, 2000, 10],
  ['a2', 'a2', 0, -2000, 2000, 10],
];
const K_H = Array.from({ length: 80 }, (_, i) => 0.005 + (i * (0.4 - 0.005)) / 79); // h/Mpc
const SPECTRA = [['gg_l0', 'P0', '#1f77b4'], ['gg_l2', 'P2', '#d62728'], ['gg_l4', 'P4', '#2ca02c'], ['gg_real', 'P_real', '#777']];

const $ = (id) => document.getElementById(id);
const state = { values: {}, result: null, data: null, busy: false, pending: false, ms: NaN };

function slider(parent, name, label, value, min, max, step) {
  const row = document.createElement('label');
  row.className = 'slider';
  row.innerHTML = `<span>${label}</span><input type="range" id="s-${name}" min="${min}" max="${max}" step="${step}" value="${value}"><output></output>`;
  const input = row.querySelector('input');
  const out = row.querySelector('output');
  const set = () => {
    state.values[name] = Number(input.value);
    out.textContent = Number(input.value).toPrecision(4);
  };
  set();
  input.addEventListener('input', () => {
    set();
    schedule();
  });
  parent.appendChild(row);
}

function buildControls() {
  const range = lib.COSMO_PARAM_RANGE;
  for (const [name, label, v, step] of COSMO) slider($('cosmo'), name, label, v, range[name][0], range[name][1], step);
  slider($('cosmo'), 'z', 'z', 0.61, lib.Z_RANGE[0], lib.Z_RANGE[1], 0.01);
  for (const [name, label, v, lo, hi, step] of BIAS) slider($('bias'), name, label, v, lo, hi, step);
}

function inputs() {
  const v = state.values;
  const params = Object.fromEntries(COSMO.map(([n]) => [n, v[n]]));
  const bias = Object.fromEntries(BIAS.map(([n]) => [n, v[n]]));
  return { params, z: v.z, bias, kOutMpc: K_H.map((k) => k * v.h) };
}

/** One model evaluation: the four spectra at K_H, as plain arrays. */
async function evaluate() {
  const { params, z, bias, kOutMpc } = inputs();
  const r = await lib.computeAsync(() =>
    lib.predictFromCosmology([{ params, z, bias }], { kOutMpc, omfid: 0.31, only: SPECTRA.map((s) => s[0]), components: 'spectra' }),
  );
  try {
    const out = { k_hMpc: K_H, inputs: { params, z, bias } };
    for (const [name] of SPECTRA) out[name] = Array.from(await r.spectra[name].data());
    return out;
  } finally {
    r.dispose();
  }
}

function schedule() {
  if (state.busy) {
    state.pending = true;
    return;
  }
  state.busy = true;
  requestAnimationFrame(async () => {
    try {
      do {
        state.pending = false;
        const t0 = performance.now();
        state.result = await evaluate();
        state.ms = performance.now() - t0;
        draw();
        table();
        $('status').textContent = `${lib.tf.getBackend()}: ${state.ms.toFixed(0)} ms per update`;
      } while (state.pending);
    } catch (e) {
      $('status').textContent = `error: ${e.message}`;
    } finally {
      state.busy = false;
      document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
    }
  });
}

function draw() {
  const c = $('plot');
  const g = c.getContext('2d');
  const W = c.width, H = c.height, L = 78, R = 20, T = 20, B = 45;
  g.clearRect(0, 0, W, H);
  const r = state.result;
  const series = SPECTRA.map(([name, , color]) => ({ color, dash: name === 'gg_real', y: r[name].map((p, i) => K_H[i] * p) }));
  const data = state.data ? [1, 2, 3].map((col) => state.data.map((row) => [row[0], row[0] * row[col]])) : [];
  const ys = [...series.flatMap((s) => s.y), ...data.flat().map((p) => p[1])];
  let ymin = Math.min(0, ...ys), ymax = Math.max(...ys);
  const pad = 0.05 * (ymax - ymin);
  ymin -= pad; ymax += pad;
  const xmax = 0.4;
  const X = (k) => L + ((W - L - R) * k) / xmax;
  const Y = (y) => T + ((H - T - B) * (ymax - y)) / (ymax - ymin);
  g.strokeStyle = '#999'; g.fillStyle = '#333'; g.lineWidth = 1; g.font = '12px sans-serif';
  g.strokeRect(L, T, W - L - R, H - T - B);
  for (let k = 0; k <= xmax + 1e-9; k += 0.05) { g.fillText(k.toFixed(2), X(k) - 12, H - B + 16); }
  const raw = (ymax - ymin) / 6;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw);
  for (let y = Math.ceil(ymin / step) * step; y <= ymax; y += step) { g.fillText(y.toFixed(0), 28, Y(y) + 4); g.beginPath(); g.strokeStyle = '#eee'; g.moveTo(L, Y(y)); g.lineTo(W - R, Y(y)); g.stroke(); }
  g.fillText('k [h/Mpc]', W / 2 - 20, H - 8);
  g.save(); g.translate(14, H / 2 + 60); g.rotate(-Math.PI / 2); g.fillText('k P_l(k) [(Mpc/h)²]', 0, 0); g.restore();
  for (const s of series) {
    g.beginPath(); g.strokeStyle = s.color; g.lineWidth = 2; g.setLineDash(s.dash ? [6, 4] : []);
    s.y.forEach((y, i) => (i ? g.lineTo(X(K_H[i]), Y(y)) : g.moveTo(X(K_H[i]), Y(y))));
    g.stroke();
  }
  g.setLineDash([]);
  data.forEach((pts, l) => {
    g.fillStyle = SPECTRA[l][2];
    for (const [k, y] of pts) if (k <= xmax) { g.beginPath(); g.arc(X(k), Y(y), 3, 0, 2 * Math.PI); g.fill(); }
  });
}

function table() {
  const r = state.result;
  const head = `<tr><th>k</th>${SPECTRA.map((s) => `<th>${s[1]}</th>`).join('')}</tr>`;
  const rows = K_H.map((k, i) => `<tr><td>${k.toPrecision(8)}</td>${SPECTRA.map(([n]) => `<td>${r[n][i].toPrecision(9)}</td>`).join('')}</tr>`);
  $('values').innerHTML = head + rows.join('');
}

function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** BOSS layout: whitespace or comma separated columns k [h/Mpc], P0, P2, P4; '#' comments. */
function parseMultipoles(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const v = t.split(/[\s,]+/).map(Number);
    if (v.length < 4 || v.slice(0, 4).some((x) => !Number.isFinite(x))) throw new Error(`not a k, P0, P2, P4 row: '${t.slice(0, 60)}'`);
    rows.push(v.slice(0, 4));
  }
  if (!rows.length) throw new Error('no rows');
  return rows;
}

async function loadData(file) {
  try {
    state.data = parseMultipoles(await file.text());
    $('status').textContent = `${file.name}: ${state.data.length} k bins`;
    if (state.result) draw();
  } catch (e) {
    $('status').textContent = `${file.name}: ${e.message}`;
  }
}

async function main() {
  buildControls();
  $('backend').addEventListener('change', async (e) => {
    try {
      await lib.useBackend(e.target.value);
      schedule();
    } catch (err) {
      $('status').textContent = err.message;
      e.target.value = lib.tf.getBackend();
    }
  });
  $('file').addEventListener('change', (e) => e.target.files[0] && loadData(e.target.files[0]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); if (e.dataTransfer.files[0]) loadData(e.dataTransfer.files[0]); });
  $('csv').addEventListener('click', () => {
    const r = state.result;
    const lines = [`k_hMpc,${SPECTRA.map((s) => s[0]).join(',')}`, ...K_H.map((k, i) => [k, ...SPECTRA.map(([n]) => r[n][i])].join(','))];
    download('clax-pt-spectra.csv', lines.join('\n') + '\n', 'text/csv');
  });
  $('json').addEventListener('click', () => download('clax-pt-spectra.json', JSON.stringify(state.result, null, 1), 'application/json'));
  await lib.useBackend('wasm');
  $('status').textContent = 'computing…';
  schedule();
}

window.demo = { state, parseMultipoles, loadText: (name, text) => loadData(new File([text], name)) };
main();
