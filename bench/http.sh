#!/usr/bin/env bash
# Benchmarks 1, 2 and 5: the agent API's reads, contact search and the dashboard's pages, each
# beside the ceiling (examples/ceiling.rs) measured by the same wrk in the same run.
#
#   bench/http.sh                                   # demo data in a fresh SQLite dir
#   bench/http.sh --data-dir /tmp/bench1m           # an existing SQLite data dir
#   bench/http.sh --database-url postgres://postgres@127.0.0.1:5432/bench1m
#   bench/http.sh --only 'list|meta' --connections 16 --seconds 30
#
# Prints a Markdown table (req/s, p50, p99, errors, ratio to the ceiling's req/s at the same
# connection count) and writes it to bench/results/. See bench/README.md.
set -euo pipefail
ORIGINAL_ARGS=("$@")
source "$(dirname "$0")/lib.sh"

CONNECTIONS="16 64"
PAGE_CONNECTIONS="1 16"
ONLY=""

usage() {
  cat <<'EOF'
usage: bench/http.sh [options]
  --connections "16 64"       wrk connection counts for the API scenarios
  --page-connections "1 16"   connection counts for the dashboard pages
  --only REGEX                run only the scenarios whose name matches (e.g. 'list|meta')
EOF
  usage_common
}

while [ $# -gt 0 ]; do
  parse_common "$@"
  if [ "$SHIFT" -gt 0 ]; then shift "$SHIFT"; continue; fi
  case "$1" in
    --connections) [ $# -ge 2 ] || die "--connections needs a list"; CONNECTIONS=$2; shift 2 ;;
    --page-connections) [ $# -ge 2 ] || die "--page-connections needs a list"; PAGE_CONNECTIONS=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs a regex"; ONLY=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
for c in $CONNECTIONS $PAGE_CONNECTIONS; do [[ $c =~ ^[0-9]+$ ]] && [ "$c" -ge 1 ] || die "bad connection count $c"; done

need curl
need jq
need wrk
need taskset util-linux
settle_data
build ceiling
prepare_data
OUT=${OUT:-$(default_out http)}

pinning ""
start_oxidesk serve
sign_in

# --- The scenarios: name -> a file of paths (rotated by bench/wrk/rotate.lua). ---
API=/api/v1/accounts/$ACCOUNT
SCEN=$WORK/scenarios
mkdir -p "$SCEN"
sample_conversations
first_page=$FIRST_PAGE
deep_cursor=$DEEP_CURSOR
inbox_id=$(api_get "$API/inboxes" | jq -r '(if type == "array" then . else .payload end)[0].id')
team_id=$(api_get "$API/teams" | jq -r '(if type == "array" then . else .payload end)[0].id // empty')
label=$(api_get "$API/labels" | jq -r '(if type == "array" then . else .payload end)[0].title // empty')
# Search words: the first names of the first page's contacts.
jq -r '.data.payload[].meta.sender.name // empty' <<<"$first_page" | awk '{ print tolower($1) }' |
  grep -E '^[a-z]{3,}$' | sort -u | head -n 8 >"$WORK/words" || true
[ -s "$WORK/words" ] || echo "a" >"$WORK/words"

sed "s#^#$API/conversations/#" "$WORK/ids" >"$SCEN/conversation"
sed "s#^#$API/conversations/#; s#\$#/messages#" "$WORK/ids" >"$SCEN/messages"
for s in open resolved pending snoozed all; do echo "$API/conversations?status=$s" >"$SCEN/list-status-$s"; done
for a in me unassigned assigned all; do echo "$API/conversations?status=all&assignee_type=$a" >"$SCEN/list-assignee-$a"; done
echo "$API/conversations?status=all&inbox_id=$inbox_id" >"$SCEN/list-inbox"
[ -z "$team_id" ] || echo "$API/conversations?status=all&team_id=$team_id" >"$SCEN/list-team"
[ -z "$label" ] || echo "$API/conversations?status=all&labels%5B%5D=$label" >"$SCEN/list-label"
sed "s#^#$API/conversations?status=all\&q=#" "$WORK/words" >"$SCEN/list-search"
echo "$API/conversations?status=all&after=$deep_cursor" >"$SCEN/list-deep-page"
echo "$API/conversations/meta?status=all" >"$SCEN/meta"
sed "s#^#$API/contacts/search?q=#" "$WORK/words" >"$SCEN/contact-search"
head -n 5 "$WORK/ids" | sed "s#^#/app/accounts/$ACCOUNT/conversations/#" >"$SCEN/page-conversation"
echo "/app/accounts/$ACCOUNT/conversations" >"$SCEN/page-list"

ORDER=(conversation messages list-status-open list-status-resolved list-status-pending
  list-status-snoozed list-status-all list-assignee-me list-assignee-unassigned
  list-assignee-assigned list-assignee-all list-inbox list-team list-label list-search
  list-deep-page meta contact-search page-list page-conversation)
SELECTED=()
for name in "${ORDER[@]}"; do
  [ -f "$SCEN/$name" ] || { note "skipping $name (the account has none to filter by)"; continue; }
  if [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]]; then continue; fi
  SELECTED+=("$name")
