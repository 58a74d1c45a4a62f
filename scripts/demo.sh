#!/usr/bin/env bash
# The running part of `make demo`: the background worker beside the app server, stopped together.
#   scripts/demo.sh HOST PORT
set -euo pipefail
cd "$(dirname "$0")/.."
host="${1:-127.0.0.1}"
port="${2:-8000}"
bin=.venv/bin
"$bin/motcua" worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
"$bin/motcua" serve --host "$host" --port "$port"
