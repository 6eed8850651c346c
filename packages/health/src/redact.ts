// Public health bodies and span attributes must never carry credentials, addresses or stack
// traces. Messages from drivers routinely embed all three (`connect ECONNREFUSED
// postgres://app:S3cr3t@10.0.0.5:5432/db`), so we replace them with a small closed set of
// categories when we recognise the failure, and scrub what remains otherwise.
// This file is the single source of redaction: @ogf/tracing links to it (see its src/redact.ts).

/** The bounded set of reasons a failure is reported as. */
export type FailureCategory =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'host_not_found'
  | 'authentication_failed'
  | 'tls_error'
  | 'unavailable'
  | 'aborted'
  | 'error';

const CATEGORY_PATTERNS: readonly (readonly [FailureCategory, RegExp])[] = [
  ['connection_refused', /ECONNREFUSED|connection refused/i],
  ['connection_reset', /ECONNRESET|EPIPE|socket hang up|connection (?:was )?(?:reset|closed)|Connection terminated/i],
  ['host_not_found', /ENOTFOUND|EAI_AGAIN|getaddrinfo|name resolution/i],
  ['timeout', /ETIMEDOUT|timed? ?out|timeout/i],
  ['authentication_failed', /password authentication failed|WRONGPASS|NOAUTH|auth(?:entication)? failed|access denied/i],
  ['tls_error', /certificate|SSL|TLS/i],
  ['aborted', /AbortError|aborted/i],
  ['unavailable', /ECONNABORTED|EHOSTUNREACH|ENETUNREACH|unavailable|LOADING|shutting down/i],
];

/** Names a failure by a category from a closed set, or `undefined` when none applies. */
export function categorizeFailure(error: unknown): FailureCategory | undefined {
  const text = describe(error);
  for (const [category, pattern] of CATEGORY_PATTERNS) {
    if (pattern.test(text)) return category;
  }
  return undefined;
}

const SCRUBBERS: readonly (readonly [RegExp, string])[] = [
  // Any URI with user-info or a database/cache scheme: keep only the scheme.
  [/\b([a-z][a-z0-9+.-]*):\/\/[^\s'"<>]*/gi, '$1://[redacted]'],
  // key=value and key: value secrets (password=..., token: ..., api_key=...).
  [/\b(pass(?:word)?|pwd|secret|token|api[_-]?key|access[_-]?key|auth(?:orization)?|credentials?)\b(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, '$1$2[redacted]'],
  // Bearer and basic credentials.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  // IPv4 addresses with optional port, and bracketed IPv6.
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '[address]'],
  [/\[[0-9a-f:]+\](?::\d+)?/gi, '[address]'],
  // Stack frames.
  [/\n\s*at .*/g, ''],
];

const MAX_MESSAGE_LENGTH = 200;

/** Removes credentials, connection strings, addresses and stack frames from a message. */
export function scrubMessage(message: string): string {
  let text = message;
  for (const [pattern, replacement] of SCRUBBERS) text = text.replace(pattern, replacement);
  text = text.split('\n')[0] ?? '';
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/**
 * The message safe to publish for a failure: its category when recognised, otherwise the scrubbed
 * message.
 *
 * @example
 * redactFailure(new Error('connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db'));
 * // → 'connection_refused'
 */
export function redactFailure(error: unknown): string {
  return categorizeFailure(error) ?? (scrubMessage(describe(error)) || 'error');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${error.message}` : error.message;
  }
  if (typeof error === 'string') return error;
  return '';
}
