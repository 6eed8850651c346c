// Collected metrics → an ordered list of Prometheus families. Decides names, types, merges
// same-named metrics from several scopes, drops (and reports) metrics whose type or sample names
// conflict with an earlier family, and refuses prom-client families that clash with anything.
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { OgfError } from './errors.js';
import type { PromExportErrorCode } from './errors.js';
import type { RenderCache } from './labels.js';
import { labelPart, scopeLabels } from './labels.js';
import type { MetricKind } from '@ogf/core';
import { prometheusMetricName, prometheusUnit } from './names.js';
import type { PromClientMetric } from './types.js';

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'info';

/** Reports dropped data; `key` identifies the problem so it can be reported once. */
export type Reporter = (code: PromExportErrorCode, key: string, message: string) => void;

export interface OtelSource {
  readonly metric: MetricData;
  /** `otel_scope_name="…",…` or '' when scope labels are off. */
  readonly scope: string;
  /** The instrumentation scope's name (what exemplar sources are asked with). */
  readonly scopeName: string;
}

export interface Family {
  /** Family name in text 0.0.4 (a counter's ends in `_total`). */
  readonly name: string;
  /** Family name in OpenMetrics (a counter's without `_total`). */
  readonly omName: string;
  readonly type: FamilyType;
  readonly help: string;
  /** OpenMetrics UNIT ('' for none); always a `_`-suffix of `omName`. */
  readonly unit: string;
  readonly sources: OtelSource[];
  readonly foreign?: PromClientMetric;
  /** The label text of `target_info`. */
  readonly info?: string;
}

export interface PlanOptions {
  readonly withoutScopeLabels?: boolean;
  readonly withoutTargetInfo?: boolean;
}

/** The kind of an OTel metric, or undefined for data Prometheus text cannot carry. */
export function metricKind(metric: MetricData): MetricKind | undefined {
  const cumulative = metric.aggregationTemporality === AggregationTemporality.CUMULATIVE;
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      if (!cumulative) return undefined;
      return metric.isMonotonic ? 'counter' : 'updowncounter';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return cumulative ? 'histogram' : undefined;
    default:
      return undefined;
  }
}

/** The text 0.0.4 family name of an OTel metric, memoised per instrument descriptor. */
export function familyName(metric: MetricData, kind: MetricKind, cache: RenderCache): string {
  const descriptor = metric.descriptor;
  const known = cache.families.get(descriptor);
  if (known?.kind === kind) return known.name;
  const name = prometheusMetricName({ name: descriptor.name, unit: descriptor.unit, kind });
  cache.families.set(descriptor, { kind, name });
  return name;
}

const TYPE_SUFFIXES: Readonly<Record<FamilyType, readonly string[]>> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  histogram: ['', '_bucket', '_count', '_sum', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['', '_info'],
};

const VALID_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function foreignType(type: unknown): FamilyType | undefined {
  const names = ['counter', 'gauge', 'histogram', 'summary'] as const;
  if (typeof type === 'number') return names[type];
  return names.find((name) => name === type);
}

function compareScopes(a: { name: string; version?: string }, b: { name: string; version?: string }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const av = a.version ?? '';
  const bv = b.version ?? '';
  return av < bv ? -1 : av > bv ? 1 : 0;
}

const byName = (a: MetricData, b: MetricData): number =>
  a.descriptor.name < b.descriptor.name ? -1 : a.descriptor.name > b.descriptor.name ? 1 : 0;

