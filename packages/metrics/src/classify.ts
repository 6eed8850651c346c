import { OgfError } from './errors.js';

/** The built-in error types, in the order they are tried. */
export const BUILTIN_ERROR_TYPES = ['cancelled', 'timeout', 'rate_limited', 'database', 'network', 'validation', 'other'] as const;

/** A built-in error type; registered classifiers add their own. */
export type BuiltinErrorType = (typeof BUILTIN_ERROR_TYPES)[number];

/** A user rule: errors it matches get `type` (tried before the built-in rules). */
export interface ErrorClassifierRule {
  /** Lower-case snake_case, at most 64 characters, e.g. `emission_factor_missing`. */
  readonly type: string;
  readonly matches: (error: unknown) => boolean;
}

/** Maps any error (or an error-type string) to one of a closed set of types. */
export interface ErrorClassifier {
  /** Every type `classify` can return: the registered ones, then the built-in ones. */
  readonly types: readonly string[];
  classify(error: unknown): string;
}

const TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_OGF_TIMEOUT']);

// Keyword rules, tried in BUILTIN_ERROR_TYPES order on "name code message" of the error.
const KEYWORDS: readonly (readonly [BuiltinErrorType, RegExp])[] = [
  ['cancelled', /abort|cancel/i],
  ['timeout', /time[d\s_-]?out|deadline exceeded/i],
  ['rate_limited', /rate[\s_-]?limit|too many requests|throttl|quota exceeded/i],
  ['database', /database|postgres|mysql|sqlite|mongo|redis|prisma|sequelize|deadlock|\bsql|\bdb\b|relation .* does not exist/i],
  ['network', /network|socket|econn|enotfound|connection (refused|reset|closed)|fetch failed|dns/i],
  ['validation', /validat|invalid|malformed|must be|is required|zod|schema/i],
];

interface ErrorFacts {
  name: string;
  code: string;
  status: number | undefined;
  text: string;
}

function readFacts(error: unknown): ErrorFacts {
  if (typeof error === 'string') return { name: '', code: '', status: undefined, text: error };
  if (typeof error !== 'object' || error === null) return { name: '', code: '', status: undefined, text: '' };
  const record = error as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : '';
  const code = typeof record.code === 'string' || typeof record.code === 'number' ? String(record.code) : '';
  const rawStatus = record.status ?? record.statusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const message = typeof record.message === 'string' ? record.message.slice(0, 2000) : '';
  return { name, code, status, text: `${name} ${code} ${message}` };
}

function structural(facts: ErrorFacts): BuiltinErrorType | undefined {
  const { name, code, status } = facts;
  if (name === 'AbortError' || code === 'ABORT_ERR') return 'cancelled';
  if (name === 'TimeoutError' || TIMEOUT_CODES.has(code) || status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  // SQLSTATE: five characters, digits first (PostgreSQL, MySQL and friends).
  if (/^[0-9][0-9A-Z]{4}$/.test(code)) return 'database';
  if (NETWORK_CODES.has(code) || status === 502 || status === 503) return 'network';
  if (name === 'ValidationError' || name === 'ZodError' || status === 400 || status === 422) return 'validation';
  return undefined;
}

function builtin(error: unknown, depth: number): BuiltinErrorType {
  const facts = readFacts(error);
  const found = structural(facts) ?? KEYWORDS.find(([, pattern]) => pattern.test(facts.text))?.[0];
  if (found) return found;
  // Wrapped errors: look through `cause`, a few levels deep.
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return cause !== undefined && depth < 4 ? builtin(cause, depth + 1) : 'other';
}

/**
 * Builds a classifier: registered rules first (in order), then the built-in rules. A string
 * that already names a known type is kept as is; any other string is classified by keywords.
 * Throws an `OgfError` for a rule type that is not lower-case snake_case.
 *
 * @example
 * ```ts
 * const classifier = createErrorClassifier({
 *   classifiers: [{ type: 'factor_missing', matches: (e) => e instanceof FactorMissingError }],
 * });
 * classifier.classify(new FactorMissingError()); // 'factor_missing'
 * ```
 */
export function createErrorClassifier(options: { classifiers?: readonly ErrorClassifierRule[] } = {}): ErrorClassifier {
  const rules = [...(options.classifiers ?? [])];
  for (const rule of rules) {
    if (typeof rule?.type !== 'string' || !TYPE_PATTERN.test(rule.type) || typeof rule.matches !== 'function') {
      throw new OgfError(
        'ERR_OGF_INVALID_OPTION',
        `an error classifier needs { type: lower-case snake_case up to 64 characters, matches: function }, got type ${JSON.stringify(rule?.type)}`,
      );
    }
  }
  const types = [...new Set([...rules.map((rule) => rule.type), ...BUILTIN_ERROR_TYPES])];
  const known = new Set(types);
  return {
    types,
    classify(error: unknown): string {
      if (typeof error === 'string') {
        const normalised = error.trim().toLowerCase();
        if (known.has(normalised)) return normalised;
      }
      for (const rule of rules) {
        try {
          if (rule.matches(error)) return rule.type;
        } catch {
          // A throwing rule is a non-match: classification must never throw.
        }
      }
      return builtin(error, 0);
    },
  };
}

const defaultClassifier = createErrorClassifier();

/**
 * Maps an error to one of the built-in types: timeout, network, database, validation,
 * cancelled, rate_limited or other. Looks at `name`, `code`, HTTP `status`, the message and
 * the `cause` chain. Never throws.
 *
 * @example
 * ```ts
 * classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // 'network'
 * ```
 */
export function classifyError(error: unknown): string {
  return defaultClassifier.classify(error);
}
