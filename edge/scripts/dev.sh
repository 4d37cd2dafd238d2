#!/usr/bin/env bash
# Runs the edge worker locally on workerd (wrangler dev, local mode) in front of the origin.
#
#   VITRIN_EDGE_SECRET  required: the origin's shared secret (purges, signed image URLs)
#   EDGE_PORT           listen port on 127.0.0.1 (default 8787)
#   EDGE_ORIGIN         origin base URL (default http://127.0.0.1:8080)
#   EDGE_STATE_DIR      persistence (Cache API, Durable Object); default: a fresh temp dir,
#                       removed on exit. Give each edge node its own.
#   EDGE_INSPECTOR_PORT devtools port (default: EDGE_PORT + 1000)
#
# Runs until stopped; SIGTERM/SIGINT stop wrangler and its workerd child (own process group).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VITRIN_EDGE_SECRET:-}" ]; then
  echo "edge: VITRIN_EDGE_SECRET is not set; refusing to start (use the origin's secret)." >&2
  exit 2
fi
case "$VITRIN_EDGE_SECRET" in
  *$'\n'* | *\'*) echo "edge: VITRIN_EDGE_SECRET must not contain newlines or single quotes." >&2; exit 2 ;;
esac
if [ ! -x node_modules/.bin/wrangler ]; then
  echo "edge: node_modules missing; run 'npm ci' in edge/ first." >&2
  exit 2
fi

port="${EDGE_PORT:-8787}"
origin="${EDGE_ORIGIN:-http://127.0.0.1:8080}"
inspector="${EDGE_INSPECTOR_PORT:-$((port + 1000))}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/vitrin-edge.XXXXXX")"
state="${EDGE_STATE_DIR:-$tmp/state}"
mkdir -p "$state"

# The secret goes to wrangler through an env file outside the repository, readable by us only.
(umask 077 && printf "VITRIN_EDGE_SECRET='%s'\n" "$VITRIN_EDGE_SECRET" >"$tmp/secrets.env")

export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
export WRANGLER_LOG_PATH="$tmp/logs"

child=""
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 -- "-$child" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$child" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

echo "edge: http://127.0.0.1:$port → $origin (state: $state)"
# setsid: wrangler and workerd get their own process group, killed as a whole on exit.
setsid node_modules/.bin/wrangler dev \
  --local --ip 127.0.0.1 --port "$port" \
  --inspector-ip 127.0.0.1 --inspector-port "$inspector" \
  --var "ORIGIN:$origin" \
  --env-file "$tmp/secrets.env" \
  --persist-to "$state" \
  --show-interactive-dev-session=false \
  --live-reload=false </dev/null &
child=$!
wait "$child"
