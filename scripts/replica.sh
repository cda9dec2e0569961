#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local cluster, on 127.0.0.1:5433, for
# `make bench` (bench/bench_replica.py) and for trying docs/deploy.md's "Read
# replica" on one machine. Run as root (it uses runuser postgres).
#   scripts/replica.sh start   # (re)make it with pg_basebackup -R and start it
#   scripts/replica.sh stop    # stop it and remove it
#   scripts/replica.sh status  # prints "streaming" or "down"
# Needs the local cluster up (scripts/services.sh). Each start copies the
# primary afresh: a replica left stopped may have lost the WAL it needs.
set -euo pipefail

REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_NAME=${REPLICA_NAME:-replica}
REPLICATOR=sangsaeng_replicator
REPLICATOR_PASSWORD=${REPLICATOR_PASSWORD:-sangsaeng_replicator}

pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)
primary_port=$(pg_lsclusters -h | awk '$2 != "'"$REPLICA_NAME"'" {print $3; exit}')

as_postgres() { runuser -u postgres -- "$@"; }
primary_sql() { as_postgres psql -p "$primary_port" -v ON_ERROR_STOP=1 -tAq "$@"; }
replica_exists() { pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$pg_version $REPLICA_NAME"; }

status() {
  if replica_exists && as_postgres psql -p "$REPLICA_PORT" -tAc "SELECT pg_is_in_recovery()" 2>/dev/null | grep -qx t; then
    echo streaming
  else
    echo down
  fi
}

prepare_primary() {
  # Streaming needs WAL with replica detail (PostgreSQL's default) and a
  # sender slot free; a change of wal_level needs a restart of the primary.
  if [[ $(primary_sql -c "SHOW wal_level") == minimal ]]; then
    primary_sql -c "ALTER SYSTEM SET wal_level = 'replica'"
    primary_sql -c "ALTER SYSTEM SET max_wal_senders = 10"
    pg_ctlcluster "$pg_version" "$(pg_lsclusters -h | awk '$3 == '"$primary_port"' {print $2}')" restart
  fi
  primary_sql <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$REPLICATOR') THEN
    CREATE ROLE $REPLICATOR REPLICATION LOGIN PASSWORD '$REPLICATOR_PASSWORD';
  END IF;
END \$\$;
SQL
  hba=$(primary_sql -c "SHOW hba_file")
  if ! grep -Eq "^host[[:space:]]+replication[[:space:]]+(all|$REPLICATOR)[[:space:]]+127\.0\.0\.1/32" "$hba"; then
    echo "host replication $REPLICATOR 127.0.0.1/32 scram-sha-256" >>"$hba"
    primary_sql -c "SELECT pg_reload_conf()" >/dev/null
  fi
}

start() {
  if [[ $(status) == streaming ]]; then
    echo "== the replica is already streaming on 127.0.0.1:$REPLICA_PORT"
    return
  fi
  replica_exists && pg_dropcluster --stop "$pg_version" "$REPLICA_NAME"
  prepare_primary
  pg_createcluster "$pg_version" "$REPLICA_NAME" -p "$REPLICA_PORT" >/dev/null
  data=$(pg_lsclusters -h | awk '$2 == "'"$REPLICA_NAME"'" {print $6}')
  find "$data" -mindepth 1 -delete
  echo "== copying the primary (127.0.0.1:$primary_port) with pg_basebackup"
  as_postgres env PGPASSWORD="$REPLICATOR_PASSWORD" pg_basebackup \
    -h 127.0.0.1 -p "$primary_port" -U "$REPLICATOR" -D "$data" \
    -R -X stream -c fast
  pg_ctlcluster "$pg_version" "$REPLICA_NAME" start
  for _ in $(seq 1 60); do
    [[ $(status) == streaming ]] && break
    sleep 1
  done
  [[ $(status) == streaming ]]
  echo "== the replica is streaming on 127.0.0.1:$REPLICA_PORT"
}

stop() {
  if replica_exists; then
    pg_dropcluster --stop "$pg_version" "$REPLICA_NAME"
  fi
  echo "== no replica"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
