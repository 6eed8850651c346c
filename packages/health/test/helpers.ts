// Helpers for this package's tests only (not exported from the package).
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { attempts = 100, intervalMs = 100 } = {},
): Promise<T> {
  let last: T | undefined;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met after ${attempts} attempts; last value: ${JSON.stringify(last)}`);
}
