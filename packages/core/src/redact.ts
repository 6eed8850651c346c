// Public health bodies and span attributes must never carry credentials, addresses or stack
// traces. Messages from drivers routinely embed all three (`connect ECONNREFUSED
// postgres://app:S3cr3t@10.0.0.5:5432/db`), so we replace them with a small closed set of
// categories when we recognise the failure, and scrub what remains otherwise.
// @ogf/health (check messages) and @ogf/tracing (span errors) both use it, so it lives here.

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

// Error codes first: they are exact, where messages vary by driver, version and locale.
const CODE_CATEGORIES: Readonly<Record<string, FailureCategory>> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ERR_SOCKET_CLOSED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'host_not_found',
  EAI_NONAME: 'host_not_found',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ABORT_ERR: 'aborted',
  ECONNABORTED: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  EHOSTDOWN: 'unavailable',
  ENETUNREACH: 'unavailable',
  ENETDOWN: 'unavailable',
  EADDRNOTAVAIL: 'unavailable',
  // SQLSTATE (PostgreSQL and others): invalid password, admin shutdown, crash shutdown, starting up.
  '28P01': 'authentication_failed',
  '28000': 'authentication_failed',
  '57P01': 'unavailable',
  '57P02': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
  '08001': 'connection_refused',
  '08006': 'connection_reset',
  '08003': 'connection_reset',
  // MySQL
  ER_ACCESS_DENIED_ERROR: 'authentication_failed',
  PROTOCOL_CONNECTION_LOST: 'connection_reset',
};

const NAME_CATEGORIES: Readonly<Record<string, FailureCategory>> = {
  TimeoutError: 'timeout',
  ConnectionTimeoutError: 'timeout',
  AbortError: 'aborted',
  SocketClosedUnexpectedlyError: 'connection_reset',
  ClientClosedError: 'connection_reset',
  MaxRetriesPerRequestError: 'unavailable',
};

// Order matters: the first match wins, so the specific patterns come before the broad ones
// ("Connection terminated due to connection timeout" is a timeout, not a reset).
const MESSAGE_CATEGORIES: readonly (readonly [FailureCategory, RegExp])[] = [
  ['connection_refused', /ECONNREFUSED|connection refused/i],
  [
    'authentication_failed',
    /password authentication failed|WRONGPASS|NOAUTH|auth(?:entication)? (?:failed|required)|access denied|invalid (?:username|password|credentials)/i,
  ],
  ['host_not_found', /ENOTFOUND|EAI_AGAIN|getaddrinfo|name resolution|unknown host/i],
  ['timeout', /ETIMEDOUT|\btimed? ?out\b|timeout/i],
  [
    'connection_reset',
    /ECONNRESET|EPIPE|socket hang up|socket closed|(?:connection|client|socket) (?:is |was )?(?:reset|closed)|Connection terminated|connection lost|other side closed/i,
  ],
  ['tls_error', /certificate|self[- ]signed|\b(?:SSL|TLS)\b|ERR_(?:SSL|TLS)_/i],
  ['aborted', /AbortError|\baborted\b/i],
  [
    'unavailable',
    /ECONNABORTED|EHOSTUNREACH|ENETUNREACH|unavailable|shutting down|starting up|max retries|too many (?:connections|clients)/i,
  ],
  // Redis error replies that mean "not serving right now" (upper case: they are reply prefixes).
  ['unavailable', /\b(?:LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)\b/],
];

/**
 * Names a failure by a category from a closed set, or `undefined` when none applies. Looks at
 * error codes and names first, then messages, following `cause` chains and AggregateError members.
 *
 * @example
 * categorizeFailure(Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' })); // → 'connection_refused'
 */
export function categorizeFailure(error: unknown): FailureCategory | undefined {
  const parts = collect(error, 0, []);
  for (const part of parts) {
    const byCode = part.code === undefined ? undefined : CODE_CATEGORIES[part.code];
    if (byCode) return byCode;
    const byName = part.name === undefined ? undefined : NAME_CATEGORIES[part.name];
    if (byName) return byName;
  }
  const text = parts.map((part) => `${part.code ?? ''} ${part.name ?? ''} ${part.message}`).join('\n');
  for (const [category, pattern] of MESSAGE_CATEGORIES) {
    if (pattern.test(text)) return category;
  }
  return undefined;
}

const SECRET_KEYS = String.raw`pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|auth(?:orization)?|credentials?|session(?:[_-]?id)?|cookie`;
const CONNECTION_KEYS = String.raw`user(?:name)?|user ?id|uid|host(?:name)?|server|data source|dbname|database|port`;

