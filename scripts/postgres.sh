#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for the test suite.
#   scripts/postgres.sh start DIR   -> prints a postgres:// URL on stdout
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh resume DIR  -> starts a stopped cluster again on its port
set -euo pipefail
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; fi
# initdb refuses to run as root; the Debian package's postgres user runs it.
as_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
  start)
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U kalmia --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    echo "$port" >"$dir/port"
    "$0" resume "$dir"
    ;;
  resume)
    port=$(cat "$dir/port")
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    echo "postgres://kalmia@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
esac
