// The dashboard's stylesheet: system fonts only, light and dark through `prefers-color-scheme`,
// one column on a phone. Inline in the page and allowed by its hash in the CSP.

/** The CSS of the dashboard page. */
export const DASHBOARD_STYLE: string = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#4f5863;--line:#d0d7de;--accent:#0b5cad;--ok:#116329;--warn:#7a4d00;--bad:#b3261e}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--card:#171b22;--fg:#e6edf3;--muted:#a4afbb;--line:#30363d;--accent:#6cb6ff;--ok:#57d17a;--warn:#e3b341;--bad:#ff7b72}}
*{box-sizing:border-box}
body{margin:0;overflow-wrap:anywhere;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:1200px;margin:0 auto;padding:12px 16px}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:baseline;justify-content:space-between}
h1{font-size:1.3rem;margin:0}
h2{font-size:1rem;margin:0 0 8px}
.meta,.note{color:var(--muted);font-size:.9rem}
.grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));margin-bottom:12px}
.wide{grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
section,.stat{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.stat span{display:block;color:var(--muted);font-size:.85rem}
.stat output{display:block;font-size:1.5rem;font-variant-numeric:tabular-nums;font-weight:600}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line)}
td.n,th.n{text-align:right}
svg{display:block;width:100%;height:64px}
svg polyline{fill:none;stroke:var(--accent);stroke-width:2;vector-effect:non-scaling-stroke}
.healthy{color:var(--ok)}.degraded{color:var(--warn)}.unhealthy{color:var(--bad)}
.badge{font-weight:700;text-transform:uppercase;font-size:.8rem}
form{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
input,button{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:6px 10px;min-height:40px}
button{cursor:pointer;border-color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
[hidden]{display:none!important}
#banner{margin:0 0 12px;padding:8px 12px;border-radius:8px;border:1px solid var(--bad);color:var(--bad)}
`;
