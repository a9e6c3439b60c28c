/**
 * Cold start, in a fresh process (spawned by ./run.ts with --cold): module import, backend
 * start, the plan build with every kernel set the fiducial forward needs, and the first
 * forward (components + the 12 spectra, read back). Prints one JSON line.
 */
export interface ColdResult {
  backend: string;
  /** process start (node + tsx) to the start of this module, ms */
  boot_ms: number;
  import_ms: number;
  backend_init_ms: number;
  /** getPlan + rsdIrOn + bias + biasHost */
  plan_build_ms: number;
  first_forward_ms: number;
  /** plan_build_ms + first_forward_ms */
  cold_start_ms: number;
  /** process start to the end of the first forward */
  total_in_process_ms: number;
}

export async function runCold(backendName: string): Promise<ColdResult> {
  const boot = performance.now(); // performance.now() counts from process start in Node
  await import('../src/platform/node');
  const { useBackend } = await import('../src/backend');
  const { getPlan } = await import('../src/plan');
  const { caseInputs, readCaseFile } = await import('../src/cli/case-file');
  const { forwardOnce } = await import('./worker');
  const { FIDUCIAL_CASE } = await import('./common');
  const tImport = performance.now();
  const backend = await useBackend(backendName);
  const tBackend = performance.now();
  const inputs = caseInputs(readCaseFile(FIDUCIAL_CASE));
  const t0 = performance.now();
  const plan = getPlan({ n: inputs.n });
  plan.rsdIrOn();
  plan.bias();
  plan.biasHost();
  const t1 = performance.now();
  await forwardOnce(plan, inputs, [inputs.cosmology]);
  const t2 = performance.now();
  return {
    backend,
    boot_ms: boot,
    import_ms: tImport - boot,
    backend_init_ms: tBackend - tImport,
    plan_build_ms: t1 - t0,
    first_forward_ms: t2 - t1,
    cold_start_ms: t2 - t0,
    total_in_process_ms: t2,
  };
}
