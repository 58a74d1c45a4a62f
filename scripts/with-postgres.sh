#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster that lives only as long as the command:
#   scripts/with-postgres.sh pytest -q
# The cluster listens on 127.0.0.1 only, trusts local connections, and is deleted afterwards.
set -euo pipefail
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
[ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }
port="${MOTCUA_PG_PORT:-$((55000 + RANDOM % 5000))}"
dir="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as_pg=(runuser -u postgres --); fi
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# Not durable by default (it serves tests); MOTCUA_PG_DURABLE=1 keeps PostgreSQL's own defaults, as
# a real deployment runs it (benchmarks/bench_durable.py compares the two).
speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${MOTCUA_PG_DURABLE:-}" = 1 ] && speed=""
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $speed -c max_connections=200" \
  start > /dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres motcua
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export MOTCUA_DATABASE_URL="postgres://postgres@127.0.0.1:$port/motcua"
"$@"
