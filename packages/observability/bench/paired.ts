// Paired CPU-time comparison for the lifecycle benchmark (bench/run.ts).

export type Run = (n: number) => Promise<void>;

/** Paired short runs, alternating which goes first; medians of CPU µs per batch and of the paired ratios. */
export async function compare(a: Run, b: Run, batchesPerRound: number, rounds = 201): Promise<{ a: number; b: number; ratio: number }> {
  const timesA: number[] = [];
  const timesB: number[] = [];
  const ratios: number[] = [];
  const measure = async (run: Run): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < batchesPerRound; i++) await run(i);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / batchesPerRound;
  };
  for (let i = 0; i < batchesPerRound * 20; i++) {
    await a(i);
    await b(i);
  }
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0;
    const ta = first ? await measure(a) : 0;
    const tb = await measure(b);
    const ta2 = first ? ta : await measure(a);
    timesA.push(ta2);
    timesB.push(tb);
    ratios.push(ta2 / tb);
  }
  const median = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return { a: median(timesA), b: median(timesB), ratio: median(ratios) };
}
