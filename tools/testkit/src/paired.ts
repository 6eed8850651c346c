// Paired CPU-time comparison for in-process benchmarks (bench/run.ts of @ogf/tracing and
// @ogf/observability): short rounds of two variants, alternating which goes first, so load from
// other processes on a shared machine hits both alike.

/** One unit of work of a variant; `n` counts the calls within a round. */
export type PairedRun = (n: number) => Promise<void>;

/** Medians of CPU µs per call of each variant and of the paired ratios a ÷ b. */
export interface PairedResult {
  a: number;
  b: number;
  ratio: number;
}

const median = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/**
 * Warms both variants up, then times `rounds` pairs of `callsPerRound` calls each, by this
 * process's CPU time (time spent waiting for a core is not the code's cost).
 *
 * @example
 * const { ratio } = await comparePaired(async () => ours(), async () => baseline(), 50);
 */
export async function comparePaired(a: PairedRun, b: PairedRun, callsPerRound: number, rounds: number): Promise<PairedResult> {
  const timesA: number[] = [];
  const timesB: number[] = [];
  const ratios: number[] = [];
  const measure = async (run: PairedRun): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < callsPerRound; i++) await run(i);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / callsPerRound;
  };
  for (let i = 0; i < callsPerRound * 20; i++) {
    await a(i);
    await b(i);
  }
  for (let round = 0; round < rounds; round++) {
    let ta: number;
    let tb: number;
    if (round % 2 === 0) {
      ta = await measure(a);
      tb = await measure(b);
    } else {
      tb = await measure(b);
      ta = await measure(a);
    }
    timesA.push(ta);
    timesB.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(timesA), b: median(timesB), ratio: median(ratios) };
}
