// Shutdown on a real child process: a node:http server built on createObservability and
// installShutdownHandlers, driven over HTTP and with real signals.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '@ogf/testkit/otlp-receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTracked } from '@ogf/testkit/processes';

const fixtures = join(import.meta.dirname, 'fixtures');
const workspaceRoot = join(import.meta.dirname, '..', '..', '..');

interface Service {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startService(env: Record<string, string>): Promise<Service> {
  // node itself with tsx as a loader (no tsx CLI in between), so signals reach the service directly.
  const child = spawnTracked(process.execPath, ['--import', 'tsx', join(fixtures, 'server.ts')], {
    cwd: workspaceRoot,
    env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: join(fixtures, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const listeners = new Set<() => void>();
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        stderr += `${line}\n`;
      }
    }
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': the last log lines (shutdown.end, shutdown.forced) can still be in the pipe
  // when 'exit' fires, and the tests read the logs right after.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = (): void => {
        const found = logs.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`log line not seen within ${timeoutMs} ms; logs: ${JSON.stringify(logs)}; stderr: ${stderr}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  // tsx compiles every workspace source on start: slow on a busy machine.
  const listening = await waitForLog((line) => line.event === 'listening', 50_000);
  return { child, url: `http://127.0.0.1:${String(listening.port)}`, logs, exited, waitForLog };
}

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** Polls until `fn` returns true; gives up after `attempts` tries 50 ms apart. */
async function eventually(fn: () => Promise<boolean>, attempts: number): Promise<boolean> {
  for (let i = 0; i < attempts; i += 1) {
    if (await fn()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('installShutdownHandlers on a real child process', { timeout: 90_000 }, () => {
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('on SIGTERM fails readiness while liveness holds, lets the batch finish, delivers its span and exits 0', async () => {
    receiver = await startOtlpReceiver();
    // The batch outlasts the readiness polls below by seconds even on a busy machine (the test
    // reads 'batch finished' as absent afterwards); the deadline leaves room for it and the flush.
    const service = await startService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'prometheus',
      SHUTDOWN_TIMEOUT_MS: '15000',
    });
    expect(await statusOf(`${service.url}/health/ready`)).toBe(200);

    const batch = fetch(`${service.url}/batch?id=b-inflight&ms=5000`).then(async (r) => [r.status, await r.text()]);
    await service.waitForLog((line) => line.msg === 'batch started');
    service.child.kill('SIGTERM');

    // Readiness turns 503 while the 5 s batch drains (up to 100 polls 50 ms apart: room for a
    // loaded machine to deliver the signal late; the assertions below check the batch is still on).
    expect(await eventually(async () => (await statusOf(`${service.url}/health/ready`)) === 503, 100)).toBe(true);
    expect(await statusOf(`${service.url}/health/live`)).toBe(200);
    expect(service.logs.some((line) => line.msg === 'batch finished')).toBe(false);

    expect(await batch).toEqual([200, 'done']);
    expect(await service.exited).toBe(0);
    const spans = await receiver.waitForSpans((all) => all.some((s) => s.attributes['batch.id'] === 'b-inflight'));
    expect(spans.find((s) => s.name === 'batch.processing')?.resource['service.name']).toBe('shutdown-fixture');
    expect(service.logs.find((line) => line.event === 'shutdown.end')).toMatchObject({ ok: true, undeliveredSpans: 0 });
  });

  it('still exits within the deadline with the collector gone, and logs how many spans were lost', async () => {
    receiver = await startOtlpReceiver();
    const service = await startService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'prometheus',
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    await receiver.close();
    receiver = undefined;
    expect(await (await fetch(`${service.url}/batch?id=b-lost&ms=10`)).text()).toBe('done');

    service.child.kill('SIGTERM');
    const code = await service.exited;
    expect(code).not.toBeNull();
    const end = service.logs.find((line) => line.event === 'shutdown.end' || line.event === 'shutdown.forced');
    expect(end?.undeliveredSpans ?? end?.undelivered_spans).toBe(1);
  });

  it('exits non-zero at a second signal and logs the drain still pending', async () => {
    // Every repeat counts as a second signal, however soon it comes.
    const service = await startService({ OTEL_METRICS_EXPORTER: 'prometheus', REPEAT_WINDOW_MS: '0' });
    void fetch(`${service.url}/batch?id=b-long&ms=60000`).catch(() => undefined);
    await service.waitForLog((line) => line.msg === 'batch started');
    service.child.kill('SIGTERM');
    await service.waitForLog((line) => line.event === 'shutdown.begin');
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(service.logs.find((line) => line.event === 'shutdown.forced')).toMatchObject({ pending_drains: ['batches'] });
  });

  it('keeps draining when the first signal comes again within the repeat window (pnpm forwarding the Ctrl-C the process also got)', async () => {
    // A window far longer than the test, so how soon the repeat arrives does not matter.
    const service = await startService({ OTEL_METRICS_EXPORTER: 'prometheus', REPEAT_WINDOW_MS: '600000' });
    const batch = fetch(`${service.url}/batch?id=b-repeat&ms=1500`).then((r) => r.text());
    await service.waitForLog((line) => line.msg === 'batch started');
    service.child.kill('SIGINT');
    await service.waitForLog((line) => line.event === 'shutdown.begin');
    service.child.kill('SIGINT');
    await service.waitForLog((line) => line.event === 'shutdown.signal_repeat');
    expect(await batch).toBe('done');
    expect(await service.exited).toBe(0);
    expect(service.logs.some((line) => line.event === 'shutdown.forced')).toBe(false);
  });
});
