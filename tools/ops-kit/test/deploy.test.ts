import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STATUS_ROUTES, type RouteName } from '@ogf/status-http';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../examples/batch-server/src/config.ts';
import { lastArgs, parseDockerfile, stageEnv } from '../src/dockerfile.ts';
import { deployDir, repoRoot } from '../src/paths.ts';

// Docker and Kubernetes cannot run on this machine, so these tests read the files and check that
// everything they point at exists and agrees: ports, probe paths, mounted files, service names,
// and the app's environment, which goes through the example's own config loader.

const read = (file: string): string => readFileSync(join(deployDir, file), 'utf8');
const examplePackage = JSON.parse(readFileSync(join(repoRoot, 'examples/batch-server/package.json'), 'utf8')) as { name: string };
const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { packageManager: string };

/** The path of a status route by what it serves (the example mounts them at the root). */
function routePaths(name: RouteName): string[] {
  return STATUS_ROUTES.filter((r) => r.name === name).map((r) => r.path);
}

const alertJob = /up\{job="([^"]+)"\}/.exec(readFileSync(join(deployDir, 'prometheus/rules/alerts.yml'), 'utf8'))?.[1];

describe('deploy/Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const env = stageEnv(runtime);

  it('builds the example package with the pnpm version of the workspace', () => {
    const build = stages[0]!.instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join(' ');
    expect(build).toContain(`pnpm@${rootPackage.packageManager.split('@')[1]}`);
    expect(build).toContain(`--filter=${examplePackage.name}^...`);
    expect(build).toContain('--frozen-lockfile');
  });

  it('runs the server entry file from the example directory', () => {
    const workdir = lastArgs(runtime, 'WORKDIR')!;
    expect(workdir.startsWith('/repo/')).toBe(true);
    const exampleDir = join(repoRoot, workdir.slice('/repo/'.length));
    const cmd = JSON.parse(lastArgs(runtime, 'CMD')!) as string[];
    expect(cmd.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    expect(existsSync(join(exampleDir, cmd[3]!)), `${cmd[3]} in ${exampleDir}`).toBe(true);
  });

  it('listens on all interfaces on the port it exposes, with settings the server accepts', () => {
    const config = loadConfig(env);
    expect(config.host).toBe('0.0.0.0');
    expect(lastArgs(runtime, 'EXPOSE')).toBe(String(config.port));
    expect(config.dataDir).toBe('/data/pglite');
    expect(lastArgs(runtime, 'VOLUME')).toBe('["/data"]');
  });

  it('health-checks the liveness route', () => {
    const healthcheck = lastArgs(runtime, 'HEALTHCHECK')!;
    const path = /'(\/[^']+)'\)/.exec(healthcheck)?.[1];
    expect(routePaths('live')).toContain(path);
  });

  it('keeps node_modules and build output out of the build context', () => {
    const ignored = read('Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  stop_grace_period?: string;
  depends_on?: string[] | Record<string, { condition: string }>;
}

/** Service names a service depends on, from either compose syntax (a list, or a map with conditions). */
const dependenciesOf = (service: ComposeService): string[] =>
  Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  const { api, worker, jaeger, prometheus, grafana, postgres, redis } = compose.services;
  const batchServers = { api, worker };
  const containerPorts = (service: ComposeService | undefined): number[] => (service?.ports ?? []).map((p) => Number(p.split(':').at(-1)));
  /** Host path (resolved from deploy/) of a bind mount by its container path. */
  const hostPathOf = (service: ComposeService | undefined, containerPath: string): string | undefined => {
    for (const volume of service?.volumes ?? []) {
      const [host, container] = volume.split(':');
      if (!host!.startsWith('.')) continue;
      if (containerPath === container) return resolve(deployDir, host!);
      if (containerPath.startsWith(`${container}/`)) return resolve(deployDir, host!, containerPath.slice(container!.length + 1));
    }
    return undefined;
  };

  it('has the api, the workers, PostgreSQL, Redis, Jaeger, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'grafana', 'jaeger', 'postgres', 'prometheus', 'redis', 'worker']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/:[\w.-]+$/);
      expect(service.image, `${name} pins a version`).not.toMatch(/:latest$/);
    }
  });

  it.each(Object.entries(batchServers))(
    'builds the %s from deploy/Dockerfile with the repository root as context, as one image',
    (_name, service) => {
      const context = resolve(deployDir, service!.build!.context);
      expect(context).toBe(resolve(repoRoot));
      expect(existsSync(join(context, service!.build!.dockerfile))).toBe(true);
      expect(service!.image).toBe(api!.image);
    },
  );

  it('runs one api, publishing its port, and workers that publish none (so `--scale worker=N` cannot collide)', () => {
    const apiConfig = loadConfig(api!.environment);
    expect(apiConfig).toMatchObject({ host: '0.0.0.0', queue: 'bullmq', role: 'api', instanceId: 'api' });
    expect(containerPorts(api)).toEqual([apiConfig.port]);
    const workerConfig = loadConfig(worker!.environment);
    expect(workerConfig).toMatchObject({ host: '0.0.0.0', queue: 'bullmq', role: 'worker' });
    expect(worker!.ports).toBeUndefined();
    // No INSTANCE_ID: each replica is named after its container (hostname-pid).
    expect(worker!.environment!.INSTANCE_ID).toBeUndefined();
  });

  it.each(Object.entries(batchServers))('points the %s at the compose Redis and PostgreSQL, started healthy first', (_name, service) => {
    const config = loadConfig(service!.environment);
    expect(new URL(config.redisUrl!).hostname).toBe('redis');
    const database = new URL(config.databaseUrl!);
    expect(database.hostname).toBe('postgres');
    expect(database.username).toBe(postgres!.environment!.POSTGRES_USER);
    expect(database.password).toBe(postgres!.environment!.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgres!.environment!.POSTGRES_DB}`);
    expect(service!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(redis!.command).toContain('noeviction');
  });

  it.each(Object.entries(batchServers))('waits longer than the drain deadline before killing the %s', (_name, service) => {
    const config = loadConfig(service!.environment);
    expect(Number(/^(\d+)s$/.exec(service!.stop_grace_period!)?.[1]) * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
  });

  it.each(Object.entries(batchServers))(
    'exports the spans of the %s to Jaeger over OTLP HTTP on a port Jaeger listens on',
    (_name, service) => {
      const endpoint = new URL(service!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT!);
      expect(endpoint.hostname).toBe('jaeger');
      expect(containerPorts(jaeger)).toContain(Number(endpoint.port));
      expect(endpoint.port).toBe('4318');
    },
  );

  it('starts Prometheus with a mounted config that finds every api and worker container by DNS and loads the rules', () => {
    const flag = prometheus!.command!.find((c) => c.startsWith('--config.file='))!;
    const configFile = hostPathOf(prometheus, flag.slice('--config.file='.length));
    expect(configFile && existsSync(configFile), `${flag} is mounted from the repository`).toBe(true);
    const config = parse(readFileSync(configFile!, 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs: { names: string[]; type: string; port: number }[] }[];
    };
    const [scrape] = config.scrape_configs;
    // One job for both services: the rules sum counters by job and take the max of queue gauges.
    expect(config.scrape_configs).toHaveLength(1);
    const [discovery] = scrape!.dns_sd_configs;
    expect([...discovery!.names].sort()).toEqual(['api', 'worker']);
    expect(discovery).toMatchObject({ type: 'A', port: loadConfig(worker!.environment).port });
    expect(loadConfig(api!.environment).port).toBe(discovery!.port);
    expect(routePaths('metrics')).toContain(scrape!.metrics_path);
    expect(scrape!.job_name).toBe(alertJob);
    for (const rules of config.rule_files) expect(existsSync(resolve(configFile!, '..', rules)), rules).toBe(true);
  });

  it('provisions Grafana with the Prometheus service as data source and the generated dashboard', () => {
    const provisioning = hostPathOf(grafana, '/etc/grafana/provisioning')!;
    const datasources = parse(readFileSync(join(provisioning, 'datasources/prometheus.yml'), 'utf8')) as {
      datasources: {
        type: string;
        url: string;
        uid: string;
        jsonData?: { exemplarTraceIdDestinations?: { name: string; datasourceUid: string }[] };
      }[];
    };
    const [source] = datasources.datasources;
    expect(source!.type).toBe('prometheus');
    const url = new URL(source!.url);
    expect(url.hostname).toBe('prometheus');
    expect(containerPorts(prometheus)).toContain(Number(url.port));

    // Exemplars: Prometheus stores them, and the data source links their trace_id to Jaeger's UI.
    expect(prometheus!.command).toContain('--enable-feature=exemplar-storage');
    const jaegerSource = datasources.datasources.find((d) => d.type === 'jaeger')!;
    expect(new URL(jaegerSource.url).hostname).toBe('jaeger');
    expect(containerPorts(jaeger)).toContain(Number(new URL(jaegerSource.url).port));
    expect(source!.jsonData?.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: jaegerSource.uid }]);

    const providers = parse(readFileSync(join(provisioning, 'dashboards/ogf.yml'), 'utf8')) as {
      providers: { type: string; options: { path: string } }[];
    };
    const dashboardsDir = hostPathOf(grafana, providers.providers[0]!.options.path)!;
    expect(existsSync(join(dashboardsDir, 'batch-overview.json'))).toBe(true);
    const home = hostPathOf(grafana, grafana!.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!);
    expect(home && existsSync(home)).toBe(true);
  });

  it('mounts only files that exist and declares its named volumes', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const [host] = volume.split(':');
        if (host!.startsWith('.')) expect(existsSync(resolve(deployDir, host!)), `${name}: ${volume}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: ${volume}`).toContain(host);
      }
      for (const dependency of dependenciesOf(service)) expect(Object.keys(compose.services)).toContain(dependency);
    }
  });
});

// deploy/kubernetes is checked in kubernetes.test.ts.
