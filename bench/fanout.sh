#!/usr/bin/env bash
# Benchmark 4: live fan-out. Opens N Server-Sent Events streams of /app/accounts/1/live with a
# signed-in session (examples/fanout.rs), posts a message through the API a few times and
# measures per client the time until its stream carried the event; reads the server's memory.
#
#   bench/fanout.sh                                  # 5,000 clients, demo data
#   bench/fanout.sh --clients 1000 --rounds 10 --data-dir /tmp/bench1m
#
# Writes a Markdown summary to bench/results/. See bench/README.md.
set -euo pipefail
ORIGINAL_ARGS=("$@")
source "$(dirname "$0")/lib.sh"

CLIENTS=5000
ROUNDS=5

usage() {
  cat <<'EOF'
usage: bench/fanout.sh [options]
  --clients N            SSE streams to open (default 5000)
  --rounds N             messages posted, one at a time (default 5)
EOF
  usage_common
}

while [ $# -gt 0 ]; do
  parse_common "$@"
  if [ "$SHIFT" -gt 0 ]; then shift "$SHIFT"; continue; fi
  case "$1" in
    --clients) [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] || die "--clients needs a number"; CLIENTS=$2; shift 2 ;;
    --rounds) [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] || die "--rounds needs a number"; ROUNDS=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

# Each stream is a file descriptor on both sides (and both run from this shell).
wanted=$((CLIENTS * 2 + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$wanted" ]; then
  ulimit -n "$wanted" 2>/dev/null || ulimit -n "$(ulimit -Hn)" ||
    die "cannot raise the open files limit to $wanted (ulimit -n); raise the hard limit"
  [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$wanted" ] ||
    die "the open files limit is $(ulimit -n), under the $wanted needed for $CLIENTS clients"
fi

need curl
need jq
need taskset util-linux
settle_data
build fanout
prepare_data
OUT=${OUT:-$(default_out fanout)}

pinning ""
start_oxidesk serve
sign_in
conversation=$(api_get "/api/v1/accounts/$ACCOUNT/conversations?status=all" | jq -r '.data.payload[0].id')
idle_rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$OXIDESK_PID/status")
result=$("${LOAD_PIN[@]}" "$TARGET_DIR/release/examples/fanout" --url "$OXIDESK_URL" --cookie "$COOKIE" \
  --token "$TOKEN" --conversation "$conversation" --clients "$CLIENTS" --rounds "$ROUNDS" \
  --pid "$OXIDESK_PID")
stop_pid "$OXIDESK_PID"

field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
{
  echo "# Live fan-out (bench/fanout.sh)"
  echo
  describe_run
  echo "- command: bench/fanout.sh $(printf '%q ' "${ORIGINAL_ARGS[@]}")"
  echo
  echo "| clients open | failed | opened in s | messages | deliveries | missed | p50 ms | p99 ms | max ms | RSS idle MB | RSS with clients MB | RSS after MB | peak RSS (VmHWM) MB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $(field clients "$result") | $(field failed "$result") | $(field open_seconds "$result") | $(field rounds "$result") | $(field deliveries "$result") | $(field missed "$result") | $(field p50_ms "$result") | $(field p99_ms "$result") | $(field max_ms "$result") | $idle_rss | $(field rss_open_mb "$result") | $(field rss_after_mb "$result") | $(field hwm_mb "$result") |"
  echo
  echo "Delivery time: from just before the message's POST until a client has read the event"
  echo "carrying it, over every client and message; the POST's own time is included. The median of"
  echo "the per-message time until the last client had it: $(field all_median_ms "$result") ms."
} | tee "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
note "results written to $OUT"
