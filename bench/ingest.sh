#!/usr/bin/env bash
# Benchmark 3: messages posted through the public client API (examples/ingest.rs), beside the
# ceiling; then the durability check: a run during which the server is killed with kill -9,
# every acknowledged message id recorded by the client, and all of them looked up in the
# database after a restart.
#
#   bench/ingest.sh                                   # demo data in a fresh SQLite dir
#   bench/ingest.sh --data-dir /tmp/bench1m --seconds 30
#   bench/ingest.sh --database-url postgres://postgres@127.0.0.1:5432/bench1m
#
# Writes a Markdown summary to bench/results/. See bench/README.md.
set -euo pipefail
ORIGINAL_ARGS=("$@")
source "$(dirname "$0")/lib.sh"

CONNECTIONS=16
KILL_SECONDS=10
SECONDS_EACH=30

usage() {
  cat <<'EOF'
usage: bench/ingest.sh [options]
  --connections N        concurrent customers posting (default 16)
  --kill-seconds N       length of the kill -9 run; the kill comes halfway (default 10)
  (--seconds defaults to 30 here: the sustained run)
EOF
  usage_common
}

while [ $# -gt 0 ]; do
  parse_common "$@"
  if [ "$SHIFT" -gt 0 ]; then shift "$SHIFT"; continue; fi
  case "$1" in
    --connections) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--connections needs a number"; CONNECTIONS=$2; shift 2 ;;
    --kill-seconds) [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 2 ] || die "--kill-seconds needs a number >= 2"; KILL_SECONDS=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

need curl
need jq
need taskset util-linux
settle_data
if [ "$DB_KIND" = sqlite ]; then need sqlite3; else need psql postgresql-client; fi
build ceiling ingest
prepare_data
OUT=${OUT:-$(default_out ingest)}
INGEST=$TARGET_DIR/release/examples/ingest

pinning ""
start_oxidesk serve
sign_in
inbox=$(api_get "/api/v1/accounts/$ACCOUNT/inboxes" |
  jq -r '[(if type == "array" then . else .payload end)[] | select(.channel_type == "Channel::Api")][0].inbox_identifier // empty')
[ -n "$inbox" ] || die "the account has no API inbox (the demo account has one: --demo)"
stop_pid "$OXIDESK_PID"

# Counts how many of the ids in file $1 are in the messages table.
count_in_database() {
  local file=$1
  if [ "$DB_KIND" = sqlite ]; then
    local db=${DATABASE_URL#sqlite://}
    [ -n "$DATABASE_URL" ] || db=$DATA_DIR/oxidesk.db
    db=${db%%\?*}
    sqlite3 "$db" <<EOF
CREATE TEMP TABLE acked (id INTEGER PRIMARY KEY);
.import $file acked
SELECT count(*) FROM acked WHERE id IN (SELECT id FROM messages);
EOF
  else
    psql -qtA "$DATABASE_URL" \
      -c "CREATE TEMP TABLE acked (id BIGINT PRIMARY KEY)" \
      -c "\\copy acked FROM '$file'" \
      -c "SELECT count(*) FROM acked WHERE id IN (SELECT id FROM messages)"
  fi
}

field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

{
  echo "# Public client API ingest (bench/ingest.sh)"
  echo
  describe_run
  echo "- command: bench/ingest.sh $(printf '%q ' "${ORIGINAL_ARGS[@]}")"
  echo "- load generator: examples/ingest.rs, ${SECONDS_EACH} s a measurement"
  echo "- $CONNECTIONS connections, each a customer posting to its own conversation back to back"
  echo
  echo "| run | seconds | acked msgs | msgs/s | p50 ms | p99 ms | max ms | rejected | failed | ratio to ceiling |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT.tmp"

row() { # $1 run name, $2 the client's key=value line, $3 ceiling's msgs/s
  local r=$2
  echo "| $1 | $(field seconds "$r") | $(field acked "$r") | $(field per_second "$r") | $(field p50_ms "$r") | $(field p99_ms "$r") | $(field max_ms "$r") | $(field rejected "$r") | $(field failed "$r") | $(ratio "$(field per_second "$r")" "$3") |" | tee -a "$OUT.tmp"
}

core_counts=${SERVER_CORES:-default}
for cores in ${core_counts//,/ }; do
  if [ "$cores" != default ] && [ "$cores" -gt "$NPROC" ]; then
    note "skipping --server-cores $cores: the machine has $NPROC"
    continue
  fi
  [ "$cores" = default ] && pinning "" || pinning "$cores"
  suffix=$([ "$cores" = default ] && echo "" || echo " ($cores server cores)")
  start_ceiling
  ceiling=$("${LOAD_PIN[@]}" "$INGEST" --url "$CEILING_URL" --ceiling --connections "$CONNECTIONS" --seconds "$SECONDS_EACH")
  stop_pid "$CEILING_PID"
  row "ceiling$suffix" "$ceiling" "$(field per_second "$ceiling")"
  start_oxidesk serve
  result=$("${LOAD_PIN[@]}" "$INGEST" --url "$OXIDESK_URL" --inbox "$inbox" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH")
  stop_pid "$OXIDESK_PID"
  row "oxidesk$suffix" "$result" "$(field per_second "$ceiling")"
done

# --- Durability: kill -9 halfway through a run, restart, look every acknowledged id up. ---
pinning ""
start_oxidesk serve
acked=$WORK/acked.txt
"$INGEST" --url "$OXIDESK_URL" --inbox "$inbox" --connections "$CONNECTIONS" \
  --seconds "$KILL_SECONDS" --acked "$acked" >"$WORK/kill-run.txt" &
client=$!
PIDS+=("$client")
sleep $((KILL_SECONDS / 2))
kill -9 "$OXIDESK_PID"
wait "$OXIDESK_PID" 2>/dev/null || true
killed_at=$(date -u +%H:%M:%S)
wait "$client" || die "the ingest client failed during the kill run"
kill_run=$(cat "$WORK/kill-run.txt")
start_oxidesk serve
acked_count=$(wc -l <"$acked" | tr -d ' ')
found=$(count_in_database "$acked" | tail -n 1)
stop_pid "$OXIDESK_PID"
lost=$((acked_count - found))
row "kill -9 run (killed at ${killed_at})" "$kill_run" "0"
{
  echo
  echo "Durability: the server was killed with \`kill -9\` $((KILL_SECONDS / 2)) s into a ${KILL_SECONDS} s run;"
  echo "after a restart, **$found of $acked_count** acknowledged (2xx) message ids are in the database"
  echo "(**$lost lost**). Requests in flight at the kill count as failed, not acknowledged."
  echo
  echo "Columns: acked = 2xx answers carrying a message id; rejected = other answers; failed ="
  echo "connection errors (the kill, then reconnection attempts while the server is down)."
} | tee -a "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
note "results written to $OUT"
[ "$lost" -eq 0 ] || die "$lost acknowledged messages are missing after kill -9"
