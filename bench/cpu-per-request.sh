#!/usr/bin/env bash
# Server CPU time per request of one scenario, a figure a loaded box disturbs much less than
# req/s: starts `oxidesk serve`, reads 25 ids of the first `status=all` page, warms up for 1 s,
# runs wrk, and divides the server's utime + stime (/proc/PID/stat) by the requests wrk
# completed (on PostgreSQL also the CPU of the database's backends, `db-cpu-us/req`: there the
# SQL's work is not in the server's process). No ceiling, no results file: for before/after
# pairs (docs/PERFORMANCE.md, "One conversation, sixth pass").
#
#   bench/cpu-per-request.sh BIN DATA_DIR|POSTGRES_URL [conversation|messages|list|search] [CONNS] [SECONDS]
#
# `list` is the first page of `status=open` (the list of every other scenario's 25 ids);
# `search` the first page of `status=all&q=<first name>`, eight names in turn.
set -euo pipefail
BIN=$1; DATA=$2; SCEN=${3:-conversation}; C=${4:-64}; SECS=${5:-8}
export OXIDESK_LOG_LEVEL=warn
if [[ $DATA == postgres* ]]; then export OXIDESK_DATABASE_URL=$DATA; export OXIDESK_DATA_DIR=${TMPDIR:-/tmp}/oxidesk-cpu-pg; mkdir -p ${TMPDIR:-/tmp}/oxidesk-cpu-pg; else export OXIDESK_DATA_DIR=$DATA; unset OXIDESK_DATABASE_URL; fi
PORT=${PORT:-38124}
TOKEN=$($BIN token create --email admin@acme.example --name prof 2>/dev/null)
$BIN serve --bind 127.0.0.1:$PORT >${TMPDIR:-/tmp}/oxidesk-cpu-serve.log 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null' EXIT
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PORT/health && break; sleep 0.2; done
API=/api/v1/accounts/1/conversations
ids=$(curl -s -H "api_access_token: $TOKEN" "http://127.0.0.1:$PORT$API?status=all" | jq -r '.data.payload[].id' | head -25)
P=${TMPDIR:-/tmp}/oxidesk-cpu-paths-$PORT; : > $P
# `search`: first names of the generated contacts, in turn (bench/http.sh's list-search).
WORDS=(chloe kenji noah elena priya hugo liam pedro); n=0
for id in $ids; do
  case $SCEN in
    messages) echo "$API/$id/messages" ;;
    list) echo "$API?status=open" ;;
    search) echo "$API?status=all&q=${WORDS[$((n++ % ${#WORDS[@]}))]}" ;;
    *) echo "$API/$id" ;;
  esac >> $P
done
first=$(head -1 $P)
export BENCH_TOKEN=$TOKEN BENCH_PATHS=$P
# warm
wrk -t1 -c4 -d1s -s $(dirname "$0")/wrk/rotate.lua "http://127.0.0.1:$PORT$first" >/dev/null
# PostgreSQL: the CPU of the database's backends too (those connected to this database: the
# server's pool; a backend that ends meanwhile is missed).
pgcpu() { if [[ $DATA == postgres* ]]; then for p in $(psql "$DATA" -XtAc "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); do cat /proc/$p/stat 2>/dev/null; done | awk '{s += $14 + $15} END {print s + 0}'; else echo 0; fi; }
g0=$(pgcpu)
t0=$(awk '{print $14+$15}' /proc/$SPID/stat)
wrk -t2 -c$C -d${SECS}s --latency -s $(dirname "$0")/wrk/rotate.lua "http://127.0.0.1:$PORT$first" > ${TMPDIR:-/tmp}/oxidesk-cpu-wrk-$PORT
t1=$(awk '{print $14+$15}' /proc/$SPID/stat)
g1=$(pgcpu)
n=$(awk '/requests in/ {print $1}' ${TMPDIR:-/tmp}/oxidesk-cpu-wrk-$PORT)
rps=$(awk '/Requests\/sec/ {print $2}' ${TMPDIR:-/tmp}/oxidesk-cpu-wrk-$PORT)
p99=$(awk '$1=="99%" {print $2}' ${TMPDIR:-/tmp}/oxidesk-cpu-wrk-$PORT)
tck=$(getconf CLK_TCK)
awk -v a=$t0 -v b=$t1 -v g=$g0 -v h=$g1 -v n=$n -v t=$tck -v r=$rps -v p=$p99 'BEGIN { printf "req/s %s p99 %s requests %d server-cpu-us/req %.2f db-cpu-us/req %.2f\n", r, p, n, (b-a)/t*1e6/n, (h-g)/t*1e6/n }'
