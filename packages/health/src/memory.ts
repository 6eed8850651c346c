/// <reference types="node" />
// Memory pressure (Node): the V8 heap against its limit, and optionally the resident set size
// against a budget (a container's memory limit, say).
import { getHeapStatistics } from 'node:v8';
import { OgfError } from './errors.js';
import { optionalNumber, optionalThreshold } from './options.js';
import type { CheckResult, HealthCheck, HealthStatus } from './types.js';

export interface MemoryCheckOptions {
  /** Degraded when heap used / heap limit exceeds this. Default 0.85. */
  degradedHeapRatio?: number;
  /** Unhealthy when heap used / heap limit exceeds this. Default 0.95. */
  unhealthyHeapRatio?: number;
  /** Degraded when the RSS exceeds this many bytes. Default: not checked. */
  degradedRssBytes?: number;
  /** Unhealthy when the RSS exceeds this many bytes. Default: not checked. */
  unhealthyRssBytes?: number;
}

/**
 * Checks heap usage against V8's limit and RSS against an optional budget.
 *
 * @example
 * health.register('memory', memoryCheck({ unhealthyRssBytes: 512 * 1024 ** 2 }), { critical: false });
 */
export function memoryCheck(options: MemoryCheckOptions = {}): HealthCheck {
  const degradedHeap = optionalNumber(options.degradedHeapRatio, 'degradedHeapRatio', 0.85);
  const unhealthyHeap = optionalNumber(options.unhealthyHeapRatio, 'unhealthyHeapRatio', 0.95);
  if (unhealthyHeap < degradedHeap) throw new OgfError('ERR_OGF_INVALID_OPTION', 'unhealthyHeapRatio must be at least degradedHeapRatio');
  const degradedRss = optionalThreshold(options.degradedRssBytes, 'degradedRssBytes');
  const unhealthyRss = optionalThreshold(options.unhealthyRssBytes, 'unhealthyRssBytes');

  return (): CheckResult => {
    const heap = getHeapStatistics();
    const ratio = heap.heap_size_limit > 0 ? heap.used_heap_size / heap.heap_size_limit : 0;
    const rss = process.memoryUsage.rss();
    const details = {
      heap_used_bytes: heap.used_heap_size,
      heap_limit_bytes: heap.heap_size_limit,
      heap_used_ratio: Math.round(ratio * 1000) / 1000,
      rss_bytes: rss,
    };
    const reasons: string[] = [];
    let status: HealthStatus = 'healthy';
    const raise = (level: HealthStatus, reason: string): void => {
      reasons.push(reason);
      if (level === 'unhealthy' || status === 'healthy') status = level;
    };
    if (ratio > unhealthyHeap) raise('unhealthy', 'heap_near_limit');
    else if (ratio > degradedHeap) raise('degraded', 'heap_high');
    if (unhealthyRss !== undefined && rss > unhealthyRss) raise('unhealthy', 'rss_over_budget');
    else if (degradedRss !== undefined && rss > degradedRss) raise('degraded', 'rss_high');
    return { status, ...(reasons.length ? { message: reasons.join(', ') } : {}), details };
  };
}
