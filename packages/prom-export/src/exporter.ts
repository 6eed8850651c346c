// The pull MetricReader: give it to a MeterProvider, then serve `handler` (or call `render`) on
// whatever route you like. No listener: transport belongs to the application.
import { contentTypeOf, negotiateFormat } from '@ogf/core';
import type { StreamedExposition as CoreStreamedExposition, Exposition, ExpositionFormat, MetricsSnapshot } from '@ogf/core';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { CollectionResult, MetricProducer, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { CumulativeStore } from './cumulative.js';
import { createCumulativeStore, deltaForSynchronous } from './cumulative.js';
import { OgfError, isOgfError } from './errors.js';
import { createReporter, cursorOptions, renderSliced } from './exposition.js';
import type { RenderCache } from './labels.js';
import { createRenderCache } from './labels.js';
import type { Reporter } from './plan.js';
import { planFamilies } from './plan.js';
import { toMetricsSnapshot } from './snapshot.js';
import type { PromClientMetric, PromClientRegistryLike, RenderOptions } from './types.js';
import { checkRegistries } from './registries.js';
import type { Production } from './production.js';
import { byteStream, firstChunk, startProduction } from './production.js';
import { joinChunks } from './chunk.js';
import type { TextReuse } from './reuse.js';
import { createTextReuse } from './reuse.js';

/** An exposition whose body is a stream of UTF-8 chunks (see `PrometheusExporter#renderStream`): @ogf/core's contract. */
export type StreamedExposition = CoreStreamedExposition;

/** Options of `new PrometheusExporter(options)`. */
export interface PrometheusExporterOptions extends RenderOptions {
  /** prom-client registries merged into every exposition (a family name may come from one source only). */
  registries?: readonly PromClientRegistryLike[];
  /** Series kept per metric before the SDK folds the rest into `otel.metric.overflow="true"`. Default: the SDK's 2000. */
  cardinalityLimit?: number;
  /** Longest stretch (ms) the renderer works before yielding to the event loop. Default 8. */
  sliceMs?: number;
  /**
   * Reuse the text of series that did not change since the previous scrape (default true). It
   * costs about one exposition's worth of memory per format scraped; false renders every series
   * on every scrape.
   */
  reuseUnchangedText?: boolean;
  /** Extra OTel metric producers collected with the SDK's metrics. */
  metricProducers?: readonly MetricProducer[];
}

const NO_STORE = 'no-store';

function validate(options: PrometheusExporterOptions): void {
  const limit = options.cardinalityLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `cardinalityLimit must be a positive integer, got ${String(limit)}`);
  }
  const slice = options.sliceMs;
  if (slice !== undefined && !(typeof slice === 'number' && slice > 0 && Number.isFinite(slice))) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `sliceMs must be a positive number of milliseconds, got ${String(slice)}`);
  }
  const reuse = options.reuseUnchangedText;
  if (reuse !== undefined && typeof reuse !== 'boolean') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', `reuseUnchangedText must be true or false, got ${String(reuse)}`);
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'onError must be a function');
  }
  const exemplars = options.exemplars as { exemplars?: unknown } | undefined;
  if (exemplars !== undefined && (typeof exemplars !== 'object' || exemplars === null || typeof exemplars.exemplars !== 'function')) {
    throw new OgfError('ERR_OGF_INVALID_OPTION', 'exemplars must be an exemplar source: an object with an exemplars(query) method');
  }
  checkRegistries(options.registries ?? []);
}

/**
 * A pull `MetricReader` serving any OTel metrics as Prometheus text 0.0.4, OpenMetrics 1.0.0 or a
 * JSON snapshot, optionally merged with prom-client registries.
 *
 * @example
 * const exporter = new PrometheusExporter();
 * const provider = new MeterProvider({ readers: [exporter] });
 * // in any fetch-style server:
 * const response = await exporter.handler(request);
 */
export class PrometheusExporter extends MetricReader {
  /** `(Request) => Promise<Response>` for GET and HEAD; bound, so it can be passed around. */
  readonly handler: (request: Request) => Promise<Response>;
  private readonly options: PrometheusExporterOptions;
  private readonly cache: RenderCache = createRenderCache();
  private readonly report: Reporter;
  /** The render in flight per format, shared by the scrapes that arrive while it runs. */
  private readonly inflight = new Map<ExpositionFormat, Production>();
  /** Cumulative series folded from the SDK's deltas (see cumulative.ts). */
  private readonly cumulative: CumulativeStore = createCumulativeStore();
  /** Text of unchanged series, kept between renders of each format (see reuse.ts). */
  private readonly reuse = new Map<ExpositionFormat, TextReuse>();
  /** Longest synchronous stretch of rendering or folding, in ms. */
  private readonly sliceMs: number;

  constructor(options: PrometheusExporterOptions = {}) {
    validate(options);
    const limit = options.cardinalityLimit;
    super({
      aggregationTemporalitySelector: deltaForSynchronous,
      ...(limit === undefined ? {} : { cardinalitySelector: () => limit }),
      ...(options.metricProducers ? { metricProducers: [...options.metricProducers] } : {}),
    });
    this.options = { ...options, registries: [...(options.registries ?? [])] };
    this.sliceMs = options.sliceMs ?? 8;
    this.report = createReporter(options.onError);
    this.handler = (request) => this.handle(request);
  }

