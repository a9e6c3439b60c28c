/**
 * The one error class for bad input, thrown by the library API (computeComponents, the linear
 * stage) and by the command line before any computation. `field` names what is wrong (an
 * argument such as `kMpc[3]` or `cosmologies[1].h`, a case-file field such as
 * `input.pk_lin_Mpc3[7]`, or a command-line option such as `--h`); the message starts with it.
 *
 * It extends RangeError, so code that caught the RangeErrors of earlier versions still works.
 */
export class ClaxPtInputError extends RangeError {
  override name = 'ClaxPtInputError';
  /** the offending field, argument or option */
  readonly field: string;

  /** `problem` is what is wrong with `field`; the message is `${field}: ${problem}`. */
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** True for a ClaxPtInputError (also across module copies, by name and field). */
export function isInputError(e: unknown): e is ClaxPtInputError {
  return e instanceof ClaxPtInputError || (e instanceof Error && e.name === 'ClaxPtInputError' && typeof (e as { field?: unknown }).field === 'string');
}
