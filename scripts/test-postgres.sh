#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#   scripts/test-postgres.sh start DIR   initdb + start on a free localhost port; writes the
#                                        connection URL to DIR/url and prints it
#   scripts/test-postgres.sh stop DIR    stops the cluster and removes it
# The cluster itself lives in a fresh directory under /tmp (named in DIR/cluster), which the
# server's user can reach wherever DIR is. As root the server runs as the 'postgres' user
# (PostgreSQL refuses to run as root). Tests trade durability for speed (fsync off);
# TEST_POSTGRES_DURABLE=1 keeps PostgreSQL's durable defaults, for benchmarks.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$pgbin/initdb" ]] || { echo "test-postgres: no PostgreSQL server; run scripts/install-deps.sh" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 30000 ))
    # /proc/net/tcp lists listening ports in hex
    if ! grep -qi ":$(printf '%04X' "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  return 1
}

case "$cmd" in
  start)
    "$0" stop "$dir"
    mkdir -p "$dir"
    cluster=$(mktemp -d /tmp/synthgate-pg.XXXXXX)
    echo "$cluster" > "$dir/cluster"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$cluster"; fi
    dir_state=$dir
    dir=$cluster
    as_owner "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [[ "${TEST_POSTGRES_DURABLE:-0}" == 1 ]] && speed=""
    for attempt in 1 2 3; do
      port=$(free_port)
      if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $speed" >/dev/null; then
        echo "postgresql://postgres@127.0.0.1:$port/postgres" > "$dir_state/url"
        cat "$dir_state/url"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$dir/cluster" ]]; then
      cluster=$(cat "$dir/cluster")
      if [[ -d "$cluster/data" ]]; then
        as_owner "$pgbin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
      fi
      [[ "$cluster" == /tmp/synthgate-pg.* ]] && rm -rf "$cluster"
    fi
    rm -f "$dir/url" "$dir/cluster"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
