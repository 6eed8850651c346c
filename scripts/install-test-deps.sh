#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: promtool and the Prometheus server
# (prometheus), the strict OpenMetrics parser (python3-prometheus-client), PostgreSQL and Redis
# (tests start their own throwaway instances on 127.0.0.1), wrk for the HTTP benchmarks, and
# Chromium for the dashboard's browser test (driven by playwright-core; no browser download).
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || need+=(python3-prometheus-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  echo "test dependencies present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian packages start system services we do not use; tests run their own instances.
for service in prometheus postgresql redis-server; do
  $SUDO service "$service" stop >/dev/null 2>&1 || true
done
