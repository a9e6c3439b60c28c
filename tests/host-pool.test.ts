/**
 * The IR split of a batch on two threads (src/host/host-pool.ts) gives exactly the main-thread
 * results, in the cosmologies' order.
 */
import { describe, expect, it } from 'vitest';
import { runLinearStage } from '../src/input/linear-stage';
import { hostWorkerState } from '../src/host/node-pool';
import { hostApMomentSets } from '../src/redshift/ap-moments-host';
import { listCases, loadCase } from './oracle';

describe('IR split on a worker thread', () => {
  it('equals the main-thread split and AP moment sums bit for bit (batch of 6 cosmologies)', async () => {
    const cases = listCases().filter((id) => loadCase(id).settings['IR resummation'] === 'Yes').slice(0, 6).map(loadCase);
    const cosmologies = cases.map((c) => ({
      kMpc: c.input.k_Mpc,
      pkMpc3: c.input.pk_lin_Mpc3,
      h: c.derived.h,
      n_s: c.derived.n_s,
      rsDragMpc: c.derived.rs_drag_Mpc,
    }));
    const single = cosmologies.map((c) => runLinearStage(256, [c]));
    for (let i = 0; i < 200 && hostWorkerState() === 'starting'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hostWorkerState()).toBe('ready');
    const hratio = cases.map((_, b) => 1 + 0.01 * b);
    const dratio = cases.map((_, b) => 1 - 0.005 * b);
    const batch = runLinearStage(256, cosmologies, {}, { hratio, dratio, nSide: 10 });
    const direct = hostApMomentSets({ gridKMpc: batch.gridKMpc, hratio, dratio }, 10);
    for (const [key, set] of direct.sets) expect(batch.apMoments!.sets.get(key)!.m64).toEqual(set.m64);
    expect(batch.apMoments!.adjMask).toEqual(direct.adjMask);
    single.forEach((s, b) => {
      for (const key of ['pDisc', 'pNoWiggle', 'pWiggle', 'pBin', 'pTree'] as const) expect(batch[key][b]).toEqual(s[key][0]);
      expect(batch.sigma2Bao[b]).toBe(s.sigma2Bao[0]);
      expect(batch.deltaSigma2Bao[b]).toBe(s.deltaSigma2Bao[0]);
    });
  });
});
