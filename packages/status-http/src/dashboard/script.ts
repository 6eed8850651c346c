// The dashboard's script, plain ES2020 with no dependency: it polls the metrics JSON and /status
// (or only the public /health without the token), keeps a few minutes of history and draws it as
// SVG polylines. Inline in the page and allowed by its hash in the CSP. Written without template
// literals so it can live in this TypeScript string.

/** The JavaScript of the dashboard page. */
export const DASHBOARD_SCRIPT: string = `
(function () {
  'use strict';
  var KEY = 'ogf-status-token';
  var body = document.body;
  var depth = Number(body.dataset.depth);
  var interval = Number(body.dataset.interval);
  var keep = Math.max(2, Math.round(300000 / interval));
  var parts = location.pathname.split('/').filter(Boolean);
  var base = parts.length > depth ? '/' + parts.slice(0, parts.length - depth).join('/') : '';
  // An empty data-* endpoint means the app does not serve that route (no metrics or no health source).
  var at = function (path) { return path ? base + path : ''; };
  var urls = { metrics: at(body.dataset.metrics), status: at(body.dataset.status), health: at(body.dataset.health) };
  var history = { batches_per_second: [], success_rate: [], queue_size: [], worker_utilization_percent: [] };
  var refreshes = 0;
  var timer;
  var $ = function (id) { return document.getElementById(id); };
  var int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function token() { try { return sessionStorage.getItem(KEY) || ''; } catch (e) { return ''; } }
  function setToken(value) { try { if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY); } catch (e) { /* storage off */ } }

  function get(url) {
    if (!url) return Promise.resolve({ ok: false });
    var headers = { accept: 'application/json' };
    var t = token();
    if (t) headers.authorization = 'Bearer ' + t;
    return fetch(url, { headers: headers, cache: 'no-store', credentials: 'same-origin' }).then(function (response) {
      if (response.status === 401) return { locked: true };
      return response.json().then(function (data) { return { data: data, ok: response.ok }; });
    });
  }

  function put(key, text) {
    var nodes = document.querySelectorAll('[data-key="' + key + '"]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = text;
  }
  function ms(seconds) { return seconds === null || seconds === undefined ? '–' : one.format(seconds * 1000) + ' ms'; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function cell(row, text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; row.appendChild(td); return td; }

  function chart(key) {
    var svg = $('chart-' + key);
    var values = history[key];
    clear(svg);
    if (values.length < 2) return;
    var max = Math.max.apply(null, values.concat([key === 'success_rate' || key === 'worker_utilization_percent' ? 100 : 1]));
    var points = values.map(function (v, i) { return (i / (values.length - 1)) * 300 + ',' + (60 - (v / max) * 56 - 2); }).join(' ');
    var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points);
    svg.appendChild(line);
    $('max-' + key).textContent = 'max ' + two.format(Math.max.apply(null, values));
  }

  function renderMetrics(m) {
    ['batches_submitted', 'batches_processing', 'batches_completed', 'batches_failed', 'batches_cancelled', 'queue_size',
      'workers_active', 'workers_capacity', 'activities_total', 'activities_failed'].forEach(function (k) { put(k, int.format(m[k])); });
    put('success_rate', one.format(m.success_rate) + ' %');
    put('worker_utilization_percent', one.format(m.worker_utilization_percent) + ' %');
    put('batches_per_second', two.format(m.batches_per_second) + ' /s');
    put('activities_per_second', two.format(m.activities_per_second) + ' /s');
    put('total_emissions', one.format(m.total_emissions) + ' kg');
    ['p50', 'p95', 'p99'].forEach(function (p) {
      put('batch_latency_seconds.' + p, ms(m.batch_latency_seconds[p]));
      put('activity_latency_seconds.' + p, ms(m.activity_latency_seconds[p]));
    });
    var errors = $('errors');
    clear(errors);
    var types = Object.keys(m.errors_by_type).sort(function (a, b) { return m.errors_by_type[b] - m.errors_by_type[a]; });
    types.forEach(function (type) {
      var row = document.createElement('tr');
      cell(row, type);
      cell(row, int.format(m.errors_by_type[type]), 'n').dataset.key = 'errors_by_type.' + type;
      errors.appendChild(row);
    });
    $('no-errors').hidden = types.length > 0;
    Object.keys(history).forEach(function (k) {
      history[k].push(Number(m[k]) || 0);
      if (history[k].length > keep) history[k].shift();
      chart(k);
    });
    put('timestamp', m.timestamp);
  }

  function renderDependencies(deps) {
    var list = $('deps');
    clear(list);
    Object.keys(deps).sort().forEach(function (name) {
      var dep = deps[name];
      var row = document.createElement('tr');
      row.dataset.dependency = name;
      cell(row, name);
      cell(row, dep.status, 'badge ' + dep.status).dataset.role = 'status';
      cell(row, dep.message || '');
      list.appendChild(row);
    });
  }

  function renderOverall(status) {
    var node = $('overall');
    node.textContent = status;
    node.className = 'badge ' + status;
  }

  function renderHealth(health) {
    var checks = (health.data && health.data.checks) || {};
    renderDependencies(checks);
    if (health.data && health.data.status) renderOverall(health.data.status);
  }

  function uptime(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
  }

  function lock(locked) {
    $('auth').hidden = !locked;
    $('forget').hidden = locked || !token();
    $('metrics-panels').hidden = locked;
  }

  function refresh() {
    clearTimeout(timer);
    // Without a token the page asks only what the public routes answer (no 401s to log).
    var asked = body.dataset.token === 'required' && !token() ? [{ locked: true }, { locked: true }] : [get(urls.metrics), get(urls.status)];
    return Promise.all(asked).then(function (answers) {
      var metrics = answers[0], status = answers[1];
      if (metrics.locked || status.locked) {
        if (token()) { setToken(''); $('auth-error').hidden = false; }
        lock(true);
        return get(urls.health).then(renderHealth);
      }
      lock(false);
      $('auth-error').hidden = true;
      $('metrics-panels').hidden = !metrics.ok;
      if (metrics.ok) renderMetrics(metrics.data);
      // An app with health but no metrics has no /status: its dependencies come from /health.
      if (!status.ok) return get(urls.health).then(renderHealth);
      var s = status.data;
      put('service_name', s.service_name);
      put('service_version', s.service_version);
      put('environment', s.environment);
      put('uptime', uptime(s.uptime));
      renderDependencies(s.dependencies);
      renderOverall(s.status);
    }).then(function () {
      $('banner').hidden = true;
      refreshes += 1;
      body.dataset.refreshes = String(refreshes);
    }, function () {
      $('banner').hidden = false;
    }).then(function () { timer = setTimeout(refresh, interval); });
  }

  $('auth').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = $('token');
    setToken(input.value.trim());
    input.value = '';
    refresh();
  });
  $('forget').addEventListener('click', function () { setToken(''); refresh(); });
  refresh();
})();
`;