const SCRUBBERS: readonly (readonly [RegExp, string])[] = [
  // Stack frames, and everything after the first line break (stack traces, SQL, dumps).
  [/\n[\s\S]*$/, ''],
  // Any URI (scheme://…): user-info, host, path and query all go; the scheme stays for context.
  [/\b([a-z][a-z0-9+.-]*):\/\/[^\s'"<>]*/gi, '$1://[redacted]'],
  // user:password@host without a scheme.
  [/[^\s:@/'"]+:[^\s@/'"]+@[^\s'"]+/g, '[redacted]'],
  // Bearer and Basic credentials, then key=value, key: value and "key": "value" secrets.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [
    new RegExp(String.raw`\b(${SECRET_KEYS})\b(["']?\s*[=:]\s*)(?!(?:Bearer|Basic) \[redacted\])("[^"]*"|'[^']*'|[^\s,;&]+)`, 'gi'),
    '$1$2[redacted]',
  ],
  // Key/value connection strings (libpq `host=… user=…`, ADO `Server=…;User Id=…`).
  [new RegExp(String.raw`\b(${CONNECTION_KEYS})(\s*=\s*)("[^"]*"|'[^']*'|[^\s,;&]+)`, 'gi'), '$1$2[redacted]'],
  // JWTs and AWS access key ids.
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted]'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, '[redacted]'],
  // Long opaque strings that mix letters and digits (keys, tokens, session ids).
  [/\b(?=[A-Za-z0-9_+/=-]*\d)(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{32,}/g, '[redacted]'],
  // IPv4 with optional port; bracketed, full and compressed IPv6.
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '[address]'],
  [/\[[0-9a-f:.]+\](?::\d+)?/gi, '[address]'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi, '[address]'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi, '[address]'],
  // host:port, and host names of three or more labels.
  [/\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*:\d{1,5}\b/gi, '[address]'],
  [/\blocalhost:\d{1,5}\b/gi, '[address]'],
  [/\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}[a-z]{2,}\b/gi, '[address]'],
  // Control characters.
  // eslint-disable-next-line no-control-regex
  [/[\u0000-\u001f\u007f]+/g, ' '],
];

const MAX_MESSAGE_LENGTH = 200;
const MAX_INPUT_LENGTH = 2_000;

/**
 * Removes credentials, connection strings, addresses and stack frames from a message; keeps one
 * line of at most 200 characters.
 *
 * @example
 * scrubMessage('login failed for postgres://app:S3cr3t@db.internal:5432/app'); // → 'login failed for postgres://[redacted]'
 */
export function scrubMessage(message: string): string {
  let text = String(message).slice(0, MAX_INPUT_LENGTH).replace(/^\s+/, '');
  for (const [pattern, replacement] of SCRUBBERS) text = text.replace(pattern, replacement);
  text = text.trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/**
 * The message safe to publish for a failure: its category when recognised, otherwise the scrubbed
 * message, otherwise `'error'`.
 *
 * @example
 * redactFailure(new Error('connect ECONNREFUSED postgres://app:S3cr3t@10.0.0.5:5432/db'));
 * // → 'connection_refused'
 */
export function redactFailure(error: unknown): string {
  const category = categorizeFailure(error);
  if (category) return category;
  const first = collect(error, 0, [])[0];
  return (first && scrubMessage(first.message)) || 'error';
}

interface FailurePart {
  code: string | undefined;
  name: string | undefined;
  message: string;
}

const MAX_DEPTH = 4;

// Flattens an error, its `cause` chain and AggregateError members (Node's happy-eyeballs connect
// errors are AggregateErrors with an empty message and the code on each member).
function collect(error: unknown, depth: number, into: FailurePart[]): FailurePart[] {
  if (depth > MAX_DEPTH || into.length > 16) return into;
  if (typeof error === 'string') {
    into.push({ code: undefined, name: undefined, message: error });
    return into;
  }
  if (typeof error !== 'object' || error === null) return into;
  const record = error as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : '';
  const code = typeof record.code === 'string' || typeof record.code === 'number' ? String(record.code) : undefined;
  const name = typeof record.name === 'string' && record.name !== 'Error' ? record.name : undefined;
  if (message || code || name) into.push({ code, name, message });
  if (Array.isArray(record.errors)) {
    for (const member of record.errors.slice(0, 4)) collect(member, depth + 1, into);
  }
  if ('cause' in record && record.cause !== error) collect(record.cause, depth + 1, into);
  return into;
}
