// Reads deploy/kubernetes as `kubectl apply -k` would see it (the kustomization's resources, every
// YAML document of each) and checks each manifest against the Kubernetes, Prometheus Operator and
// KEDA schemas of the kubernetes-models packages. There is no cluster here; this is the offline
// validation: types, required fields and enums (unknown fields are not caught).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { deployDir } from './paths.ts';

export interface Manifest<Spec = unknown> {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Spec;
  data?: Record<string, string>;
}

export const kubernetesDir: string = join(deployDir, 'kubernetes');

/** The files the kustomization lists, in its order. */
export function kustomizationResources(): string[] {
  return (parse(readFileSync(join(kubernetesDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
}

/**
 * Every manifest of every resource file of the kustomization.
 *
 * @example
 * ```ts
 * const deployments = loadManifests().filter((m) => m.kind === 'Deployment');
 * ```
 */
export function loadManifests(): Manifest[] {
  return kustomizationResources().flatMap((file) =>
    parseAllDocuments(readFileSync(join(kubernetesDir, file), 'utf8')).map((doc) => doc.toJS() as Manifest),
  );
}

type Validator = (manifest: Manifest) => void;
const VALIDATORS: Record<string, Validator> = {
  'apps/v1 Deployment': (m) => new Deployment(m as never).validate(),
  'v1 Service': (m) => new Service(m as never).validate(),
  'v1 ConfigMap': (m) => new ConfigMap(m).validate(),
  'monitoring.coreos.com/v1 ServiceMonitor': (m) => new ServiceMonitor(m as never).validate(),
  'monitoring.coreos.com/v1 PrometheusRule': (m) => new PrometheusRule(m as never).validate(),
  'keda.sh/v1alpha1 ScaledObject': (m) => new ScaledObject(m as never).validate(),
};

/**
 * Schema errors of a manifest: empty when valid. A kind without a known schema is an error too, so
 * a new kind cannot slip through unchecked.
 *
 * @example
 * ```ts
 * expect(schemaErrors(manifest)).toEqual([]);
 * ```
 */
export function schemaErrors(manifest: Manifest): string[] {
  const validate = VALIDATORS[`${manifest.apiVersion} ${manifest.kind}`];
  if (!validate) return [`no schema known for ${manifest.apiVersion} ${manifest.kind}`];
  try {
    validate(manifest);
    return [];
  } catch (error) {
    return [String(error)];
  }
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/**
 * Whether a label set matches a Kubernetes label selector (matchLabels and matchExpressions, as
 * the API server evaluates them).
 *
 * @example
 * ```ts
 * selects({ matchLabels: { app: 'a' } }, { app: 'a', tier: 'x' }); // true
 * ```
 */
export function selects(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
  return byLabels && byExpressions;
}

/**
 * The one manifest of this kind and name; throws when there is none or more than one.
 *
 * @example
 * ```ts
 * const worker = manifestNamed(loadManifests(), 'Deployment', 'batch-server-worker');
 * ```
 */
export function manifestNamed<Spec>(manifests: readonly Manifest[], kind: string, name: string): Manifest<Spec> {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name} in deploy/kubernetes, found ${found.length}`);
  return found[0] as Manifest<Spec>;
}
