// Type-checked by CI against the packed tarball: the public API used the way a user would.
import { createServer } from 'node:http';
import { Hono } from 'hono';
import {
  createStatusApp,
  createStatusHandler,
  isOgfError,
  STATUS_ROUTES,
  type BatchSummary,
  type HealthReport,
  type HealthSource,
  type MetricsSource,
  type StatusAppOptions,
  type StatusBody,
} from '@ogf/status-http';
import { negotiateFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '@ogf/core';
import { createStatusListener, createStatusMiddleware, startStatusServer, type StatusServer } from '@ogf/status-http/node';

const report = (): HealthReport => ({
  status: 'healthy',
  timestamp: new Date().toISOString(),
  system_uptime_seconds: 1,
  checks: { database: { name: 'database', status: 'healthy', duration_ms: 1, checked_at: new Date().toISOString(), critical: true } },
  overall_status: 'healthy',
});
const health: HealthSource = { live: report, ready: () => Promise.resolve(report()), report };

declare const summary: BatchSummary;
const metrics: MetricsSource = {
  render: ({ format }) => ({ contentType: format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE, body: '' }),
  summary: () => summary,
};

const options: StatusAppOptions = {
  health,
  metrics,
  service: { name: 'batch-api', version: '1.0.0', environment: 'production' },
  token: 'secret',
  cors: { origin: ['https://ops.example.com'] },
  onError: (error) => {
    const code: string = error.code;
    void code;
  },
};

const app = new Hono();
app.route('/', createStatusApp(options));
const handler: (request: Request) => Promise<Response> = createStatusHandler(options);
export default { fetch: handler };

createServer(createStatusListener(options));
const middleware = createStatusMiddleware(options);
createServer((request, response) => middleware(request, response, () => response.end()));

async function main(): Promise<void> {
  const server: StatusServer = await startStatusServer({ ...options, port: 0 });
  const response = await fetch(`${server.url}/status`, { headers: { authorization: 'Bearer secret' } });
  const body = (await response.json()) as StatusBody;
  const format: 'text' | 'openmetrics' = negotiateFormat(response.headers.get('accept'));
  void [body.metrics.success_rate, format, STATUS_ROUTES.length, app];
  await server.close();
}

main().catch((error: unknown) => {
  if (isOgfError(error)) process.exitCode = 1;
});
