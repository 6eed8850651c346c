// The issue-17 scale run's report: one row per size, the table cells and the target verdicts.

/** One size's measurements (ms unless named otherwise). */
export interface Row {
  series: number;
  collect: number;
  pure: number;
  render: number;
  promClient: number;
  otel: number | undefined;
  gap: number;
  collectGap: number;
  /** Our part of render(): from the SDK's collect returning to the end, in the same calls. */
  own: number;
  /** Socket scrape (10k and 100k): curl total and first byte, the node:http client, `render()` in the same rounds. */
  socket: { curl: number; firstByte: number; node: number; render: number; floorCurl: number; floorNode: number } | undefined;
  bytes: number;
  peakExtra: number | undefined;
  /** Heap the SDK's collect() alone adds (1M only). */
  collectExtra?: number | undefined;
}

export const f = (ms: number | undefined): string => (ms === undefined ? '–' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
export const x = (a: number | undefined, b: number): string => (a === undefined ? '–' : `${(a / b).toFixed(1)}×`);

const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function verdicts(rows: Row[]): string[] {
  const base = rows[0] as Row;
  const last = rows.at(-1) as Row;
  const per = (r: Row): number => r.render / r.series;
  const own = (r: Row): number => r.own / r.series;
  const out = [
    `- \`render()\` time per series grows at most 1.3× from ${base.series.toLocaleString('en')} to ${last.series.toLocaleString('en')}: ${met(per(last) / per(base) <= 1.3)} (${(per(last) / per(base)).toFixed(2)}×; our own part, \`render()\` after the SDK's collect returned: ${(own(last) / own(base)).toFixed(2)}×).`,
  ];
  for (const r of rows.filter((row) => row.series >= 100_000)) {
    const n = r.series.toLocaleString('en');
    out.push(`- ${n}: ≥ 2× faster than prom-client: ${met(r.promClient / r.render >= 2)} (${x(r.promClient, r.render)}).`);
    out.push(
      r.otel === undefined
        ? `- ${n}: ≥ 5× faster than exporter-prometheus: not measured (set OGF_BENCH_OTEL_1M=1).`
        : `- ${n}: ≥ 5× faster than exporter-prometheus: ${met(r.otel / r.render >= 5)} (${x(r.otel, r.render)}).`,
    );
  }
  for (const r of rows.filter((row) => row.socket !== undefined && row.series === 10_000)) {
    const socket = r.socket as NonNullable<Row['socket']>;
    const curl = socket.curl / socket.render;
    const node = socket.node / socket.render;
    out.push(
      `- Socket scrape of 10,000 series ≤ 1.3× of \`render()\`: ${met(curl <= 1.3 && node <= 1.3)} (curl ${curl.toFixed(2)}×, keep-alive node:http client ${node.toFixed(2)}×; both separate processes, \`render()\` timed in the same rounds; the transport alone, the same bytes pre-rendered and sent as one buffer, already costs ${(socket.floorCurl / socket.render).toFixed(2)}× (curl) and ${(socket.floorNode / socket.render).toFixed(2)}× (node:http client) of \`render()\`).`,
    );
  }
  for (const r of rows.filter((row) => row.series === 100_000)) {
    out.push(
      `- Longest gap during a 100,000-series scrape beyond the SDK's collect ≤ 20 ms: ${met(r.collectGap <= 20)} (${f(r.collectGap)} ms; the collect itself: ${f(r.collect)} ms).`,
    );
  }
  for (const r of rows.filter((row) => row.peakExtra !== undefined)) {
    out.push(
      `- Peak extra memory of a ${r.series.toLocaleString('en')}-series streamed scrape ≤ 2× the exposition: ${met((r.peakExtra as number) <= 2 * r.bytes)} (${((r.peakExtra as number) / r.bytes).toFixed(2)}×, SDK points included; the SDK's collect alone: ${((r.collectExtra ?? 0) / r.bytes).toFixed(2)}×).`,
    );
  }
  return out;
}
