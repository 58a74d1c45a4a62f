#!/usr/bin/env bash
# The running part of `make demo`: the national systems' stand-ins and the background worker beside
# the app server, all stopped together. The app and the worker find the stand-ins through
# MOTCUA_STANDINS_URL (set it yourself to use stand-ins served elsewhere).
#   scripts/demo.sh HOST PORT [STANDINS_PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
host="${1:-127.0.0.1}"
port="${2:-8000}"
standins_port="${3:-8100}"
bin=.venv/bin
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
if [ -z "${MOTCUA_STANDINS_URL:-}" ]; then
  "$bin/motcua" standins --host "$host" --port "$standins_port" &
  pids+=($!)
  export MOTCUA_STANDINS_URL="http://$host:$standins_port"
fi
# The demo pulls DVC liên thông's stand-in every 30 s rather than every 10 minutes.
export MOTCUA_LIENTHONG_PULL_SECONDS="${MOTCUA_LIENTHONG_PULL_SECONDS:-30}"
"$bin/motcua" worker &
pids+=($!)
# The demo's last week on the portal stand-in (which starts empty each time: --again), sent by the worker.
"$bin/motcua" publish-to-portal --days 7 --again || true
"$bin/motcua" serve --host "$host" --port "$port"
