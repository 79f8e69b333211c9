#!/usr/bin/env bash
# Benchmark 7: footprint. Binary size; start-up time (process start to the first accepted TCP
# connection, and to the first page answered) on the given database; idle memory after start;
# the bytes of the dashboard's pages.
#
#   bench/footprint.sh                               # demo data in a fresh SQLite dir
#   bench/footprint.sh --data-dir /tmp/bench1m       # start-up on a 1 M database
#
# Writes a Markdown summary to bench/results/. See bench/README.md.
set -euo pipefail
ORIGINAL_ARGS=("$@")
source "$(dirname "$0")/lib.sh"

STARTS=5

usage() {
  cat <<'EOF'
usage: bench/footprint.sh [options]
  --starts N             start-ups to time (default 5; the median is reported)
EOF
  usage_common
}

while [ $# -gt 0 ]; do
  parse_common "$@"
  if [ "$SHIFT" -gt 0 ]; then shift "$SHIFT"; continue; fi
  case "$1" in
    --starts) [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] || die "--starts needs a number"; STARTS=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

need curl
need jq
need gzip
settle_data
build
prepare_data
OUT=${OUT:-$(default_out footprint)}
pinning ""

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: >"$WORK/accept" >"$WORK/answer" >"$WORK/idle" >"$WORK/anon" >"$WORK/file"
for _ in $(seq 1 "$STARTS"); do
  port=$(free_port)
  started=$(now_ms)
  "${SERVER_PIN[@]}" "$BIN" serve --bind "127.0.0.1:$port" >>"$WORK/oxidesk.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$WORK/oxidesk.log" >&2; die "the server exited at start-up"; }
    [ $(($(now_ms) - started)) -lt 60000 ] || die "the server did not listen within 60 s"
  done
  echo $(($(now_ms) - started)) >>"$WORK/accept"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/app/login")" = 200 ]; do :; done
  echo $(($(now_ms) - started)) >>"$WORK/answer"
  sleep 2
  awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$pid/status" >>"$WORK/idle"
  awk '/^RssAnon:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$pid/status" >>"$WORK/anon"
  awk '/^RssFile:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$pid/status" >>"$WORK/file"
  stop_pid "$pid"
done

start_oxidesk serve
sign_in
sample_conversations
conversation=$(head -n 1 "$WORK/ids")
total=$TOTAL
page_bytes() { # $1 path -> "bytes (gzip bytes)"
  curl -s -H "Cookie: $COOKIE" "$OXIDESK_URL$1" -o "$WORK/page"
  echo "$(wc -c <"$WORK/page" | tr -d ' ') ($(gzip -c "$WORK/page" | wc -c | tr -d ' ') gzipped)"
}
list_bytes=$(page_bytes "/app/accounts/$ACCOUNT/conversations")
conversation_bytes=$(page_bytes "/app/accounts/$ACCOUNT/conversations/$conversation")
stop_pid "$OXIDESK_PID"

size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
stripped="n/a"
if command -v strip >/dev/null 2>&1; then
  strip -o "$WORK/oxidesk.stripped" "$BIN" && stripped=$(size_mb "$WORK/oxidesk.stripped")
fi
{
  echo "# Footprint (bench/footprint.sh)"
  echo
  describe_run
  echo "- data: ${total:-?} conversations"
  echo "- command: bench/footprint.sh $(printf '%q ' "${ORIGINAL_ARGS[@]}")"
  echo
  echo "| what | figure |"
  echo "|---|---:|"
  echo "| binary size (target/release/oxidesk) | $(size_mb "$BIN") (stripped: $stripped) |"
  echo "| start-up to first accepted connection, median of $STARTS | $(median <"$WORK/accept") ms |"
  echo "| start-up to first page answered (GET /app/login 200), median | $(median <"$WORK/answer") ms |"
  echo "| idle memory 2 s after start (VmRSS), median | $(median <"$WORK/idle") MB |"
  echo "| of it the process's own (RssAnon: heap, stacks, relocated data), median | $(median <"$WORK/anon") MB |"
  echo "| of it mapped from files (RssFile: the binary's code and libc, shared page cache), median | $(median <"$WORK/file") MB |"
  echo "| conversation list page bytes | $list_bytes |"
  echo "| conversation page bytes (#$conversation) | $conversation_bytes |"
  echo
  echo "Start-up times: $(paste -sd' ' "$WORK/accept") ms (accept); $(paste -sd' ' "$WORK/answer") ms (page)."
  echo "They include process start and opening the database (migrations check); the timer is this"
  echo "script's, polling a TCP connect without pause, so a few ms of it are the polling's."
} | tee "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
note "results written to $OUT"
