import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATUS_ROUTES, type RouteName } from '@ogf/status-http';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../examples/batch-server/src/config.ts';
import { kustomizationResources, loadManifests, schemaErrors, selects, type LabelSelector, type Manifest } from '../src/kubernetes.ts';
import { deployDir, prometheusDir, prometheusRuleFile } from '../src/paths.ts';
import { renderPrometheusRule } from '../src/prometheus-rule.ts';
import { promtool, promtoolFindings } from '../src/promtool.ts';

// deploy/kubernetes cannot be applied here (no cluster): every manifest is validated against its
// schema, and everything one manifest points at is checked to exist in another and agree.

interface Probe {
  httpGet: { path: string; port: string | number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env?: EnvVar[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: { terminationGracePeriodSeconds?: number; containers: Container[] } };
}
interface ServiceSpec {
  clusterIP?: string;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: string }[];
}
interface ServiceMonitorSpec {
  jobLabel?: string;
  selector: LabelSelector;
  endpoints: { port: string; path: string }[];
}
interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
  minReplicaCount: number;
  maxReplicaCount: number;
  fallback?: { failureThreshold: number; replicas: number };
  advanced?: { horizontalPodAutoscalerConfig?: { behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } } } };
  triggers: { type: string; metadata: Record<string, string> }[];
}

const SECRET = 'batch-server-backends';
const manifests = loadManifests();
const named = <Spec>(kind: string, name: string): Manifest<Spec> => {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0] as Manifest<Spec>;
};
const ofKind = <Spec>(kind: string): Manifest<Spec>[] => manifests.filter((m) => m.kind === kind) as Manifest<Spec>[];
const routePaths = (name: RouteName): string[] => STATUS_ROUTES.filter((r) => r.name === name).map((r) => r.path);
const alertJob = /up\{job="([^"]+)"\}/.exec(readFileSync(join(prometheusDir, 'rules/alerts.yml'), 'utf8'))?.[1];
const composeApp = (parse(readFileSync(join(deployDir, 'docker-compose.yml'), 'utf8')) as { services: { api: { image: string } } }).services
  .api;

const api = named<DeploymentSpec>('Deployment', 'batch-server');
const worker = named<DeploymentSpec>('Deployment', 'batch-server-worker');
const apiService = named<ServiceSpec>('Service', 'batch-server');
const workerService = named<ServiceSpec>('Service', 'batch-server-worker');
const serviceMonitor = named<ServiceMonitorSpec>('ServiceMonitor', 'batch-server');
const scaledObject = named<ScaledObjectSpec>('ScaledObject', 'batch-server-worker');

const containerOf = (d: Manifest<DeploymentSpec>): Container => d.spec.template.spec.containers[0]!;
const plainEnv = (c: Container): Record<string, string> =>
  Object.fromEntries((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
/** The environment the server sees, with Secret references standing in as placeholder URLs. */
function serverEnv(c: Container): Record<string, string> {
  const fromSecrets = (c.env ?? [])
    .filter((e) => e.valueFrom?.secretKeyRef)
    .map((e) => [e.name, e.name === 'REDIS_URL' ? 'redis://redis:6379' : 'postgres://u:p@postgres:5432/ogf']);
  return { ...plainEnv(c), ...Object.fromEntries(fromSecrets) };
}

describe('deploy/kubernetes manifests', () => {
  it('lists resources that exist and form the distributed deployment', () => {
    expect(kustomizationResources().length).toBeGreaterThan(0);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/otel-collector',
      'Deployment/batch-server',
      'Deployment/batch-server-worker',
      'Deployment/jaeger',
      'Deployment/otel-collector',
      'PrometheusRule/batch-server',
      'ScaledObject/batch-server-worker',
      'Service/batch-server',
      'Service/batch-server-worker',
      'Service/jaeger',
      'Service/otel-collector',
      'ServiceMonitor/batch-server',
    ]);
  });

  it.each(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))('%s is valid against its schema', (_name, manifest) => {
    expect(schemaErrors(manifest)).toEqual([]);
  });

  it('the schema check catches a wrong type, a missing field and an unknown kind', () => {
    const broken = structuredClone<Manifest<DeploymentSpec>>(worker);
    (broken.spec.template.spec.containers[0]!.ports[0] as { containerPort: unknown }).containerPort = 'http';
    expect(schemaErrors(broken).join()).toMatch(/containerPort must be integer/);
    const noTarget = structuredClone<Manifest<Partial<ScaledObjectSpec>>>(scaledObject);
    delete noTarget.spec.scaleTargetRef;
    expect(schemaErrors(noTarget).join()).toMatch(/scaleTargetRef/);
    expect(schemaErrors({ ...worker, kind: 'StatefulSet' })).toEqual(['no schema known for apps/v1 StatefulSet']);
  });

  it('pins every image to a version', () => {
    for (const d of ofKind<DeploymentSpec>('Deployment')) {
      for (const c of d.spec.template.spec.containers) expect(c.image, d.metadata.name).toMatch(/:(?!latest$)[\w.-]+$/);
    }
  });
});

