// Serves one fetch-style module on Bun, Deno or Cloudflare's workerd, so a test can drive the same
// HTTP cases everywhere. The module is bundled with esbuild for the browser-like platform these
// runtimes share, with `@ogf/*` imports taken from source (the same aliases vitest uses).
//
//   const server = await serveOnRuntime('deno', new URL('./fixtures/app.ts', import.meta.url).pathname);
//   const response = await fetch(`${server.url}/health/live`);
//   await server.stop();
//
// The module's default export must be `{ fetch(request): Response | Promise<Response> }`.
// `nodeCompat: true` lets the module import `node:*` builtins (AsyncLocalStorage, say) and turns on
// workerd's nodejs_compat flag; without it a `node:` import fails the bundle, which is how tests
// prove that a main entry uses Web APIs only.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { ogfSourceAliases } from '../../../vitest.shared.ts';
import { markedEnv, spawnTracked, stopProcessTree } from './processes.ts';

export type Runtime = 'bun' | 'deno' | 'workerd';
export const RUNTIMES: readonly Runtime[] = ['bun', 'deno', 'workerd'];

export interface RuntimeServer {
  runtime: Runtime;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the runtime printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  nodeCompat?: boolean;
  /** Environment for the runtime process (Bun, Deno) or bindings (workerd, as vars). */
  env?: Record<string, string>;
  /** How long Bun or Deno may take to listen (default 60 s: the machine may be busy). */
  startTimeoutMs?: number;
}

const requireFromTestkit = createRequire(import.meta.url);

/**
 * The runtime's own executable. The `node_modules/.bin` entries are wrappers (a shell script for
 * Bun, a Node script for Deno) that run the binary as a child of their own, so a signal sent to
 * the wrapper would leave the runtime running.
 */
function runtimeBinary(runtime: 'bun' | 'deno'): string {
  const packageDir = dirname(requireFromTestkit.resolve(`${runtime}/package.json`));
  const binary = runtime === 'bun' ? join(packageDir, 'bin', 'bun.exe') : join(packageDir, 'deno');
  if (!existsSync(binary))
    throw new Error(`${runtime} binary not found at ${binary}: did its install script run (pnpm-workspace.yaml onlyBuiltDependencies)?`);
  return binary;
}

function sourceAliasPlugin(): Plugin {
  return {
    name: 'ogf-source-aliases',
    setup(pluginBuild) {
      for (const alias of ogfSourceAliases) {
        pluginBuild.onResolve({ filter: alias.find }, () => ({ path: alias.replacement }));
      }
    },
  };
}

/** Bundles `entryFile` into one ES module for the browser-like platform the runtimes share. */
export async function bundleForRuntime(entryFile: string, options: { nodeCompat?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    external: options.nodeCompat ? ['node:*'] : [],
    plugins: [sourceAliasPlugin()],
    logLevel: 'silent',
    sourcemap: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entryFile}`);
  return file.text;
}

/** Bundles the module and serves it on the runtime at 127.0.0.1 on a free port. */
export async function serveOnRuntime(runtime: Runtime, entryFile: string, options: ServeOptions = {}): Promise<RuntimeServer> {
  const code = await bundleForRuntime(entryFile, options);
  if (runtime === 'workerd') return serveOnWorkerd(code, options);
  const workDir = mkdtempSync(join(tmpdir(), `ogf-${runtime}-`));
  const appFile = join(workDir, 'app.mjs');
  writeFileSync(appFile, code);
  try {
    return await serveOnProcess(runtime, appFile, workDir, options);
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

async function serveOnWorkerd(code: string, options: ServeOptions): Promise<RuntimeServer> {
  // The bundle goes in as a string: workerd rejects module paths outside its starting directory.
  const miniflare = new Miniflare({
    modules: true,
    script: code,
    // No network here: use the placeholder `request.cf` instead of fetching the real one.
    cf: false,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: options.nodeCompat ? ['nodejs_compat'] : [],
    bindings: options.env ?? {},
    host: '127.0.0.1',
    port: 0,
  });
  const url = await miniflare.ready;
  return {
    runtime: 'workerd',
    url: url.origin,
    output: () => '',
    stop: () => miniflare.dispose(),
  };
}

const BUN_LAUNCHER = `
import app from './app.mjs';
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => app.fetch(request) });
console.log('OGF_LISTENING ' + server.port);
`;

const DENO_LAUNCHER = `
import app from './app.mjs';
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log('OGF_LISTENING ' + port) },
  (request) => app.fetch(request));
`;

async function serveOnProcess(runtime: 'bun' | 'deno', appFile: string, workDir: string, options: ServeOptions): Promise<RuntimeServer> {
  const launcher = join(workDir, 'launch.mjs');
  writeFileSync(launcher, runtime === 'bun' ? BUN_LAUNCHER : DENO_LAUNCHER);
  const args =
    runtime === 'bun'
      ? ['run', launcher]
      : ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', launcher];
  const child = spawnTracked(runtimeBinary(runtime), args, {
    cwd: workDir,
    env: markedEnv({
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      DENO_DIR: join(workDir, '.deno'),
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A cold start on a busy machine (CI runs every package's tests at once) takes seconds.
  let port: number;
  try {
    port = await waitForPort(child, () => output, options.startTimeoutMs ?? 60_000, runtime);
  } catch (error) {
    await stopProcessTree(child, { signal: 'SIGKILL' });
    throw error;
  }
  return {
    runtime,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      await stopProcessTree(child, { graceMs: 3_000 });
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function waitForPort(child: ChildProcess, output: () => string, timeoutMs: number, runtime: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${runtime} did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = /OGF_LISTENING (\d+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} exited (${code ?? signal}) before listening:\n${output()}`));
    });
  });
}
