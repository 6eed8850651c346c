// Small HTTP helpers for the example's API.
export interface Activity {
  id: string;
  type: string;
  quantity: number;
  unit: string;
  region?: string;
}

export async function submitBatch(baseUrl: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${baseUrl}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export async function getJson(url: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url);
  return { status: response.status, json: await response.json() };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Waits until the batch is in a terminal state and returns its detail view. */
export function waitForBatch(baseUrl: string, batchId: string, timeoutMs?: number): Promise<any> {
  return waitFor(
    async () => {
      const { json } = await getJson(`${baseUrl}/api/v1/batches/${batchId}`);
      return TERMINAL.has(json.status) ? json : undefined;
    },
    `batch ${batchId} to finish`,
    timeoutMs,
  );
}