done
[ ${#SELECTED[@]} -gt 0 ] || die "--only '$ONLY' matches no scenario (${ORDER[*]})"

for name in "${SELECTED[@]}"; do
  if [[ $name == page-* ]]; then
    BENCH_TOKEN="" BENCH_COOKIE=$COOKIE preflight "$SCEN/$name" "$OXIDESK_URL"
  else
    BENCH_TOKEN=$TOKEN BENCH_COOKIE="" preflight "$SCEN/$name" "$OXIDESK_URL"
  fi
done
stop_pid "$OXIDESK_PID"

# --- Measure, for each server core count asked (or once, unpinned / half the cores). ---
{
  echo "# HTTP benchmarks (bench/http.sh)"
  echo
  describe_run wrk
  echo "- data: $TOTAL conversations in account $ACCOUNT"
  echo "- command: bench/http.sh $(printf '%q ' "${ORIGINAL_ARGS[@]}")"
  echo
  echo "Ratio: Oxidesk's req/s over the ceiling's (examples/ceiling.rs, a fixed JSON body) at the"
  echo "same connection count, measured just before in the same run. Errors: non-2xx answers and"
  echo "socket errors (must be 0)."
  echo
} >"$OUT.tmp"

core_counts=${SERVER_CORES:-default}
for cores in ${core_counts//,/ }; do
  if [ "$cores" != default ] && [ "$cores" -gt "$NPROC" ]; then
    note "skipping --server-cores $cores: the machine has $NPROC"
    continue
  fi
  [ "$cores" = default ] && pinning "" || pinning "$cores"
  start_ceiling
  start_oxidesk serve
  label_cores=$([ "$cores" = default ] && echo "" || echo " (server on $cores cores)")
  {
    echo "## $TOTAL conversations, $DB_KIND$label_cores"
    echo
    echo "| scenario | conns | req/s | p50 ms | p99 ms | errors | ratio to ceiling |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
  } | tee -a "$OUT.tmp"
  declare -A CEIL=()
  wanted_conns=""
  for name in "${SELECTED[@]}"; do
    if [[ $name == page-* ]]; then wanted_conns="$wanted_conns $PAGE_CONNECTIONS"; else wanted_conns="$wanted_conns $CONNECTIONS"; fi
  done
  all_conns=$(printf '%s\n' $wanted_conns | sort -n -u)
  for c in $all_conns; do
    BENCH_TOKEN="" BENCH_COOKIE="" run_wrk "$c" "$CEILING_URL" "/"
    CEIL[$c]=$RPS
    echo "| ceiling | $c | $RPS | $P50 | $P99 | $ERRORS | 100% |" | tee -a "$OUT.tmp"
  done
  for name in "${SELECTED[@]}"; do
    if [[ $name == page-* ]]; then conns=$PAGE_CONNECTIONS; tok=""; cook=$COOKIE; else conns=$CONNECTIONS; tok=$TOKEN; cook=""; fi
    for c in $conns; do
      BENCH_TOKEN=$tok BENCH_COOKIE=$cook run_wrk "$c" "$OXIDESK_URL" "$SCEN/$name"
      echo "| $name | $c | $RPS | $P50 | $P99 | $ERRORS | $(ratio "$RPS" "${CEIL[$c]}") |" | tee -a "$OUT.tmp"
    done
  done
  echo | tee -a "$OUT.tmp"
  stop_pid "$OXIDESK_PID"
  stop_pid "$CEILING_PID"
done
{
  echo "Scenarios: \`conversation\` and \`messages\` rotate over 25 ids from mid-list; \`list-*\`"
  echo "are \`GET /conversations\` with one filter each (\`list-search\` rotates q over contact first"
  echo "names: $(paste -sd, "$WORK/words"); \`list-deep-page\` starts after a cursor in the middle"
  echo "of the list); \`meta\` the counts; \`contact-search\` rotates the same words; \`page-*\` are the"
  echo "dashboard's HTML pages with a session cookie (at 1 connection, latency ≈ server time)."
} >>"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
note "results written to $OUT"
