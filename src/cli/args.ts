/**
 * Command-line option parsing for `clax-pt`: a small strict parser (every option must be
 * known; `--name value` and `--name=value`; values may start with '-', so `--b2 -1` works),
 * and number parsing that reports the option by name. Every problem is a ClaxPtInputError.
 */
import { ClaxPtInputError } from '../errors';
import { BACKEND_NAMES } from '../backend';

export interface OptionSpec {
  /** 'string' options take a value; 'boolean' ones do not */
  type: 'string' | 'boolean';
  /** may be given several times (values collected in order) */
  multiple?: boolean;
  /** one-letter alias, e.g. 'h' for -h */
  short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedOptions {
  /** option name -> its value (string), values (string[], for `multiple`) or true (boolean) */
  values: Record<string, string | string[] | boolean | undefined>;
  /** arguments after a bare `--` */
  positionals: string[];
}

/** Parses `args` for `clax-pt <command>`; unknown options and stray arguments are refused. */
export function parseOptions(command: string, args: string[], specs: OptionSpecs): ParsedOptions {
  const values: ParsedOptions['values'] = {};
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([n, s]) => [s.short as string, n]));
  const where = `clax-pt ${command}`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (/^-[A-Za-z]$/.test(arg) && shorts.has(arg.slice(1))) {
      name = shorts.get(arg.slice(1)) as string;
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-[\d.]/.test(arg)) {
      throw new ClaxPtInputError(arg, `unknown option for ${where} (see ${where} --help)`);
    } else {
      throw new ClaxPtInputError(
        `argument '${arg}'`,
        `unexpected for ${where}: it takes options only (did you mean an option such as --case or --pk before it? see ${where} --help)`,
      );
    }
    const spec = specs[name];
    if (!spec) throw new ClaxPtInputError(`--${name}`, `unknown option for ${where} (see ${where} --help)`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new ClaxPtInputError(`--${name}`, `takes no value (got '${inline}')`);
      values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new ClaxPtInputError(`--${name}`, 'missing value');
      }
      value = next;
      i++;
    }
    if (spec.multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      list.push(value);
      values[name] = list;
    } else {
      values[name] = value;
    }
  }
  return { values, positionals };
}

/**
 * A number from an option value. 'nan', 'inf', '-inf' and 'Infinity' are read as such (and then
 * refused by the range checks with a clear message); anything else non-numeric is refused here.
 */
export function parseNumber(field: string, raw: string): number {
  const t = raw.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  const v = t === '' ? NaN : Number(t);
  if (Number.isNaN(v)) throw new ClaxPtInputError(field, `expected a number, got '${raw}'`);
  return v;
}

export type Sign = 'finite' | 'positive' | 'non-negative';

/** Refuses non-numbers, NaN, infinities and values of the wrong sign, naming `field`. */
export function checkNumber(field: string, v: unknown, sign: Sign = 'finite'): number {
  if (v === undefined || v === null) throw new ClaxPtInputError(field, 'missing');
  if (typeof v !== 'number') throw new ClaxPtInputError(field, `expected a number, got ${JSON.stringify(v)}`);
  if (Number.isNaN(v)) throw new ClaxPtInputError(field, 'is NaN (expected a finite number)');
  if (!Number.isFinite(v)) throw new ClaxPtInputError(field, `is ${v} (expected a finite number)`);
  if (sign === 'positive' && !(v > 0)) throw new ClaxPtInputError(field, `must be positive, got ${v}`);
  if (sign === 'non-negative' && !(v >= 0)) throw new ClaxPtInputError(field, `must be non-negative, got ${v}`);
  return v;
}

/** An integer option restricted to a list of values. */
export function parseChoiceInt(field: string, raw: string, choices: readonly number[]): number {
  const v = parseNumber(field, raw);
  if (!choices.includes(v)) throw new ClaxPtInputError(field, `must be one of ${choices.join(', ')}, got ${raw}`);
  return v;
}

/** A string option restricted to a list of values (case-insensitive, with aliases). */
export function parseChoice<T extends string>(field: string, raw: string, choices: Record<string, T>): T {
  const key = raw.trim().toLowerCase();
  const hit = Object.entries(choices).find(([k]) => k.toLowerCase() === key);
  if (!hit) {
    const names = [...new Set(Object.values(choices))];
    throw new ClaxPtInputError(field, `must be one of ${names.join(', ')}, got '${raw}'`);
  }
  return hit[1];
}

/** Refuses an unknown --backend (or CLAX_PT_BACKEND) before anything runs. */
export function checkBackend(option: unknown): void {
  const fromEnv = option === undefined;
  const raw = fromEnv ? process.env.CLAX_PT_BACKEND : String(option);
  if (raw === undefined) return;
  if (!(BACKEND_NAMES as readonly string[]).includes(raw.trim().toLowerCase())) {
    throw new ClaxPtInputError(fromEnv ? 'CLAX_PT_BACKEND' : '--backend', `must be one of ${BACKEND_NAMES.join(', ')}, got '${raw}'`);
  }
}
