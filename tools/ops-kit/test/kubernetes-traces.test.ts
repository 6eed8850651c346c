import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifests, manifestNamed, selects } from '../src/kubernetes.ts';

// Spans go from every app pod to the OpenTelemetry Collector, and from there to Jaeger: each hop
// names a Service and a port that exist, reach a container port, and that the next hop listens on.

interface Container {
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface DeploymentSpec {
  template: {
    metadata: { labels: Record<string, string> };
    spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[] };
  };
}
interface ServiceSpec {
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: string }[];
}
interface CollectorConfig {
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
  processors: Record<string, unknown>;
  exporters: Record<string, { endpoint: string; tls?: { insecure?: boolean } }>;
  extensions?: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

const manifests = loadManifests();
const deployment = (name: string): ReturnType<typeof manifestNamed<DeploymentSpec>> =>
  manifestNamed<DeploymentSpec>(manifests, 'Deployment', name);
const service = (name: string): ReturnType<typeof manifestNamed<ServiceSpec>> => manifestNamed<ServiceSpec>(manifests, 'Service', name);

/** The container port a Service port reaches, on the Deployment the Service selects. */
function containerPortBehind(serviceName: string, port: number): number {
  const svc = service(serviceName);
  const servicePort = svc.spec.ports.find((p) => p.port === port);
  expect(servicePort, `${serviceName} exposes port ${port}`).toBeDefined();
  const target = manifests
    .filter((m) => m.kind === 'Deployment')
    .map((m) => m as ReturnType<typeof deployment>)
    .find((d) => selects({ matchLabels: svc.spec.selector }, d.spec.template.metadata.labels));
  const containerPort = target?.spec.template.spec.containers.flatMap((c) => c.ports).find((p) => p.name === servicePort!.targetPort);
  expect(containerPort, `${serviceName}:${port} reaches a named container port`).toBeDefined();
  return containerPort!.containerPort;
}

const collector = deployment('otel-collector');
const collectorContainer = collector.spec.template.spec.containers[0]!;
const configMap = manifestNamed(manifests, 'ConfigMap', 'otel-collector');
const config = parse(configMap.data!['config.yaml']!) as CollectorConfig;
const portOf = (endpoint: string): number => Number(endpoint.split(':').at(-1));

describe('traces: app pods → OpenTelemetry Collector → Jaeger', () => {
  it.each(['batch-server', 'batch-server-worker'])(
    '%s exports OTLP/HTTP to the collector Service, on the port its HTTP receiver listens on',
    (name) => {
      const env = deployment(name).spec.template.spec.containers[0]!.env ?? [];
      const endpoint = new URL(env.find((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')!.value!);
      expect(endpoint.hostname).toBe('otel-collector');
      expect(containerPortBehind('otel-collector', Number(endpoint.port))).toBe(portOf(config.receivers.otlp.protocols.http.endpoint));
    },
  );

  it('the collector reads the config from the ConfigMap it mounts', () => {
    const arg = collectorContainer.args!.find((a) => a.startsWith('--config='))!;
    const file = arg.slice('--config='.length);
    const mount = collectorContainer.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`))!;
    const volume = collector.spec.template.spec.volumes!.find((v) => v.name === mount.name)!;
    expect(volume.configMap?.name).toBe(configMap.metadata.name);
    expect(Object.keys(configMap.data!)).toContain(file.slice(mount.mountPath.length + 1));
  });

  it('the collector receivers listen on all interfaces, on its container ports', () => {
    const ports = collectorContainer.ports.map((p) => p.containerPort);
    for (const endpoint of [config.receivers.otlp.protocols.grpc.endpoint, config.receivers.otlp.protocols.http.endpoint]) {
      expect(endpoint.startsWith('0.0.0.0:')).toBe(true);
      expect(ports).toContain(portOf(endpoint));
    }
  });

  it('the traces pipeline uses only components the config defines', () => {
    const { traces } = config.service.pipelines;
    expect(traces).toBeDefined();
    for (const r of traces!.receivers) expect(Object.keys(config.receivers)).toContain(r);
    for (const p of traces!.processors) expect(Object.keys(config.processors)).toContain(p);
    for (const e of traces!.exporters) expect(Object.keys(config.exporters)).toContain(e);
    for (const x of config.service.extensions ?? []) expect(Object.keys(config.extensions ?? {})).toContain(x);
    expect(traces!.processors[0]).toBe('memory_limiter');
  });

  it("the collector exports OTLP/gRPC to the Jaeger Service, reaching Jaeger's OTLP gRPC port", () => {
    const exporters = config.service.pipelines.traces!.exporters.map((name) => config.exporters[name]!);
    expect(exporters).toHaveLength(1);
    const [host, port] = exporters[0]!.endpoint.split(':');
    expect(host).toBe('jaeger');
    const jaegerPorts = deployment('jaeger').spec.template.spec.containers[0]!.ports;
    expect(containerPortBehind('jaeger', Number(port))).toBe(jaegerPorts.find((p) => p.name === 'otlp-grpc')!.containerPort);
    expect(jaegerPorts.find((p) => p.name === 'otlp-grpc')!.containerPort).toBe(4317);
  });

  it('the collector probes its health_check extension port', () => {
    const health = collectorContainer.ports.find((p) => p.name === 'health')!;
    expect(portOf((config.extensions!.health_check as { endpoint: string }).endpoint)).toBe(health.containerPort);
  });
});
