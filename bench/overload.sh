#!/usr/bin/env bash
# Overload run (docs/PERFORMANCE.md, "Under overload"): the demo on a fresh SQLite database,
# release build.
#  1. the sustainable rate of the conversation list: wrk, 16 connections, 10 s (closed loop);
#  2. an open-loop run (examples/overload.rs) at half that rate for 10 s, four times it for 30 s,
#     half again for 20 s; every 10th request posts a message through the API;
#  3. every message the server acknowledged (2xx) must be in the database afterwards.
# Usage: bench/overload.sh   (PORT=3100 by default; RATE=... skips the wrk measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/oxidesk
GEN=${GEN:-target/release/examples/overload}
cargo build --release -p oxidesk --bin oxidesk
[[ -x $GEN ]] || cargo build --release -p oxidesk --example overload
PORT=${PORT:-3100}
DIR=$(mktemp -d)
export OXIDESK_DATA_DIR=$DIR OXIDESK_LOG_LEVEL=warn OXIDESK_SECRET_KEY=overload-bench-secret-0123456789abcdef
"$BIN" demo --bind "127.0.0.1:$PORT" >/dev/null 2>"$DIR/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
TOKEN=$("$BIN" token create --email admin@acme.example --name overload)
BASE=http://127.0.0.1:$PORT
LIST=/api/v1/accounts/1/conversations
CONV=$(curl -sf -H "api_access_token: $TOKEN" "$BASE$LIST" | jq '.data.payload[0].id')
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(date -u +%FT%TZ)"
echo "limits in force:"; "$BIN" config print | sed -n '/\[limits\]/,$p'
if [[ -z ${RATE:-} ]]; then
  echo "== sustainable rate: wrk -t2 -c16 -d10s $LIST"
  WRK=$(wrk -t2 -c16 -d10s -H "api_access_token: $TOKEN" "$BASE$LIST")
  echo "$WRK" | grep -E "Latency|Requests/sec|Non-2xx" || true
  RATE=$(echo "$WRK" | awk '/Requests\/sec/ {printf "%d", $2}')
fi
HALF=$((RATE / 2)); OVER=$((RATE * 4))
echo "== open loop: $HALF/s for 10 s, $OVER/s (4x) for 30 s, $HALF/s for 20 s; every 10th a POST"
"$GEN" --url "$BASE" --token "$TOKEN" --get "$LIST" \
  --post "/api/v1/accounts/1/conversations/$CONV/messages" --post-every 10 \
  --phases "$HALF:10,$OVER:30,$HALF:20" --acked "$DIR/acked.txt"
ACKED=$(wc -l <"$DIR/acked.txt")
IDS=$(paste -sd, "$DIR/acked.txt")
FOUND=$(sqlite3 "$DIR/oxidesk.db" "SELECT COUNT(*) FROM messages WHERE id IN (${IDS:-0})")
echo "== acknowledged messages in the database: $FOUND of $ACKED"
if grep -q panicked "$DIR/server.log"; then echo "the server panicked:"; cat "$DIR/server.log"; exit 1; fi
[[ $FOUND == "$ACKED" ]] || { echo "LOST $((ACKED - FOUND)) acknowledged messages"; exit 1; }
