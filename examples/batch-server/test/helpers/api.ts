// Small HTTP helpers for the example's API.
export interface Activity {
  id: string;
  type: string;
  quantity: number;
  unit: string;
  region?: string;
}

export interface BatchView {
  batch_id: string;
  org_id: string;
  workspace_id: string | null;
  status: string;
  counts: { activities: number; processed: number; succeeded: number; failed: number };
  total_emissions_kg: number;
  error: string | null;
  cancel_requested: boolean;
  timestamps: Record<string, string | null>;
  errors: { activity_id: string; code: string; message: string }[];
  transitions: { from: string | null; to: string; at: string; reason: string | null; worker_id: string | null }[];
}

/** Any answer of the API, typed loosely for assertions: a batch, a list or an error. */
export type ApiJson = BatchView & {
  batches: BatchView[];
  total: number;
  limit: number;
  offset: number;
  error: { code: string; message: string; fields: { path: string; message: string }[] };
};

export async function submitBatch(baseUrl: string, body: unknown): Promise<{ status: number; json: ApiJson; headers: Headers }> {
  const response = await fetch(`${baseUrl}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as ApiJson, headers: response.headers };
}

export async function getJson<T = ApiJson>(url: string): Promise<{ status: number; json: T }> {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as T };
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
export function waitForBatch(baseUrl: string, batchId: string, timeoutMs?: number): Promise<ApiJson> {
  return waitFor(
    async () => {
      const { json } = await getJson(`${baseUrl}/api/v1/batches/${batchId}`);
      return TERMINAL.has(json.status) ? json : undefined;
    },
    `batch ${batchId} to finish`,
    timeoutMs,
  );
}
