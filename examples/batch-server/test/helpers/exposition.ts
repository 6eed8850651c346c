// Reads sample values out of a Prometheus text exposition.

/** Sum of every sample of `name` (all label sets), or undefined when there is none. */
export function sampleSum(exposition: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

/** Metric family names that have at least one sample. */
export function familiesWithSamples(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (name) names.add(name.replace(/_(bucket|sum|count)$/, ''));
  }
  return names;
}
