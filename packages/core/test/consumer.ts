// Type-checked by CI against the packed package: the public API as a user meets it.
import {
  OgfError,
  TEXT_CONTENT_TYPE,
  contentTypeOf,
  errorReporter,
  isOgfError,
  negotiateFormat,
  redactFailure,
  scrubMessage,
  type BatchSummary,
  type ExpositionFormat,
  type HealthReport,
  type HealthSource,
  type MetricsSnapshot,
  type MetricsSource,
  type OgfErrorCode,
} from '@ogf/core';

type MyCode = 'ERR_OGF_INVALID_OPTION' | 'ERR_OGF_QUEUE_FULL';
const code: OgfErrorCode = 'ERR_OGF_QUEUE_FULL';
const error = new OgfError<MyCode>('ERR_OGF_INVALID_OPTION', 'size must be positive, got -1');
const report = errorReporter<MyCode>(undefined, (e) => void e.code);
report(error);
const caught: unknown = error;
if (isOgfError(caught)) void caught.code.startsWith('ERR_OGF_');

const format: ExpositionFormat = negotiateFormat('application/openmetrics-text');
const contentType: string = contentTypeOf(format) === TEXT_CONTENT_TYPE ? 'text' : 'openmetrics';
const safe: string = redactFailure(new Error('connect ECONNREFUSED 10.0.0.5:5432')) + scrubMessage('token=abc');

const health: HealthReport = {
  status: 'healthy',
  timestamp: new Date().toISOString(),
  system_uptime_seconds: 1,
  checks: {},
  overall_status: 'healthy',
};
const healthSource: HealthSource = { live: () => health, ready: () => Promise.resolve(health), report: () => health };
const snapshot: MetricsSnapshot = { timestamp: '', resource: {}, metrics: [] };
declare const summary: BatchSummary;
const metricsSource: MetricsSource = {
  render: ({ format: f }) => ({ contentType: contentTypeOf(f), body: '' }),
  summary: () => summary,
};

export { code, contentType, healthSource, metricsSource, safe, snapshot };
