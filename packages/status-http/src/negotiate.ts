import type { MetricsFormat } from './contracts.js';

/** The exact content type of Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** The exact content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

function parseQuality(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return 0;
  return Number(value);
}

/**
 * Picks the exposition format for an `Accept` header: OpenMetrics 1.0.0 when the client asks for
 * `application/openmetrics-text` (no version, or version 1.0.0) at least as strongly as for the
 * text format; text 0.0.4 otherwise, including for a missing or unparseable header.
 *
 * @example
 * negotiateMetricsFormat('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3'); // 'openmetrics'
 * negotiateMetricsFormat('*\/*'); // 'text'
 */
export function negotiateMetricsFormat(accept: string | null | undefined): MetricsFormat {
  if (!accept || accept.length > 4096) return 'text';
  let openMetricsQuality = 0;
  let textQuality = 0;
  for (const range of accept.split(',')) {
    const [mediaType = '', ...parameters] = range.split(';').map((part) => part.trim());
    let version: string | undefined;
    let quality: string | undefined;
    for (const parameter of parameters) {
      const equals = parameter.indexOf('=');
      if (equals === -1) continue;
      const key = parameter.slice(0, equals).trim().toLowerCase();
      const value = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'version') version = value;
      else if (key === 'q') quality = value;
    }
    const q = parseQuality(quality);
    const type = mediaType.toLowerCase();
    if (type === 'application/openmetrics-text') {
      if (version === undefined || version === '1.0.0') openMetricsQuality = Math.max(openMetricsQuality, q);
    } else if (type === 'text/plain' || type === 'text/*' || type === '*/*') {
      if (version === undefined || version === '0.0.4') textQuality = Math.max(textQuality, q);
    }
  }
  return openMetricsQuality > 0 && openMetricsQuality >= textQuality ? 'openmetrics' : 'text';
}
