// A test variant of the rule files with short windows, so a live test sees in a minute or two what
// production rules see in hours: every range selector `[5m]`, every `for:` and every group
// `interval:` is rewritten from a table, and the forecast horizon (900 s) shrinks with them. A
// window missing from the table throws: nothing stays at its production length by accident. The
// recorded series keep their names (`job:batch_signal:avg1d` then averages over 2 minutes).
/** Production window → test window. */
export type WindowTable = Readonly<Record<string, string>>;

/** The windows of deploy/prometheus/rules, shortened for a run of a few minutes at 1 s scrapes. */
export const LIVE_WINDOWS: WindowTable = {
  '2m': '4s',
  '5m': '10s',
  '10m': '20s',
  '15m': '30s',
  '30m': '60s',
  '1h': '90s',
  '2h': '3m',
  '6h': '6m',
  '1d': '2m',
  '3d': '6m',
};

export interface ShortenOptions {
  windows?: WindowTable;
  /** Group evaluation interval in the variant (default 1s, the live tests' scrape interval). */
  interval?: string;
  /** The forecast horizon in seconds replacing 900 (default 30). */
  horizonSeconds?: number;
}

function lookup(windows: WindowTable, window: string, where: string): string {
  const short = windows[window];
  if (short === undefined) throw new Error(`no short window for ${where} ${window}: add it to the table`);
  return short;
}

/**
 * The rule file text with its windows shortened.
 *
 * @example
 * ```ts
 * shortenWindows('expr: rate(x[5m])\nfor: 10m'); // 'expr: rate(x[10s])\nfor: 20s'
 * ```
 */
export function shortenWindows(text: string, options: ShortenOptions = {}): string {
  const windows = options.windows ?? LIVE_WINDOWS;
  return text
    .replace(/\[(\d+[smhdw])\]/g, (_all, window: string) => `[${lookup(windows, window, 'range')}]`)
    .replace(/^(\s+for:\s+)(\S+)$/gm, (_all, prefix: string, window: string) => `${prefix}${lookup(windows, window, 'for:')}`)
    .replace(/^(\s+interval:\s+)(\S+)$/gm, (_all, prefix: string) => `${prefix}${options.interval ?? '1s'}`)
    .replace(/\b900\b/g, String(options.horizonSeconds ?? 30));
}
