// Escaping for the two text formats. Label values escape `\`, `"` and newline in both; HELP
// escapes `\` and newline in text 0.0.4 (where `\"` is not a valid escape) and also `"` in
// OpenMetrics. Lone UTF-16 surrogates cannot be encoded as UTF-8, so they become U+FFFD first.

const LABEL_SPECIAL = /[\\"\n]/;
const LABEL_SPECIAL_ALL = /[\\"\n]/g;
const HELP_TEXT_SPECIAL = /[\\\n]/;
const HELP_TEXT_SPECIAL_ALL = /[\\\n]/g;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };
const escapeChar = (char: string): string => ESCAPES[char] ?? char;

type WellFormedString = string & { isWellFormed?(): boolean; toWellFormed?(): string };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with lone surrogates replaced by U+FFFD, so it encodes to valid UTF-8. */
export function wellFormed(text: string): string {
  const s = text as WellFormedString;
  if (s.isWellFormed && s.toWellFormed) return s.isWellFormed() ? text : s.toWellFormed();
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A label value, escaped the same way for text 0.0.4 and OpenMetrics. */
export function escapeLabelValue(value: string): string {
  const text = wellFormed(value);
  return LABEL_SPECIAL.test(text) ? text.replace(LABEL_SPECIAL_ALL, escapeChar) : text;
}

/** A HELP text for the given format. */
export function escapeHelp(help: string, openMetrics: boolean): string {
  const text = wellFormed(help);
  if (openMetrics) return LABEL_SPECIAL.test(text) ? text.replace(LABEL_SPECIAL_ALL, escapeChar) : text;
  return HELP_TEXT_SPECIAL.test(text) ? text.replace(HELP_TEXT_SPECIAL_ALL, escapeChar) : text;
}

/** A sample value: integers and decimals as JavaScript prints them, non-finite values as `NaN`, `+Inf`, `-Inf`. */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (value !== value) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
