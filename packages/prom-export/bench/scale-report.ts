// The issue-17 scale run's report: one row per size, the table cells and the target verdicts.

/** A socket scrape (ms, medians). */
export interface Socket {
  /** curl `time_total`, median. */
  curl: number;
  /** curl `time_starttransfer` (first byte), median. */
  firstByte: number;
  /** The keep-alive node:http client process, median. */
  node: number;
  /** `render()` timed in the same rounds, median. */
  render: number;
  /** The transport alone: the same bytes pre-rendered, one write with Content-Length (curl, node:http client), medians. */
  floorCurl: number;
  floorNode: number;
}

/** One size's measurements (ms unless named otherwise). */
export interface Row {
  series: number;
  collect: number;
  pure: number;
  render: number;
  /** `render()` when every series was recorded into since the previous scrape. */
  renderChanged: number;
  /** `render()` when 1 % of the series, at random, were recorded into since the previous scrape. */
  renderSome: number;
  /** `render()` with `reuseUnchangedText: false`, no series changed (every series rendered again). */
  renderPlain: number;
  /** `render()` of the same counter with semantic-convention attributes, no series changed, reuse on and off. */
  renderDotted: number;
  renderDottedPlain: number;
  /** The socket scrape of 10k series with `reuseUnchangedText: false`. */
  socketPlain: Socket | undefined;
  promClient: number;
  otel: number | undefined;
  /** exporter-prometheus when every series was recorded into since the previous scrape. */
  otelChanged: number | undefined;
  gap: number;
  collectGap: number;
  /** Our part of render(): from the SDK's collect returning to the end, in the same calls. */
  own: number;
  /** Socket scrape (10k and 100k): curl total and first byte, the node:http client, `render()` in the same rounds. */
  socket: Socket | undefined;
  bytes: number;
  peakExtra: number | undefined;
  /** Heap the SDK's collect() alone adds (1M only). */
  collectExtra?: number | undefined;
  /** Peak extra heap of the same streamed scrape when every series changed since the previous one (1M only). */
  peakChanged?: number | undefined;
}

export const f = (ms: number | undefined): string => (ms === undefined ? '–' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
export const x = (a: number | undefined, b: number): string => (a === undefined ? '–' : `${(a / b).toFixed(1)}×`);

const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function verdicts(rows: Row[]): string[] {
  const base = rows[0] as Row;
  const last = rows.at(-1) as Row;
  const per = (r: Row): number => r.render / r.series;
  const perChanged = (r: Row): number => r.renderChanged / r.series;
  const perPlain = (r: Row): number => r.renderPlain / r.series;
  const perSome = (r: Row): number => r.renderSome / r.series;
  const own = (r: Row): number => r.own / r.series;
  const from = `from ${base.series.toLocaleString('en')} to ${last.series.toLocaleString('en')}`;
  const out = [
    `- \`render()\` time per series grows at most 1.3× ${from}, no series changed between scrapes (the issue's table): ${met(per(last) / per(base) <= 1.3)} (${(per(last) / per(base)).toFixed(2)}×; our part after the collect returned: ${(own(last) / own(base)).toFixed(2)}×).`,
    `- The same with text reuse turned off (\`reuseUnchangedText: false\`, every series rendered on every scrape): ${met(perPlain(last) / perPlain(base) <= 1.3)} (${(perPlain(last) / perPlain(base)).toFixed(2)}×).`,
    `- The same, 1 % of the series changed at random before each scrape: ${met(perSome(last) / perSome(base) <= 1.3)} (${(perSome(last) / perSome(base)).toFixed(2)}×).`,
    `- The same, every series changed since the previous scrape: ${met(perChanged(last) / perChanged(base) <= 1.3)} (${(perChanged(last) / perChanged(base)).toFixed(2)}×).`,
  ];
  for (const r of rows.filter((row) => row.series >= 100_000)) {
    const n = r.series.toLocaleString('en');
    out.push(
      `- ${n}: ≥ 2× faster than prom-client: ${met(r.promClient / r.render >= 2)} (${x(r.promClient, r.render)}); reuse off: ${met(r.promClient / r.renderPlain >= 2)} (${x(r.promClient, r.renderPlain)}); 1 % changed: ${met(r.promClient / r.renderSome >= 2)} (${x(r.promClient, r.renderSome)}); every series changed: ${met(r.promClient / r.renderChanged >= 2)} (${x(r.promClient, r.renderChanged)}).`,
    );
    out.push(
      r.otel === undefined || r.otelChanged === undefined
        ? `- ${n}: ≥ 5× faster than exporter-prometheus: not measured (set OGF_BENCH_OTEL_1M=1).`
        : `- ${n}: ≥ 5× faster than exporter-prometheus: ${met(r.otel / r.render >= 5)} (${x(r.otel, r.render)}); reuse off: ${met(r.otel / r.renderPlain >= 5)} (${x(r.otel, r.renderPlain)}); 1 % changed (ours): ${met(r.otel / r.renderSome >= 5)} (${x(r.otel, r.renderSome)}); every series changed (both): ${met(r.otelChanged / r.renderChanged >= 5)} (${x(r.otelChanged, r.renderChanged)}).`,
    );
  }
  for (const r of rows.filter((row) => row.socket !== undefined && row.series === 10_000)) {
    const socket = r.socket as NonNullable<Row['socket']>;
    const curl = socket.curl / socket.render;
    const node = socket.node / socket.render;
    out.push(
      `- Socket scrape of 10,000 series ≤ 1.3× of \`render()\`: ${met(curl <= 1.3 && node <= 1.3)} (curl ${curl.toFixed(2)}×, keep-alive node:http client ${node.toFixed(2)}×; both separate processes, \`render()\` timed in the same rounds; the transport alone, the same bytes pre-rendered and sent as one buffer, already costs ${(socket.floorCurl / socket.render).toFixed(2)}× (curl) and ${(socket.floorNode / socket.render).toFixed(2)}× (node:http client) of \`render()\`).`,
    );
    const plain = r.socketPlain;
    if (plain !== undefined) {
      const plainCurl = plain.curl / plain.render;
      const plainNode = plain.node / plain.render;
      out.push(
        `- The same with text reuse off: ${met(plainCurl <= 1.3 && plainNode <= 1.3)} (curl ${plainCurl.toFixed(2)}×, node:http client ${plainNode.toFixed(2)}× of \`render()\` with reuse off; the transport alone ${(plain.floorCurl / plain.render).toFixed(2)}× / ${(plain.floorNode / plain.render).toFixed(2)}×). In absolute terms the socket scrape took ${f(socket.curl)} ms (curl) with reuse, ${f(plain.curl)} ms without.`,
      );
    }
  }
  for (const r of rows.filter((row) => row.series === 100_000)) {
    out.push(
      `- Longest gap during a 100,000-series scrape beyond the SDK's collect ≤ 20 ms: ${met(r.collectGap <= 20)} (${f(r.collectGap)} ms; the collect itself: ${f(r.collect)} ms).`,
    );
  }
  for (const r of rows.filter((row) => row.peakExtra !== undefined)) {
    out.push(
      `- Peak extra memory of a ${r.series.toLocaleString('en')}-series streamed scrape ≤ 2× the exposition: ${met((r.peakExtra as number) <= 2 * r.bytes)} (${((r.peakExtra as number) / r.bytes).toFixed(2)}×, no series changed since the previous scrape); every series changed: ${r.peakChanged === undefined ? 'not measured' : `${met(r.peakChanged <= 2 * r.bytes)} (${(r.peakChanged / r.bytes).toFixed(2)}×)`}.`,
    );
  }
  return out;
}
