/**
 * The per-cosmology float64 host jobs that ./host-pool.ts can run on either thread: the IR split
 * (../ir/resummation.ts) and the AP moment sums (../redshift/ap-moments-host.ts). Inputs and results
 * are plain data (typed arrays), so they cross threads by structured clone.
 */
import { irResummation, type IrResummationOptions, type IrSpectra } from '../ir/resummation';
import { hostMomentData, type MomentData, type MomentInputs } from '../redshift/ap-moments-host';

export type HostJob = { ir: IrResummationOptions } | { moments: { inputs: MomentInputs; nSide: number } };
export type HostResult = IrSpectra | MomentData;

export function runHostJob(job: HostJob): HostResult {
  return 'ir' in job ? irResummation(job.ir) : hostMomentData(job.moments.inputs, job.moments.nSide);
}
