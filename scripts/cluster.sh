#!/usr/bin/env bash
# The several-machines topology on loopback (docs/deployment.md, "The cluster test"):
#   scripts/cluster.sh up     nginx, 3 × motcua serve, 2 × motcua worker, PostgreSQL primary + streaming
#                             replica, Redis, the stand-ins; runs until Ctrl-C or `scripts/cluster.sh down`
#   scripts/cluster.sh down   stops the one `up` started (SIGTERM to it; it takes everything down)
# MOTCUA_CLUSTER_KEEP=1 keeps the temporary folder (logs, nginx.conf) afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pidfile="${MOTCUA_CLUSTER_PIDFILE:-/tmp/motcua-cluster.pid}"
case "${1:-}" in
  up) export MOTCUA_CLUSTER_PIDFILE="$pidfile"; exec .venv/bin/python -m tests.cluster up ;;
  down)
    [ -s "$pidfile" ] || { echo "no cluster running ($pidfile is missing)" >&2; exit 1; }
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2> /dev/null || { echo "no cluster running (pid $pid is gone)" >&2; rm -f "$pidfile"; exit 1; }
    while kill -0 "$pid" 2> /dev/null; do sleep 0.2; done
    rm -f "$pidfile"; echo "Down." ;;
  *) echo "usage: scripts/cluster.sh up|down" >&2; exit 2 ;;
esac
