#!/usr/bin/env bash
# Run the whole suite twice: on SQLite, then on a throwaway PostgreSQL 15 cluster on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
export LOA_DATA_DIR="$(mktemp -d /tmp/loa-test-data.XXXXXX)"

echo "== Bộ kiểm thử trên SQLite =="
unset DATABASE_URL
"$PYTEST" -q "$@"

echo "== Bộ kiểm thử trên PostgreSQL =="
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$PG_BIN" ]; then
  echo "Không tìm thấy PostgreSQL (chạy scripts/install-debian.sh)." >&2
  exit 1
fi
PGTMP="$(mktemp -d /tmp/loa-pg.XXXXXX)"
PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$PGTMP"
  AS_PG=(runuser -u postgres --)
fi
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGTMP/data" -A trust -U loa -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
stop_pg() { "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGTMP" "$LOA_DATA_DIR"; }
trap stop_pg EXIT
export DATABASE_URL="postgres://loa@127.0.0.1:$PGPORT/loa"
"${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U loa loa
"$PYTEST" -q "$@"
