/**
 * The per-cosmology float64 host jobs that ./host-pool.ts can run on either thread: the IR split
 * (../ir/resummation.ts), the AP moment sums (../redshift/ap-moments-host.ts) and the AP projection
 * of the matter multipoles (../redshift/matter-float64.ts). Inputs and results are plain data
 * (typed arrays), so they cross threads by structured clone.
 */
import { irResummation, type IrResummationOptions, type IrSpectra } from '../ir/resummation';
import { hostMomentData, type MomentData, type MomentInputs } from '../redshift/ap-moments-host';
import { matterMultipolesFloat64, type MatterProjectionInputs } from '../redshift/matter-float64';

export type HostJob = { ir: IrResummationOptions } | { moments: { inputs: MomentInputs; nSide: number } } | { matter: MatterProjectionInputs };
export type HostResult = IrSpectra | MomentData | Float64Array;

export function runHostJob(job: HostJob): HostResult {
  if ('ir' in job) return irResummation(job.ir);
  if ('moments' in job) return hostMomentData(job.moments.inputs, job.moments.nSide);
  return matterMultipolesFloat64(job.matter);
}
