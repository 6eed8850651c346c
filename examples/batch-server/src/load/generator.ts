// A load generator for the demo: a few organisations submitting batches of 1 to 200 activities
// over real HTTP, with some invalid activities, an occasional all-invalid batch, cancellations,
// and one busy organisation whose batches contend for its lock.

export interface LoadGenerator {
  stop(): Promise<void>;
  readonly submitted: number;
  readonly refused: number;
}

const ORGS = ['acme', 'acme', 'acme', 'globex', 'initech', 'umbrella'];
const REGIONS = ['US', 'GB'];
// Typical sizes per unit: a month of a site's electricity, a fuel delivery, a trip.
const VALID: { type: string; units: [unit: string, upTo: number][]; regions?: (string | undefined)[] }[] = [
  {
    type: 'electricity',
    units: [
      ['kWh', 20_000],
      ['MWh', 20],
    ],
    regions: REGIONS,
  },
  {
    type: 'natural_gas',
    units: [
      ['kWh', 15_000],
      ['therm', 500],
      ['m3', 1_500],
    ],
    regions: ['US', 'GB', undefined],
  },
  {
    type: 'diesel',
    units: [
      ['L', 400],
      ['gal', 100],
    ],
  },
  {
    type: 'petrol',
    units: [
      ['L', 300],
      ['gal', 80],
    ],
  },
  {
    type: 'air_travel_short_haul',
    units: [
      ['km', 3_000],
      ['miles', 1_800],
    ],
  },
  { type: 'air_travel_long_haul', units: [['passenger-km', 12_000]] },
];
const INVALID = [
  { type: 'unobtainium', unit: 'kg' },
  { type: 'diesel', unit: 'kWh' },
  { type: 'electricity', unit: 'kWh', region: 'ZZ' },
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function activity(index: number, invalidRate: number): Record<string, unknown> {
  if (Math.random() < invalidRate) return { id: `act-${index}`, quantity: 1, ...pick(INVALID) };
  const kind = pick(VALID);
  const region = kind.regions ? pick(kind.regions) : undefined;
  const [unit, upTo] = pick(kind.units);
  return {
    id: `act-${index}`,
    type: kind.type,
    quantity: Math.round(Math.random() * upTo * 100) / 100,
    unit,
    ...(region ? { region } : {}),
  };
}

/** Starts submitting to `baseUrl` about every `intervalMs` until `stop()`. */
export function startLoadGenerator(options: {
  baseUrl: string;
  intervalMs?: number;
  /** Share of invalid activities in a batch. Default 0.03. */
  invalidRate?: number;
  /** Share of batches made only of invalid activities (they end `failed`). Default 0.04. */
  allInvalidRate?: number;
  /** Share of batches cancelled right after submission. Default 0.05. */
  cancelRate?: number;
  onError?: (error: unknown) => void;
}): LoadGenerator {
  const interval = options.intervalMs ?? 600;
  const invalidRate = options.invalidRate ?? 0.03;
  const allInvalidRate = options.allInvalidRate ?? 0.04;
  const cancelRate = options.cancelRate ?? 0.05;
  let running = true;
  let submitted = 0;
  let refused = 0;

  async function submitOne(): Promise<void> {
    const allInvalid = Math.random() < allInvalidRate;
    const size = 1 + Math.floor(Math.random() ** 2 * 200);
    const activities = Array.from({ length: size }, (_, i) =>
      allInvalid ? { id: `act-${i}`, quantity: 1, ...pick(INVALID) } : activity(i, invalidRate),
    );
    const response = await fetch(`${options.baseUrl}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ org_id: pick(ORGS), workspace_id: pick(['hq', 'plant-1', 'fleet']), activities }),
    });
    const body = (await response.json()) as { batch_id?: string };
    if (response.status === 429) {
      refused += 1;
      await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
      return;
    }
    submitted += 1;
    if (body.batch_id && Math.random() < cancelRate) {
      // Change of mind: cancel it shortly after (queued or already running).
      await sleep(Math.random() * 300);
      await fetch(`${options.baseUrl}/api/v1/batches/${body.batch_id}`, { method: 'DELETE' });
    }
  }

  const loop = (async () => {
    while (running) {
      try {
        await submitOne();
      } catch (error) {
        if (running) options.onError?.(error);
      }
      await sleep(interval * (0.5 + Math.random()));
    }
  })();

  return {
    get submitted() {
      return submitted;
    },
    get refused() {
      return refused;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
