import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadManifests, manifestNamed } from '../src/kubernetes.ts';
import { prometheusDir } from '../src/paths.ts';
import { promtool } from '../src/promtool.ts';

// The KEDA ScaledObject scales the worker Deployment on a series of the capacity rules: it must
// point at that Deployment, query a series the rules actually record (under the job the
// ServiceMonitor gives every pod), and turn "workers needed" into pods with the pod's own WORKERS.

interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
  pollingInterval?: number;
  minReplicaCount: number;
  maxReplicaCount: number;
  fallback?: { failureThreshold: number; replicas: number };
  advanced?: {
    horizontalPodAutoscalerConfig?: {
      behavior?: { scaleDown?: { stabilizationWindowSeconds?: number }; scaleUp?: { stabilizationWindowSeconds?: number } };
    };
  };
  triggers: { type: string; metadata: Record<string, string> }[];
}
interface DeploymentSpec {
  replicas?: number;
  template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } };
}
interface RuleFile {
  groups: { rules: { record?: string; expr: string }[] }[];
}

const manifests = loadManifests();
const scaledObject = manifestNamed<ScaledObjectSpec>(manifests, 'ScaledObject', 'batch-server-worker');
const worker = manifestNamed<DeploymentSpec>(manifests, 'Deployment', 'batch-server-worker');
const [trigger] = scaledObject.spec.triggers;
const query = trigger?.metadata.query ?? '';
const records = (file: string): Map<string, string> =>
  new Map(
    (parse(readFileSync(join(prometheusDir, 'rules', file), 'utf8')) as RuleFile).groups
      .flatMap((g) => g.rules)
      .filter((r) => r.record)
      .map((r) => [r.record!, r.expr]),
  );
const capacity = records('capacity.yml');
const alertJob = /up\{job="([^"]+)"\}/.exec(readFileSync(join(prometheusDir, 'rules/alerts.yml'), 'utf8'))?.[1];

describe('the worker autoscaler (KEDA ScaledObject)', () => {
  it('scales the worker Deployment', () => {
    expect(scaledObject.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name });
  });

  it('has one Prometheus trigger whose query reads a series recorded by capacity.yml, for the job every pod is scraped under', () => {
    expect(scaledObject.spec.triggers.map((t) => t.type)).toEqual(['prometheus']);
    const series = query.match(/[a-z_]+:[a-z_0-9]+:[a-z_0-9]+/g) ?? [];
    expect(series).toEqual(['job:workers_needed:forecast15m']);
    expect(capacity.has(series[0]!), `${series[0]} is recorded in capacity.yml`).toBe(true);
    expect(query).toContain(`{job="${alertJob}"}`);
  });

  it('returns one value (KEDA needs a single sample): the query sums over the job', () => {
    expect(query).toMatch(/^sum\(/);
  });

  it('the query is valid PromQL (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogf-keda-'));
    try {
      writeFileSync(join(dir, 'q.yml'), stringify({ groups: [{ name: 'keda', rules: [{ record: 'keda:query:check', expr: query }] }] }));
      const run = promtool(['check', 'rules', join(dir, 'q.yml')]);
      expect(run.exitCode, run.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the series it scales on is Little's law with the backlog forecast, at the documented 0.7 target utilisation", () => {
    const expr = capacity.get('job:workers_needed:forecast15m')!;
    expect(expr).toContain('job:batch_arrival:rate5m');
    expect(expr).toContain('job:batch_queue_waiting:predict_linear15m');
    expect(expr).toContain('job:batch_processing_duration_seconds:mean_rate5m / 0.7');
  });

  it('divides the workers needed by the worker slots of one pod (WORKERS of the worker Deployment)', () => {
    const env = worker.spec.template.spec.containers[0]!.env ?? [];
    expect(trigger!.metadata.threshold).toBe(env.find((e) => e.name === 'WORKERS')?.value);
    expect(trigger!.metadata.metricType ?? 'AverageValue').toBe('AverageValue');
  });

  it('keeps at least two workers, a bounded maximum, and a fallback inside the bounds when Prometheus is unreachable', () => {
    const { minReplicaCount, maxReplicaCount, fallback } = scaledObject.spec;
    expect(minReplicaCount).toBeGreaterThanOrEqual(2);
    expect(maxReplicaCount).toBeGreaterThan(minReplicaCount);
    expect(fallback!.replicas).toBeGreaterThanOrEqual(minReplicaCount);
    expect(fallback!.replicas).toBeLessThanOrEqual(maxReplicaCount);
    // No-traffic means an empty result: read as 0 (minReplicaCount), not as a scaler error.
    expect(trigger!.metadata.ignoreNullValues).toBe('true');
  });

  it('scales down only after a stabilisation window longer than the rate and forecast windows it reads', () => {
    const behavior = scaledObject.spec.advanced!.horizontalPodAutoscalerConfig!.behavior!;
    const longestWindowSeconds = Math.max(
      ...[...capacity.values()].flatMap((expr) => [...expr.matchAll(/\[(\d+)m\]/g)].map((m) => Number(m[1]) * 60)),
    );
    expect(longestWindowSeconds).toBe(600);
    expect(behavior.scaleDown!.stabilizationWindowSeconds).toBeGreaterThanOrEqual(longestWindowSeconds);
    expect(behavior.scaleUp!.stabilizationWindowSeconds).toBe(0);
  });
});
