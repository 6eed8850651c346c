// The dashboard document and its headers. Script and styles are inline, so the page is one
// response that works offline on every runtime; the Content-Security-Policy allows exactly those
// two blocks (by SHA-256 hash), fetches to the same origin, and nothing else.
import { DASHBOARD_SCRIPT } from './script.js';
import { DASHBOARD_STYLE } from './style.js';

/** Where the page finds its data, relative to the directory it is served from. */
export interface DashboardEndpoints {
  /** Segments of the dashboard's own path, stripped from `location.pathname` to find the base. */
  depth: number;
  metrics: string;
  status: string;
  health: string;
  /** The data routes need the status token. */
  tokenRequired: boolean;
}

/** How often the page polls, in milliseconds. */
export const DASHBOARD_REFRESH_MS = 2000;

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function stat(key: string, label: string): string {
  return `<div class="stat"><span id="l-${key}">${label}</span><output data-key="${key}" aria-labelledby="l-${key}">–</output></div>`;
}

function chart(key: string, label: string): string {
  return (
    `<section><h2 id="c-${key}">${label}</h2><svg id="chart-${key}" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-labelledby="c-${key}"></svg>` +
    `<p class="note" id="max-${key}"></p></section>`
  );
}

const LATENCY = ['p50', 'p95', 'p99']
  .map(
    (p) =>
      `<tr><th scope="row">${p}</th><td class="n" data-key="batch_latency_seconds.${p}">–</td><td class="n" data-key="activity_latency_seconds.${p}">–</td></tr>`,
  )
  .join('');

/** The HTML of the dashboard page for one set of endpoints. */
export function dashboardHtml(endpoints: DashboardEndpoints, title: string): string {
  const data = `data-depth="${endpoints.depth}" data-interval="${DASHBOARD_REFRESH_MS}" data-metrics="${esc(endpoints.metrics)}" data-status="${esc(endpoints.status)}" data-health="${esc(endpoints.health)}" data-token="${endpoints.tokenRequired ? 'required' : 'none'}"`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${esc(title)} · dashboard</title>
<style>${DASHBOARD_STYLE}</style></head>
<body ${data}>
<header><h1><span data-key="service_name">${esc(title)}</span> <span class="badge" id="overall" role="status">…</span></h1>
<p class="meta">version <span data-key="service_version">–</span> · <span data-key="environment">–</span> · up <span data-key="uptime">–</span> · updated <time data-key="timestamp">–</time></p></header>
<main>
<p id="banner" role="alert" hidden>Cannot reach the service; retrying.</p>
<form id="auth" hidden><label for="token">Status token</label><input id="token" type="password" autocomplete="off" required><button type="submit">Show metrics</button>
<span class="note">The metrics need the status token; it stays in this tab (sessionStorage) and is sent as a bearer header.</span>
<span id="auth-error" class="unhealthy" role="alert" hidden>That token was rejected.</span></form>
<div id="metrics-panels" hidden>
<div class="grid">${[
    ['batches_submitted', 'Submitted'],
    ['batches_processing', 'Processing'],
    ['batches_completed', 'Completed'],
    ['batches_failed', 'Failed'],
    ['batches_cancelled', 'Cancelled'],
    ['success_rate', 'Activity success rate'],
    ['batches_per_second', 'Throughput (batches)'],
    ['activities_per_second', 'Throughput (activities)'],
    ['queue_size', 'Queue size'],
    ['worker_utilization_percent', 'Worker utilisation'],
    ['workers_active', 'Workers busy'],
    ['workers_capacity', 'Worker capacity'],
    ['activities_total', 'Activities'],
    ['activities_failed', 'Activities failed'],
    ['total_emissions', 'Emissions (CO2e)'],
  ]
    .map(([key, label]) => stat(key as string, label as string))
    .join('')}</div>
<div class="grid wide">${chart('batches_per_second', 'Throughput, batches/s')}${chart('success_rate', 'Success rate, %')}${chart('queue_size', 'Queue size')}${chart('worker_utilization_percent', 'Worker utilisation, %')}</div>
<div class="grid wide"><section><h2 id="lat">Latency</h2><table aria-labelledby="lat"><thead><tr><th scope="col">percentile</th><th scope="col" class="n">batch</th><th scope="col" class="n">activity</th></tr></thead><tbody>${LATENCY}</tbody></table></section>
<section><h2 id="err">Errors by type</h2><table aria-labelledby="err"><tbody id="errors"></tbody></table><p class="note" id="no-errors">No errors.</p></section></div>
</div>
<section><h2 id="dep">Dependencies</h2><table aria-labelledby="dep"><thead><tr><th scope="col">name</th><th scope="col">status</th><th scope="col">message</th></tr></thead><tbody id="deps"></tbody></table></section>
<p><button type="button" id="forget" hidden>Forget token</button></p>
</main>
<script>${DASHBOARD_SCRIPT}</script></body></html>`;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

let policy: Promise<string> | undefined;

/** The page's Content-Security-Policy; hashes are computed on first use, never at import. */
export function dashboardPolicy(): Promise<string> {
  policy ??= Promise.all([sha256Base64(DASHBOARD_SCRIPT), sha256Base64(DASHBOARD_STYLE)]).then(
    ([script, style]) =>
      `default-src 'none'; script-src 'sha256-${script}'; style-src 'sha256-${style}'; connect-src 'self'; img-src data:; ` +
      `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  return policy;
}
