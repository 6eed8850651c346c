// The resource: OTEL_RESOURCE_ATTRIBUTES, then config attributes, then service name, version and
// environment, each from config, its own variable, or the attribute list, in that order.
import type { ConfigOptions, ResourceAttributeValue } from './config-types.js';
import { parseKeyValueList, readVar, type EnvSource } from './env.js';
import { fail, optionalString } from './validate.js';

/** The resolved resource and the three fields /status and the logs show. */
export interface ResolvedResource {
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  attributes: Record<string, ResourceAttributeValue>;
}

/** Resolves the resource attributes. */
export function resolveResource(config: ConfigOptions, env: EnvSource): ResolvedResource {
  const envAttributes = readVar(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const attributes: Record<string, ResourceAttributeValue> = {
    ...(envAttributes === undefined ? {} : parseKeyValueList(envAttributes, 'OTEL_RESOURCE_ATTRIBUTES')),
  };
  if (config.resourceAttributes !== undefined) {
    if (typeof config.resourceAttributes !== 'object' || config.resourceAttributes === null) {
      fail('resourceAttributes', 'an object of strings, numbers or booleans', config.resourceAttributes);
    }
    for (const [key, value] of Object.entries(config.resourceAttributes)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        fail(`resourceAttributes.${key}`, 'a string, number or boolean', value);
      }
      attributes[key] = value;
    }
  }
  const pick = (field: keyof ConfigOptions, variable: string, attribute: string): string | undefined => {
    const value = optionalString(config[field], field) ?? readVar(env, variable);
    const fallback = attributes[attribute];
    return value ?? (fallback === undefined ? undefined : String(fallback));
  };
  const serviceName = pick('serviceName', 'OTEL_SERVICE_NAME', 'service.name') ?? 'unknown_service';
  const serviceVersion = pick('serviceVersion', 'OTEL_SERVICE_VERSION', 'service.version');
  const environment = pick('environment', 'ENVIRONMENT', 'deployment.environment.name');
  attributes['service.name'] = serviceName;
  if (serviceVersion !== undefined) attributes['service.version'] = serviceVersion;
  if (environment !== undefined) attributes['deployment.environment.name'] = environment;
  return { serviceName, serviceVersion, environment, attributes };
}

/**
 * Resolves the configuration once: explicit fields, then environment variables, then defaults.
 * Throws an `OgfError` (code `ERR_OGF_INVALID_OPTION`) naming the first invalid setting.
 *
 * @example
 * ```ts
 * const resolved = resolveConfig({ serviceName: 'offgridflow', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' } });
 * resolved.tracing.otlp?.url; // 'http://localhost:4318/v1/traces'
 * ```
 */
