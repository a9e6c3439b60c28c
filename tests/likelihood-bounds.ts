/**
 * Bounds of the likelihood tests, each about 3x its measured worst (the measurement in the
 * comment; docs/JOURNAL.md has the reasoning). A bound changes only with a journal entry.
 */
export const BOUNDS = {
  /** |delta(-2 ln L)| fed CLASS-PT's own P_L, read out as CLASS-PT does: measured 4.0e-3 (p22w) */
  bossClassptInput: 0.012,
  /** |delta(-2 ln L)| through the emulator, the 16 points near the posterior: measured TBD */
  bossEmulator: 0.2,
  /** the same at the 8 points far from the data (-2 ln L 1000-3600): measured TBD */
  bossEmulatorFar: 1.5,
  /** |AD - FD| / |FD| of d(-2 ln L)/d theta: measured 1.5e-3 (omega_cdm, p00) */
  bossGradient: 5e-3,
};
