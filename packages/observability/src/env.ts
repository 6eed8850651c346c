// Parsers for the OpenTelemetry environment-variable formats. Each takes the raw value and the
// name of the setting it came from, so a bad value fails with a message that names the variable
// (or the config field) and says what it accepts. Empty values count as unset, as the spec says.
import { OgfError } from './errors.js';

/** The environment we read: `process.env` on Node, Bun and Deno, bindings on workerd. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

function invalid(setting: string, accepts: string, raw: unknown): OgfError {
  return new OgfError('ERR_OGF_INVALID_OPTION', `${setting} must be ${accepts}, got ${JSON.stringify(raw)}`);
}

/** The default environment: `globalThis.process.env` when the runtime has one, else empty. */
export function defaultEnv(): EnvSource {
  const proc = (globalThis as { process?: { env?: EnvSource } }).process;
  return proc?.env ?? {};
}

/** A variable's trimmed value, or `undefined` when it is unset or blank. */
export function readVar(env: EnvSource, name: string): string | undefined {
  const raw = env[name];
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/** `true` / `false`, case-insensitive. */
export function parseBoolean(raw: string, setting: string): boolean {
  const value = raw.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(setting, '"true" or "false"', raw);
}

/** A ratio from 0 to 1 inclusive. */
export function parseRatio(raw: string | number, setting: string): number {
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw invalid(setting, 'a number from 0 to 1', raw);
  return value;
}

/** A whole number of milliseconds greater than zero. */
export function parsePositiveMs(raw: string | number, setting: string): number {
  const value = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(setting, 'a whole number of milliseconds above 0', raw);
  return value;
}

function percentDecode(text: string, setting: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new OgfError(
      'ERR_OGF_INVALID_OPTION',
      `${setting} has an invalid percent-encoding in ${JSON.stringify(text)}; encode "%" as "%25"`,
      { cause },
    );
  }
}

/**
 * The `key1=value1,key2=value2` list of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS
 * (W3C Baggage octets): entries split on `,`, key and value split on the first `=`, surrounding
 * spaces trimmed, both percent-decoded. Empty entries are skipped; an entry without `=` or with an
 * empty key is an error.
 */
export function parseKeyValueList(raw: string, setting: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq < 0 ? '' : percentDecode(entry.slice(0, eq).trim(), setting);
    if (key === '') throw invalid(setting, 'a comma-separated list of key=value pairs (values percent-encoded)', raw);
    result[key] = percentDecode(entry.slice(eq + 1).trim(), setting);
  }
  return result;
}

/** A comma-separated list of names, lower-cased, each one of `allowed`, without duplicates. */
export function parseNameList<T extends string>(raw: string, setting: string, allowed: readonly T[]): T[] {
  const names: T[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    if (!(allowed as readonly string[]).includes(name)) {
      throw invalid(setting, `a comma-separated list of ${allowed.map((a) => `"${a}"`).join(', ')}`, raw);
    }
    if (!names.includes(name as T)) names.push(name as T);
  }
  if (names.length === 0) throw invalid(setting, `one or more of ${allowed.map((a) => `"${a}"`).join(', ')}`, raw);
  return names;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// host, IPv4 or [IPv6], optional port, optional path: OffGridFlow's `localhost:4318` form.
const HOST_PORT = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:\/\S*)?$/i;

/**
 * An OTLP/HTTP endpoint: an `http://` or `https://` URL, or a bare `host:port` (OffGridFlow's
 * `localhost:4318`, the form the Go SDK takes), which is read as `http://host:port`.
 * Returns the normalised URL text without changing its path.
 */
export function parseEndpoint(raw: string, setting: string): string {
  const accepts = 'an http:// or https:// URL, or host:port (read as http://host:port)';
  const text = raw.trim();
  const candidate = SCHEME.test(text) ? text : HOST_PORT.test(text) ? `http://${text}` : undefined;
  if (candidate === undefined) throw invalid(setting, accepts, raw);
  let url: URL;
  try {
    url = new URL(candidate);
  } catch (cause) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `${setting} must be ${accepts}, got ${JSON.stringify(raw)}`, { cause });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw invalid(setting, accepts, raw);
  return url.href;
}

/** The spec's rule for a base endpoint: append `v1/<signal>` to its path (adding a `/` if needed). */
export function signalUrl(baseEndpoint: string, signal: 'traces' | 'metrics'): string {
  const url = new URL(baseEndpoint);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${path}v1/${signal}`;
  return url.href;
}
