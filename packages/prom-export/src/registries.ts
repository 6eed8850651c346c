// prom-client registries, taken structurally so the main entry never imports prom-client.
import { OgfError } from './errors.js';
import type { PromClientRegistryLike } from './types.js';

/**
 * Checks registries at construction: each must look like a prom-client Registry, none may be
 * given twice, and (when they can list their metrics synchronously) no family name may repeat.
 */
export function checkRegistries(registries: readonly PromClientRegistryLike[]): void {
  const list: unknown = registries;
  if (!Array.isArray(list)) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'registries must be an array of prom-client registries');
  }
  const seen = new Set<PromClientRegistryLike>();
  const names = new Map<string, number>();
  registries.forEach((registry: PromClientRegistryLike | undefined, index) => {
    if (typeof registry?.getMetricsAsJSON !== 'function') {
      throw new OgfError('ERR_OGF_INVALID_OPTION', `registries[${index}] is not a prom-client registry (expected getMetricsAsJSON())`);
    }
    if (seen.has(registry)) {
      throw new OgfError('ERR_OGF_INVALID_OPTION', `registries[${index}] is given twice; each registry may be merged once`);
    }
    seen.add(registry);
    const listing = (registry as { getMetricsAsArray?: () => { name: string }[] }).getMetricsAsArray;
    if (typeof listing !== 'function') return;
    for (const { name } of listing.call(registry)) {
      const first = names.get(name);
      if (first !== undefined) {
        throw new OgfError(
          'ERR_OGF_DUPLICATE_FAMILY',
          `prom-client metric "${name}" is registered in registries[${first}] and registries[${index}]; each family name may come from one source only`,
        );
      }
      names.set(name, index);
    }
  });
}
