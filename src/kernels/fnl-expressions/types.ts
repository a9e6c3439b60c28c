/** One CLASS-PT fNL kernel expression: Mathematica text in two variables (nu1, nu2). */
export interface FnlExpression {
  /** path of the file in the CLASS-PT repository (commit e02293a2) */
  readonly source: string;
  /** the names the text uses for (nu1, nu2) */
  readonly variables: readonly [string, string];
  /** the expression, verbatim */
  readonly text: string;
}
