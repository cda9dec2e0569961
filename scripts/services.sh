#!/usr/bin/env bash
# Install (when missing) and start PostgreSQL and Redis on 127.0.0.1, and create
# the role `sangsaeng` (password `sangsaeng`, may create databases) and the named
# databases. Used by .ci/run, `make bench` and `make loadtest`.
#   scripts/services.sh [database …]
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if ((${#need[@]})); then
  echo "== installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$pg_version" main >/dev/null
fi
cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1

runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sangsaeng') THEN
    CREATE ROLE sangsaeng LOGIN PASSWORD 'sangsaeng' CREATEDB;
  END IF;
END $$;
SQL
for database in "$@"; do
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='$database'" | grep -q 1 \
    || runuser -u postgres -- createdb -O sangsaeng "$database"
done

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
redis-cli -h 127.0.0.1 ping >/dev/null
echo "== PostgreSQL and Redis are up on 127.0.0.1"
