// Reads the queries back out of a dashboard JSON, and expands Grafana's variables so that the
// PromQL can be checked by promtool or run against a real Prometheus.

export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

interface DashboardJson {
  panels?: { type: string; title?: string; targets?: { refId?: string; expr?: string }[] }[];
}

/** Every Prometheus query of every panel (rows carry none), in layout order. */
export function panelQueries(dashboard: unknown): PanelQuery[] {
  const panels = (dashboard as DashboardJson).panels ?? [];
  return panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      panel: panel.title ?? '(untitled)',
      refId: target.refId ?? '?',
      expr: target.expr ?? '',
    })),
  );
}

export interface VariableValues {
  /** Regex for the `job` variable; Grafana's "All" is `.+`. */
  job: string;
  /** What Grafana would put for `$__rate_interval`, e.g. `1m`. */
  rateInterval: string;
  /** What Grafana would put for `$__range`, e.g. `5m`. */
  range: string;
}

/** The expression with the dashboard's variables replaced, as Grafana sends it to Prometheus. */
export function expandVariables(expr: string, values: VariableValues): string {
  return expr.replaceAll('$__rate_interval', values.rateInterval).replaceAll('$__range', values.range).replaceAll('$job', values.job);
}
