// Attributes → the inside of a Prometheus label set (`a="x",b="y"`), sanitised, merged and
// escaped once per attributes object: the SDK hands back the same attributes object for a series
// on every collection, so a WeakMap turns the per-scrape label work into one lookup.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { escapeLabelValue, wellFormed } from './escape.js';
import { prometheusLabelName } from './names.js';

/** Labels the exporter adds itself; an attribute mapping to one of them is renamed `exported_<name>`. */
const RESERVED = new Set(['le', 'quantile', 'otel_scope_name', 'otel_scope_version']);
const MAX_KEY_CACHE = 10_000;

/**
 * Memo tables owned by one exporter (or one render call). Everything in them is derived from
 * immutable inputs, so the output stays a pure function of the collected metrics.
 */
export interface RenderCache {
  /** Attributes object → label text. */
  readonly parts: WeakMap<Attributes, LabelPart>;
  /** Attribute key → label name. */
  readonly names: Map<string, string>;
  /** Instrument descriptor → its family name, per kind. */
  readonly families: WeakMap<object, { kind: string; name: string }>;
  /** Histogram boundaries array → `le="…"} ` fragments. */
  readonly les: WeakMap<readonly number[], string[]>;
}

/**
 * A fresh, empty render cache; pass one to the render functions to reuse work between scrapes.
 *
 * @example
 * const cache = createRenderCache();
 * const body = renderPrometheusText(resourceMetrics, { cache });
 */
export function createRenderCache(): RenderCache {
  return { parts: new WeakMap(), names: new Map(), families: new WeakMap(), les: new WeakMap() };
}

/** The label text of an attributes object, and whether two distinct attribute sets could share it. */
export interface LabelPart {
  /** `a="x",b="y"` ('' when empty). */
  readonly text: string;
  /** True when a key was sanitised, renamed or dropped, or a value was not a string. */
  readonly lossy: boolean;
  /** Keys left out because they sanitise to nothing (reported on every lookup; reporters keep each once). */
  readonly invalid: readonly string[] | undefined;
  /** The last scope label text this part was written with, and the `{…} ` it made (a one-entry memo). */
  scope: string | undefined;
  braces: string | undefined;
}

/** Called with an attribute key that sanitises to nothing; the attribute is left out. */
export type InvalidKeyHandler = (key: string) => void;

function labelNameFor(key: string, cache: RenderCache): string {
  let name = cache.names.get(key);
  if (name === undefined) {
    name = prometheusLabelName(key);
    if (RESERVED.has(name)) name = `exported_${name}`;
    if (cache.names.size >= MAX_KEY_CACHE) cache.names.clear();
    cache.names.set(key, name);
  }
  return name;
}

/** An attribute value as label text, per the OTel attribute spec: arrays as JSON. */
export function attributeText(value: AttributeValue | undefined | null): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return value === null ? undefined : JSON.stringify(value);
    default:
      return undefined;
  }
}

interface Entry {
  label: string;
  key: string;
  text: string;
}

function byLabelThenKey(a: Entry, b: Entry): number {
  if (a.label !== b.label) return a.label < b.label ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function build(attributes: Attributes, cache: RenderCache): LabelPart {
  const entries: Entry[] = [];
  let lossy = false;
  let invalid: string[] | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    const text = attributeText(value);
    // Non-strings and lone surrogates (which become U+FFFD) can print like another value.
    if (typeof value !== 'string' || wellFormed(value) !== value) lossy = true;
    if (text === undefined) continue;
    const label = labelNameFor(key, cache);
    if (label !== key) lossy = true;
    if (label === '') {
      (invalid ??= []).push(key);
      continue;
    }
    entries.push({ label, key, text });
  }
  if (entries.length === 0) return { text: '', lossy, invalid, scope: undefined, braces: undefined };
  entries.sort(byLabelThenKey);
  let out = '';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry;
    let text = entry.text;
    // Keys that collide after sanitising share one label: values joined with `;` in the order
    // of the original keys (the spec's rule), which the sort above already gives.
    while (i + 1 < entries.length && (entries[i + 1] as Entry).label === entry.label) {
      i++;
      text += `;${(entries[i] as Entry).text}`;
    }
    out += `${out === '' ? '' : ','}${entry.label}="${escapeLabelValue(text)}"`;
  }
  return { text: out, lossy, invalid, scope: undefined, braces: undefined };
}

// The label text is a pure function of the attributes object (the mapping rules are constants),
// so it is memoised on the object itself, under a private non-enumerable symbol: a property read on
// an object the renderer touches anyway is several times cheaper than a WeakMap lookup at 100k+
// series, and a big WeakMap makes every full GC process its ephemerons. Object.keys, for…in,
// spread, Object.assign and JSON never see it. Objects that cannot take it (frozen, sealed,
// proxies that refuse) use the cache's WeakMap instead.
const PART: unique symbol = Symbol('@ogf/prom-export label part');
type Tagged = Attributes & { [PART]?: LabelPart };

function remember(attributes: Attributes, part: LabelPart, cache: RenderCache): void {
  if (Object.isExtensible(attributes)) {
    try {
      Object.defineProperty(attributes, PART, { value: part, enumerable: false, configurable: true, writable: true });
      return;
    } catch {
      // A proxy that refuses the property: fall through to the WeakMap.
    }
  }
  cache.parts.set(attributes, part);
}

/**
 * The label text for a set of attributes, without braces: `a="x",b="y"` ('' when empty). Labels
 * are sorted by name; keys colliding after sanitising are merged.
 */
export function labelPart(attributes: Attributes, cache: RenderCache, onInvalidKey: InvalidKeyHandler): LabelPart {
  let part = (attributes as Tagged)[PART] ?? cache.parts.get(attributes);
  if (part === undefined) {
    part = build(attributes, cache);
    remember(attributes, part, cache);
  }
  if (part.invalid !== undefined) for (const key of part.invalid) onInvalidKey(key);
  return part;
}

/** `otel_scope_name="…",otel_scope_version="…"` for a scope (version only when set). */
export function scopeLabels(scope: { name: string; version?: string }): string {
  const version = scope.version ? `,otel_scope_version="${escapeLabelValue(scope.version)}"` : '';
  return `otel_scope_name="${escapeLabelValue(scope.name)}"${version}`;
}