  /**
   * Collects, then renders in the negotiated format (`format` wins over `accept`).
   *
   * @example
   * const { contentType, body } = await exporter.render({ accept: request.headers.get('accept') });
   */
  async render(options: { accept?: string | null; format?: ExpositionFormat } = {}): Promise<Exposition> {
    const format = options.format ?? negotiateFormat(options.accept);
    const production = this.produce(format);
    production.keepAll();
    await production.finished;
    return { contentType: contentTypeOf(format), body: joinChunks(production.chunks) };
  }

  /**
   * Like `render`, but the body is a `ReadableStream` of UTF-8 chunks rendered while it is read, so
   * the first bytes leave before the last series is rendered. Resolves once the collection worked
   * and the first chunk exists (a failing collection rejects, as `render` does); scrapes that
   * arrive while a render of the same format runs share it.
   *
   * @example
   * const { contentType, body } = await exporter.renderStream({ accept: request.headers.get('accept') });
   * return new Response(body, { headers: { 'Content-Type': contentType } });
   */
  async renderStream(options: { accept?: string | null; format?: ExpositionFormat } = {}): Promise<StreamedExposition> {
    const format = options.format ?? negotiateFormat(options.accept);
    const production = this.produce(format);
    // Attached now, in the same tick as joining: no chunk is released before this reader reads it.
    const reader = production.attach();
    try {
      await firstChunk(production);
    } catch (error) {
      reader.detach();
      throw error;
    }
    return { contentType: contentTypeOf(format), body: byteStream(production, reader) };
  }

  private produce(format: ExpositionFormat): Production {
    const running = this.inflight.get(format);
    // A render that released chunks cannot be replayed from the start: start another.
    if (running && !running.trimmed) return running;
    const production = startProduction(async (emit) => {
      const resourceMetrics = await this.collectOrExplain();
      const foreign = await this.collectRegistries();
      const families = planFamilies(resourceMetrics, foreign, this.options, this.cache, this.report);
      const reuse = this.options.reuseUnchangedText === false ? undefined : this.textReuse(format).round();
      await renderSliced(families, cursorOptions(format, this.options), this.cache, this.report, this.sliceMs, emit, reuse);
    });
    this.inflight.set(format, production);
    const forget = (): void => {
      if (this.inflight.get(format) === production) this.inflight.delete(format);
    };
    production.finished.then(forget, forget);
    return production;
  }

  private textReuse(format: ExpositionFormat): TextReuse {
    let reuse = this.reuse.get(format);
    if (reuse === undefined) {
      reuse = createTextReuse((metric) => this.cumulative.owns(metric));
      this.reuse.set(format, reuse);
    }
    return reuse;
  }

  /**
   * Collects and returns every OTel metric as plain JSON (prom-client registries are not included).
   *
   * @example
   * const snapshot = await exporter.snapshot();
   */
  async snapshot(): Promise<MetricsSnapshot> {
    const resourceMetrics = await this.collectOrExplain();
    return toMetricsSnapshot(resourceMetrics, { cache: this.cache });
  }

  /**
   * Collects like any `MetricReader`, and always returns cumulative data: the SDK hands this
   * reader the deltas of synchronous instruments, which are added onto the series kept from
   * earlier collections (so a caller of `collect()` never takes data away from the scrapes).
   *
   * @example
   * const { resourceMetrics } = await exporter.collect();
   */
  override async collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const result = await super.collect(options);
    return { resourceMetrics: await this.cumulative.fold(result.resourceMetrics, this.sliceMs), errors: result.errors };
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  private async handle(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method Not Allowed: use GET or HEAD\n', {
        status: 405,
        headers: { Allow: 'GET, HEAD', 'Cache-Control': NO_STORE, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const format = negotiateFormat(request.headers.get('accept'));
    const headers = { 'Content-Type': contentTypeOf(format), 'Cache-Control': NO_STORE, Vary: 'Accept' };
    // HEAD answers with GET's headers without collecting: collection runs observable callbacks.
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    try {
      const { body } = await this.renderStream({ format });
      return new Response(body, { status: 200, headers });
    } catch (error) {
      const known = isOgfError(error);
      const failure = new OgfError(
        'ERR_OGF_RENDER_FAILED',
        `metrics exposition failed: ${known ? error.message : 'unexpected error while collecting'}`,
        { cause: error },
      );
      try {
        this.options.onError?.(failure);
      } catch {
        // A failing hook must not turn a 500 into an unhandled rejection.
      }
      return new Response(`${failure.message}\n`, {
        status: 500,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': NO_STORE },
      });
    }
  }

  private async collectOrExplain(): Promise<ResourceMetrics> {
    let result: Awaited<ReturnType<MetricReader['collect']>>;
    try {
      result = await this.collect();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = /not bound/i.test(message) ? ': pass the exporter to a MeterProvider in `readers` first' : '';
      throw new OgfError('ERR_OGF_COLLECT_FAILED', `cannot collect metrics (${message})${hint}`, { cause: error });
    }
    for (const error of result.errors) {
      const message = error instanceof Error ? error.message : String(error);
      this.report(
        'ERR_OGF_COLLECT_FAILED',
        `collect:${message.slice(0, 200)}`,
        `an instrument callback failed during collection: ${message}`,
      );
    }
    return result.resourceMetrics;
  }

  private async collectRegistries(): Promise<PromClientMetric[]> {
    const registries = this.options.registries ?? [];
    if (registries.length === 0) return [];
    const lists = await Promise.all(registries.map(async (registry) => registry.getMetricsAsJSON()));
    return lists.flat();
  }
}
