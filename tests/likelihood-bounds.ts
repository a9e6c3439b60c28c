/**
 * Bounds of the likelihood tests, each about 3x its measured worst (the measurement in the
 * comment; docs/JOURNAL.md has the reasoning). A bound changes only with a journal entry.
 */
export const BOUNDS = {
  /**
   * |delta(-2 ln L)| fed CLASS-PT's own P_L, read out as CLASS-PT does: measured 1.8e-3 (p21w)
   * since the float64 matter loops and AP projection (4.0e-3 before)
   */
  bossClassptInput: 5.5e-3,
  /**
   * |delta(-2 ln L)| through the emulator, the 16 points near the posterior: measured 5.1e-2
   * (p07), the emulator's ~1e-4 in P_L summed coherently over 456 data
   */
  bossEmulator: 0.15,
  /** the same at the 8 points far from the data (-2 ln L 1000-3600): measured 0.45 (p16w) */
  bossEmulatorFar: 1.35,
  /** |AD - FD| / |FD| of d(-2 ln L)/d theta: measured 2.1e-3 (omega_cdm) */
  bossGradient: 6.5e-3,
  /**
   * chi^2 of the noiseless mock at its truth and at the minimum L-BFGS finds: measured 1.8e-10
   * and 4.3e-4 (the float32 model's gradient noise, |grad| 4e-4 at the truth, stops the line
   * search along the flat omega_b-n_s-h-A_s direction)
   */
  mockChi2AtTruth: 1.5e-3,
  /**
   * |chi^2 minimum - truth| / its Laplace sigma, worst parameter: measured 1.95e-2
   * (ln10^{10}A_s; every cosmological parameter ~2e-2 along that one direction). The issue's
   * goal is 0.05, which is also ~2.6x the measured worst.
   */
  mockMinimumShift: 0.05,
};