describe.each([
  ['batch-server', api, 'api'],
  ['batch-server-worker', worker, 'worker'],
])('the %s Deployment', (_name, deployment, role) => {
  const container = containerOf(deployment);
  const config = loadConfig(serverEnv(container));
  const pod = deployment.spec.template.spec;

  it(`runs the image compose builds in distributed mode (ROLE=${role}, QUEUE=bullmq), on all interfaces on its named port`, () => {
    expect(container.image).toBe(composeApp.image);
    expect(plainEnv(container)).toMatchObject({ ROLE: role, QUEUE: 'bullmq' });
    expect(config.host).toBe('0.0.0.0');
    expect(container.ports).toEqual([{ name: 'http', containerPort: config.port }]);
  });

  it('takes REDIS_URL and DATABASE_URL from the batch-server-backends Secret, required', () => {
    const refs = Object.fromEntries(
      (container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom!.secretKeyRef]),
    );
    expect(refs).toEqual({ REDIS_URL: { name: SECRET, key: 'REDIS_URL' }, DATABASE_URL: { name: SECRET, key: 'DATABASE_URL' } });
  });

  it('names each process after its pod (INSTANCE_ID → service.instance.id)', () => {
    expect(container.env?.find((e) => e.name === 'INSTANCE_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  });

  it("probes liveness at /health/live and readiness at /health/ready as the seed does, on the app's port", () => {
    expect(container.livenessProbe?.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe?.httpGet.path).toBe('/health/ready');
    expect(routePaths('live')).toContain(container.livenessProbe?.httpGet.path);
    expect(routePaths('ready')).toContain(container.readinessProbe?.httpGet.path);
    expect(container.livenessProbe).toMatchObject({ initialDelaySeconds: 10, periodSeconds: 10 });
    expect(container.readinessProbe).toMatchObject({ initialDelaySeconds: 5, periodSeconds: 5 });
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(container.ports.map((p) => p.name)).toContain(probe?.httpGet.port);
    }
  });

  it('gives a startup probe a minute before liveness takes over, on a route that never depends on the database', () => {
    const startupProbe = container.startupProbe!;
    expect(routePaths('live')).toContain(startupProbe.httpGet.path);
    expect((startupProbe.periodSeconds ?? 10) * (startupProbe.failureThreshold ?? 3)).toBeGreaterThanOrEqual(60);
  });

  it('lets the pod drain: the grace period covers the preStop pause and the shutdown deadline', () => {
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const pause = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(pause * 1000 + config.shutdownTimeoutMs);
  });

  it('selects its own pods', () => {
    expect(selects(deployment.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
  });
});

describe('the worker Deployment', () => {
  it('carries the pinned names and labels', () => {
    const labels = worker.spec.template.metadata.labels;
    expect(labels).toMatchObject({ 'app.kubernetes.io/name': 'batch-server-worker', 'app.kubernetes.io/component': 'worker' });
    expect(containerOf(worker).ports.map((p) => p.name)).toEqual(['http']);
  });

  it('leaves the replica count to the autoscaler (a `replicas` here would reset it on every apply)', () => {
    expect(worker.spec.replicas).toBeUndefined();
  });

  it("neither Deployment's selector takes the other's pods (a rollout of one never adopts the other)", () => {
    expect(selects(api.spec.selector, worker.spec.template.metadata.labels)).toBe(false);
    expect(selects(worker.spec.selector, api.spec.template.metadata.labels)).toBe(false);
  });
});

describe('Services and scraping', () => {
  it.each(ofKind<ServiceSpec>('Service').map((s) => [s.metadata.name, s] as const))(
    'the %s Service selects the pods of exactly one Deployment, on ports they name',
    (_name, service) => {
      const targets = ofKind<DeploymentSpec>('Deployment').filter((d) =>
        selects({ matchLabels: service.spec.selector }, d.spec.template.metadata.labels),
      );
      expect(targets).toHaveLength(1);
      const portNames = targets[0]!.spec.template.spec.containers.flatMap((c) => c.ports.map((p) => p.name));
      for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
    },
  );

  it('routes API traffic only to API pods, and lists every worker pod through a headless Service', () => {
    expect(selects({ matchLabels: apiService.spec.selector }, worker.spec.template.metadata.labels)).toBe(false);
    expect(selects({ matchLabels: workerService.spec.selector }, worker.spec.template.metadata.labels)).toBe(true);
    expect(workerService.spec.clusterIP).toBe('None');
  });

  it('scrapes /metrics of the API and every worker through the ServiceMonitor, all under the job the alerts watch', () => {
    const scraped = ofKind<ServiceSpec>('Service').filter((s) => selects(serviceMonitor.spec.selector, s.metadata.labels));
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['batch-server', 'batch-server-worker']);
    const [endpoint] = serviceMonitor.spec.endpoints;
    expect(routePaths('metrics')).toContain(endpoint!.path);
    for (const service of scraped) {
      expect(service.spec.ports.map((p) => p.name)).toContain(endpoint!.port);
      // The job label comes from this Service label: one job for the whole service.
      expect(service.metadata.labels?.[serviceMonitor.spec.jobLabel!], service.metadata.name).toBe(alertJob);
    }
    expect(apiService.metadata.name).toBe(alertJob);
  });

  it('ships the tested rule files unchanged as a PrometheusRule (run `generate` after editing them)', () => {
    expect(readFileSync(prometheusRuleFile, 'utf8')).toBe(renderPrometheusRule());
    const rule = named<{ groups: unknown[] }>('PrometheusRule', 'batch-server');
    const dir = mkdtempSync(join(tmpdir(), 'ogf-prometheusrule-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), stringify({ groups: rule.spec.groups }));
      const run = promtool(['check', 'rules', join(dir, 'rules.yml')]);
      expect({ exitCode: run.exitCode, findings: promtoolFindings(run.output) }, run.output).toEqual({ exitCode: 0, findings: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