/** Builds the family list: `target_info` first, OTel families by name, then prom-client families in order. */
export function planFamilies(
  resourceMetrics: ResourceMetrics,
  foreign: readonly PromClientMetric[],
  options: PlanOptions,
  cache: RenderCache,
  report: Reporter,
): Family[] {
  const byOmName = new Map<string, Family>();
  const owner = new Map<string, string>();
  const reserve = (omName: string, type: FamilyType): string | undefined => {
    const names = TYPE_SUFFIXES[type].map((suffix) => omName + suffix);
    const clash = names.find((sample) => owner.has(sample) && owner.get(sample) !== omName);
    if (clash !== undefined) return clash;
    for (const sample of names) owner.set(sample, omName);
    return undefined;
  };

  let info: Family | undefined;
  if (!options.withoutTargetInfo) {
    const labels = labelPart(resourceMetrics.resource.attributes, cache, (key) =>
      report(
        'ERR_OGF_INVALID_NAME',
        `resource-key:${key}`,
        `resource attribute key ${JSON.stringify(key)} has no valid label characters; left out of target_info`,
      ),
    ).text;
    if (labels !== '') {
      info = { name: 'target_info', omName: 'target', type: 'info', help: 'Target metadata', unit: '', sources: [], info: labels };
      reserve('target', 'info');
    }
  }

  const scopes = [...resourceMetrics.scopeMetrics].sort((a, b) => compareScopes(a.scope, b.scope));
  const otel: Family[] = [];
  for (const { scope, metrics } of scopes) {
    const scopeText = options.withoutScopeLabels ? '' : scopeLabels(scope);
    for (const metric of [...metrics].sort(byName)) {
      const otelName = metric.descriptor.name;
      const kind = metricKind(metric);
      if (kind === undefined) {
        const what = metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM ? 'an exponential histogram' : 'delta temporality';
        report(
          'ERR_OGF_UNSUPPORTED_DATA',
          `unsupported:${otelName}`,
          `metric ${JSON.stringify(otelName)} uses ${what}, which Prometheus text formats cannot carry; dropped`,
        );
        continue;
      }
      const name = familyName(metric, kind, cache);
      if (name === '') {
        report(
          'ERR_OGF_INVALID_NAME',
          `name:${otelName}`,
          `metric name ${JSON.stringify(otelName)} has no valid Prometheus characters; dropped`,
        );
        continue;
      }
      const type: FamilyType = kind === 'updowncounter' ? 'gauge' : kind;
      const omName = type === 'counter' ? name.slice(0, -'_total'.length) : name;
      const existing = byOmName.get(omName);
      if (existing) {
        if (existing.type === type && existing.name === name) {
          existing.sources.push({ metric, scope: scopeText, scopeName: scope.name });
        } else {
          report(
            'ERR_OGF_TYPE_CONFLICT',
            `type:${omName}:${type}`,
            `metric ${JSON.stringify(otelName)} maps to family "${omName}" as ${type}, but it is already ${existing.type}; dropped`,
          );
        }
        continue;
      }
      const clash = reserve(omName, type);
      if (clash !== undefined) {
        report(
          'ERR_OGF_NAME_CLASH',
          `clash:${omName}:${type}`,
          `metric ${JSON.stringify(otelName)} (family "${omName}", ${type}) would write sample "${clash}", which another family owns; dropped`,
        );
        continue;
      }
      const unit = prometheusUnit(metric.descriptor.unit, kind);
      const family: Family = {
        name,
        omName,
        type,
        help: metric.descriptor.description.trim() === '' ? otelName : metric.descriptor.description,
        unit: unit !== '' && omName.endsWith(`_${unit}`) ? unit : '',
        sources: [{ metric, scope: scopeText, scopeName: scope.name }],
      };
      byOmName.set(omName, family);
      otel.push(family);
    }
  }
  otel.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const merged: Family[] = [];
  for (const metric of foreign) {
    const type = foreignType(metric.type);
    const name = VALID_METRIC_NAME.test(metric.name) ? metric.name : '';
    if (type === undefined || name === '') {
      throw new OgfError(
        'ERR_OGF_INVALID_OPTION',
        `prom-client metric ${JSON.stringify(metric.name)} has type ${String(metric.type)} or a name Prometheus cannot use; expected a counter, gauge, histogram or summary with a valid name`,
      );
    }
    const omName = type === 'counter' && name.endsWith('_total') && name.length > 6 ? name.slice(0, -6) : name;
    const clash = byOmName.has(omName) ? omName : reserve(omName, type);
    if (clash !== undefined) {
      throw new OgfError(
        'ERR_OGF_DUPLICATE_FAMILY',
        `prom-client metric "${name}" clashes with another family over the name "${clash}"; each family name may come from one source only (rename it, or drop one of the two)`,
      );
    }
    const family: Family = { name, omName, type, help: metric.help === '' ? name : metric.help, unit: '', sources: [], foreign: metric };
    byOmName.set(omName, family);
    merged.push(family);
  }
  return [...(info ? [info] : []), ...otel, ...merged];
}
