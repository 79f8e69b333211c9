#!/usr/bin/env bash
# Work per ingested message, figures a loaded box disturbs much less than msgs/s: seeds the demo
# into a fresh data directory (SQLite) or the given fresh PostgreSQL database, runs
# examples/ingest (16 connections) for SECONDS against `oxidesk serve`, and divides by the
# acknowledged messages the server's CPU time (utime + stime, /proc/PID/stat) and its threads'
# voluntary context switches (/proc/PID/task/*/status: each is a wait for another thread,
# e.g. the sqlx-sqlite writer waiting for its next command). No ceiling, no results file: for
# before/after pairs (docs/PERFORMANCE.md, "Ingest, seventh pass").
#
#   bench/ingest-work.sh BIN INGEST_BIN sqlite|POSTGRES_URL [SECONDS]
set -euo pipefail
BIN=$1; ING=$2; DB=$3; SECS=${4:-8}
W=$(mktemp -d "${TMPDIR:-/tmp}/oxidesk-ingest-work.XXXX")
export OXIDESK_LOG_LEVEL=warn OXIDESK_DATA_DIR=$W/data
if [ "$DB" = sqlite ]; then unset OXIDESK_DATABASE_URL; else export OXIDESK_DATABASE_URL=$DB; fi
PORT=$((20000 + RANDOM % 20000))
up() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/app/login" && return; sleep 0.2; done; }
"$BIN" demo --bind "127.0.0.1:$PORT" >"$W/demo.log" 2>&1 & P=$!
up; kill $P; wait $P || true
if [ "$DB" = sqlite ]; then
  INBOX=$(sqlite3 "$W/data/oxidesk.db" "SELECT inbox_identifier FROM inboxes WHERE channel_type = 'api' LIMIT 1")
else
  INBOX=$(psql -qtA "$DB" -c "SELECT inbox_identifier FROM inboxes WHERE channel_type = 'api' LIMIT 1")
fi
"$BIN" serve --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 & P=$!
trap 'kill $P 2>/dev/null' EXIT
up
switches() { for t in /proc/$P/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"; done | sort; }
cpu() { awk '{print $14 + $15}' "/proc/$P/stat"; }
switches >"$W/before"; c0=$(cpu)
r=$("$ING" --url "http://127.0.0.1:$PORT" --inbox "$INBOX" --connections 16 --seconds "$SECS")
switches >"$W/after"; c1=$(cpu)
field() { tr ' ' '\n' <<<"$r" | awk -F= -v k="$1" '$1 == k {print $2}'; }
acked=$(field acked)
echo "$r"
echo "server CPU ms per 1000 msgs: $(((c1 - c0) * 10 * 1000 / acked))"
join "$W/before" "$W/after" | awk -v n="$acked" '
  { d = $5 - $3; s[$2] += d; all += d; if (d > m[$2]) m[$2] = d }
  END { printf "context switches per msg: %.2f\n", all / n
        for (k in s) if (s[k] > 0) printf "  %s: %.2f (busiest thread %.2f)\n", k, s[k] / n, m[k] / n }'
