# Shared by the benchmark scripts (bench/*.sh): options, building, servers on loopback ports,
# sign-in, wrk runs, the machine's description. Sourced, not run.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET_DIR/release/oxidesk
CEILING_BIN=$TARGET_DIR/release/examples/ceiling
ADMIN_EMAIL=admin@acme.example
ADMIN_PASSWORD=oxidesk-admin
ACCOUNT=1

# Options every script takes (see usage_common).
DATA_DIR=""
DATABASE_URL=""
SEED_DEMO=0
GENERATE=0
GENERATOR_BIN=""
SECONDS_EACH=10
WARMUP_SECONDS=1
OUT=""
BUILD=1
SERVER_CORES=""
KEEP=0

WORK=$(mktemp -d /tmp/oxidesk-bench.XXXXXX)
PIDS=()

die() {
  echo "bench: $*" >&2
  exit 2
}

note() { echo "bench: $*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then
    note "logs and scratch files kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

usage_common() {
  cat <<'EOF'
Data (one of; default: a fresh SQLite data dir seeded with the demo account):
  --data-dir DIR         an existing Oxidesk SQLite data dir (OXIDESK_DATA_DIR)
  --database-url URL     an existing database, e.g. postgres://postgres@127.0.0.1:5432/bench
  --demo                 seed the demo account first if it is missing (`oxidesk demo`)
  --generate N           first fill the database with `oxidesk generate --conversations N --messages 5N`
  --generator-bin PATH   the oxidesk binary to run `generate` with (default: the one built here)
Run:
  --seconds N            length of each measurement (default 10)
  --warmup N             seconds of the same load before each measurement, not counted (default 1;
                         0: measure from a cold start, each database connection's first statements
                         planned and its caches empty)
  --server-cores LIST    e.g. 1,2,4,8: repeat with the server (and the ceiling) pinned to that many
                         cores (counts above the machine's are skipped)
  --out FILE             results file (default: bench/results/<script>-<db>-<date>.md)
  --no-build             use the release binaries already in target/release
  --keep                 keep the scratch dir (server logs) under /tmp
EOF
}

# Parses one common option at "$@"; sets SHIFT to the number of words it took (0: not one).
parse_common() {
  SHIFT=0
  case "$1" in
    --data-dir) [ $# -ge 2 ] || die "--data-dir needs a directory"; DATA_DIR=$2; SHIFT=2 ;;
    --database-url) [ $# -ge 2 ] || die "--database-url needs a URL"; DATABASE_URL=$2; SHIFT=2 ;;
    --demo) SEED_DEMO=1; SHIFT=1 ;;
    --generate)
      [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] || die "--generate needs a number of conversations"
      GENERATE=$2; SHIFT=2 ;;
    --generator-bin) [ $# -ge 2 ] || die "--generator-bin needs a path"; GENERATOR_BIN=$2; SHIFT=2 ;;
    --seconds)
      [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] || die "--seconds needs a whole number >= 1"
      SECONDS_EACH=$2; SHIFT=2 ;;
    --warmup)
      [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] || die "--warmup needs a whole number of seconds (0: none)"
      WARMUP_SECONDS=$2; SHIFT=2 ;;
    --server-cores)
      [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--server-cores needs a list like 1,2,4,8"
      SERVER_CORES=$2; SHIFT=2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a file"; OUT=$2; SHIFT=2 ;;
    --no-build) BUILD=0; SHIFT=1 ;;
    --keep) KEEP=1; SHIFT=1 ;;
  esac
}

# After the options: checks them and settles where the data is.
settle_data() {
  if [ -n "$DATA_DIR" ] && [ -n "$DATABASE_URL" ]; then
    die "give --data-dir or --database-url, not both"
  fi
  if [ -z "$DATA_DIR" ] && [ -z "$DATABASE_URL" ]; then
    DATA_DIR=$WORK/data
    [ "$GENERATE" -gt 0 ] || SEED_DEMO=1
    note "no --data-dir or --database-url: a fresh SQLite data dir in $DATA_DIR"
  fi
  if [ -n "$DATA_DIR" ]; then
    mkdir -p "$DATA_DIR"
    DATA_DIR=$(cd "$DATA_DIR" && pwd)
    DB_KIND=sqlite
    export OXIDESK_DATA_DIR=$DATA_DIR
    unset OXIDESK_DATABASE_URL
  else
    case "$DATABASE_URL" in
      postgres://* | postgresql://*) DB_KIND=postgres ;;
      sqlite://*) DB_KIND=sqlite ;;
      *) die "--database-url must start with postgres:// or sqlite://" ;;
    esac
    export OXIDESK_DATABASE_URL=$DATABASE_URL
    # The signing key lives in the data dir; a scratch one will do for a benchmark.
    export OXIDESK_DATA_DIR=${OXIDESK_DATA_DIR:-$WORK/data}
    mkdir -p "$OXIDESK_DATA_DIR"
  fi
  export OXIDESK_LOG_LEVEL=${OXIDESK_LOG_LEVEL:-warn}
  unset OXIDESK_BIND
}

# Installs a Debian package when its command is missing (as .ci/run does for chromium).
need() {
  local command=$1 package=${2:-$1}
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    note "installing $package (for $command)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } >/dev/null ||
      die "could not install $package; install it and run again"
  else
    die "$command is missing: install the Debian package $package (apt-get install $package)"
  fi
  command -v "$command" >/dev/null 2>&1 || die "$command is still missing after installing $package"
}

# Builds the release binary and the given examples (unless --no-build).
build() {
  local args=(build --release -p oxidesk)
  local example
  for example in "$@"; do args+=(--example "$example"); done
  if [ "$BUILD" = 1 ]; then
    need cargo cargo
    # The binary on its own: built with the examples, it would get the features that the
    # dev-dependencies turn on in shared crates, and not be the binary a user builds.
    note "building: cargo build --release -p oxidesk --bin oxidesk"
    (cd "$ROOT" && cargo build --release -p oxidesk --bin oxidesk >&2) || die "the release build failed"
    if [ $# -gt 0 ]; then
      note "building: cargo ${args[*]}"
      (cd "$ROOT" && cargo "${args[@]}" >&2) || die "the release build of the examples failed"
    fi
  fi
  [ -x "$BIN" ] || die "$BIN is missing: build it (cargo build --release -p oxidesk) or drop --no-build"
  for example in "$@"; do
    [ -x "$TARGET_DIR/release/examples/$example" ] ||
      die "example $example is missing: cargo build --release -p oxidesk --example $example"
  done
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    # Below Linux's ephemeral range (32768-60999), where outgoing connections take ports.
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  die "found no free port on 127.0.0.1"
}

# taskset prefixes: the server on its cores, the load generator on the others (>= 4 cores only).
NPROC=$(nproc)
pinning() { # $1: server cores (empty: the default)
  local cores=$1
  SERVER_PIN=()
  LOAD_PIN=()
  if [ -n "$cores" ]; then
    SERVER_PIN=(taskset -c "0-$((cores - 1))")
    if [ "$NPROC" -ge 4 ] && [ "$cores" -lt "$NPROC" ]; then
      LOAD_PIN=(taskset -c "$cores-$((NPROC - 1))")
    fi
  elif [ "$NPROC" -ge 4 ]; then
    local half=$((NPROC / 2))
    SERVER_PIN=(taskset -c "0-$((half - 1))")
    LOAD_PIN=(taskset -c "$half-$((NPROC - 1))")
  fi
  if [ ${#LOAD_PIN[@]} -gt 0 ]; then
    LOAD_CORES=$((NPROC - ${cores:-$((NPROC / 2))}))
  else
    LOAD_CORES=$NPROC
  fi
}

# Waits until $1 (http://...) answers anything; $2 the pid that must stay alive, $3 its log.
# Returns 1 when the process exited first (after showing its log, unless it lost a race for
# its port: then the caller tries another).
wait_http() {
  local url=$1 pid=$2 log=$3 i
  for i in $(seq 1 600); do
    if curl -s -o /dev/null --max-time 1 "$url"; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      if ! tail -n 3 "$log" | grep -q "in use"; then
        tail -n 20 "$log" >&2 || true
        die "the server exited before answering (log above: $log)"
      fi
      return 1
    fi
    sleep 0.1
  done
  tail -n 20 "$log" >&2 || true
  die "the server did not answer $url within 60 s"
}

# Starts the ceiling; sets CEILING_URL and CEILING_PID.
start_ceiling() {
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    "${SERVER_PIN[@]}" "$CEILING_BIN" --bind "127.0.0.1:$port" 2>>"$WORK/ceiling.log" &
    CEILING_PID=$!
    PIDS+=("$CEILING_PID")
    CEILING_URL=http://127.0.0.1:$port
    wait_http "$CEILING_URL/" "$CEILING_PID" "$WORK/ceiling.log" && return 0
  done
  die "the ceiling found no free port in 5 tries"
}

# Starts `oxidesk serve` (or $1, e.g. demo); sets OXIDESK_URL and OXIDESK_PID.
start_oxidesk() {
  local command=${1:-serve} port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    "${SERVER_PIN[@]}" "$BIN" "$command" --bind "127.0.0.1:$port" >>"$WORK/oxidesk.log" 2>&1 &
    OXIDESK_PID=$!
    PIDS+=("$OXIDESK_PID")
    OXIDESK_URL=http://127.0.0.1:$port
    wait_http "$OXIDESK_URL/app/login" "$OXIDESK_PID" "$WORK/oxidesk.log" && return 0
  done
  die "oxidesk found no free port in 5 tries"
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Seeds or generates data as asked, then checks that the demo account is there.
prepare_data() {
  if [ "$GENERATE" -gt 0 ]; then
    local generator=${GENERATOR_BIN:-$BIN}
    "$generator" generate --help >/dev/null 2>&1 ||
      die "$generator has no \`generate\` command yet: pass --generator-bin PATH to a build that has it"
    note "generating $GENERATE conversations ($((GENERATE * 5)) messages) with $generator"
    "$generator" generate --conversations "$GENERATE" --messages "$((GENERATE * 5))" >&2 ||
      die "oxidesk generate failed"
  fi
  if [ "$SEED_DEMO" = 1 ]; then
    pinning ""
    start_oxidesk demo
    stop_pid "$OXIDESK_PID"
  fi
}

# The API token of the demo administrator (TOKEN), and a signed-in session cookie (COOKIE).
sign_in() {
  TOKEN=$("$BIN" token create --email "$ADMIN_EMAIL" --name "benchmark" 2>"$WORK/token.err") || {
    cat "$WORK/token.err" >&2
    die "could not create an API token for $ADMIN_EMAIL: is the demo account there? (--demo or --generate N)"
  }
  local jar=$WORK/cookies page csrf
  page=$(curl -s -c "$jar" -b "$jar" "$OXIDESK_URL/app/login")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -n 1 | sed 's/.*value="//; s/"$//')
  [ -n "$csrf" ] || die "the login page has no CSRF field"
  curl -s -o /dev/null -c "$jar" -b "$jar" \
    --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
    --data-urlencode "csrf=$csrf" "$OXIDESK_URL/app/login"
  local session
  session=$(awk '$6 == "oxidesk_session" { print $7 }' "$jar" | tail -n 1)
  [ -n "$session" ] || die "signing in as $ADMIN_EMAIL failed (password $ADMIN_PASSWORD?)"
  COOKIE="oxidesk_session=$session"
}

# GET with the token; the body on stdout, dies on a non-200 answer.
api_get() {
  local path=$1 out=$WORK/api.out status
  status=$(curl -s -o "$out" -w '%{http_code}' -H "api_access_token: $TOKEN" "$OXIDESK_URL$path")
  [ "$status" = 200 ] || die "GET $path answered $status: $(head -c 300 "$out")"
  cat "$out"
}

# Picks the conversations to read: writes 25 ids from the middle of the list (typical
# generated ones, not the newest, which bench/ingest.sh fills with thousands of messages) to
# $WORK/ids, or the first page's when the list is short. Sets TOTAL (conversations in the
# account), FIRST_PAGE (its JSON) and DEEP_CURSOR (an `after` cursor in the middle of the list).
sample_conversations() {
  local api=/api/v1/accounts/$ACCOUNT max_id mid_id mid activity
  FIRST_PAGE=$(api_get "$api/conversations?status=all")
  TOTAL=$(jq -r '.data.meta.all_count // .data.meta.counts.all_count' <<<"$FIRST_PAGE")
  jq -r '.data.payload[].id' <<<"$FIRST_PAGE" >"$WORK/ids"
  [ -s "$WORK/ids" ] || die "the account has no conversations: seed it (--demo) or --generate N"
  max_id=$(sort -n "$WORK/ids" | tail -n 1)
  mid_id=$((max_id / 2))
  [ "$mid_id" -ge 1 ] || mid_id=1
  mid=$(curl -s -H "api_access_token: $TOKEN" "$OXIDESK_URL$api/conversations/$mid_id")
  activity=$(jq -r '.last_activity_at // empty' <<<"$mid" 2>/dev/null || true)
  [ -n "$activity" ] || activity=$(jq -r '.data.payload[-1].last_activity_at' <<<"$FIRST_PAGE")
  # Everything active before #mid_id's last activity: a position deep in the pages, reached
  # without paging there first (the cursor is `last_activity_at.id`; the largest id takes
  # all of that second).
  DEEP_CURSOR="$activity.9223372036854775807"
  api_get "$api/conversations?status=all&after=$DEEP_CURSOR" | jq -r '.data.payload[].id' >"$WORK/deep-ids"
  if [ "$(wc -l <"$WORK/deep-ids")" -ge 5 ]; then
    cp "$WORK/deep-ids" "$WORK/ids"
  fi
}

# Checks that every path in file $1 answers 200 (with token or cookie as in the env).
preflight() {
  local file=$1 path status
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    status=$(curl -s -o "$WORK/preflight.out" -w '%{http_code}' \
      ${BENCH_TOKEN:+-H "api_access_token: $BENCH_TOKEN"} ${BENCH_COOKIE:+-H "Cookie: $BENCH_COOKIE"} \
      "$2$path")
    [ "$status" = 200 ] || die "preflight: GET $path answered $status: $(head -c 300 "$WORK/preflight.out")"
  done <"$file"
}

# Converts wrk's latency text (850.00us, 1.23ms, 1.02s) to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000; else if (v ~ /s$/) n = n * 1000
    printf "%.3f", n }'
}

# Runs wrk: $1 connections, $2 base URL, $3 path file (or a single path); env BENCH_TOKEN,
# BENCH_COOKIE. Sets RPS, P50, P99, ERRORS.
run_wrk() {
  local connections=$1 base=$2 paths=$3 threads out=$WORK/wrk.out first
  threads=$LOAD_CORES
  [ "$threads" -le "$connections" ] || threads=$connections
  if [ -f "$paths" ]; then
    first=$(head -n 1 "$paths")
    export BENCH_PATHS=$paths
  else
    first=$paths
    export BENCH_PATHS=""
  fi
  # The warm-up: the same load, not counted, so that the measurement is of a server in its
  # steady state (PostgreSQL plans each pooled connection's statements anew for their first
  # five executions, 3-100 ms a plan: at 16 connections those requests alone were p99).
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    "${LOAD_PIN[@]}" wrk -t "$threads" -c "$connections" -d "${WARMUP_SECONDS}s" --timeout 10s \
      -s "$BENCH_DIR/wrk/rotate.lua" "$base$first" >"$out" 2>&1 || {
      cat "$out" >&2
      die "wrk failed (warm-up)"
    }
  fi
  "${LOAD_PIN[@]}" wrk -t "$threads" -c "$connections" -d "${SECONDS_EACH}s" --timeout 10s --latency \
    -s "$BENCH_DIR/wrk/rotate.lua" "$base$first" >"$out" 2>&1 || {
    cat "$out" >&2
    die "wrk failed"
  }
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  local non2xx errors
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")
  ERRORS=$((${non2xx:-0} + ${errors:-0}))
  [ -n "$RPS" ] || { cat "$out" >&2; die "could not read wrk's output"; }
  # No request finished within the measurement: no latency to report (wrk prints zeros).
  if [ "$RPS" = 0 ]; then
    P50="-"
    P99="-"
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f%%", 100 * a / b; else print "n/a" }'; }

# The machine and the run, as Markdown lines.
describe_run() {
  local commit memory cpu
  commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(cd "$ROOT" && git status --porcelain -- crates 2>/dev/null)" ]; then commit="$commit (+ uncommitted changes)"; fi
  memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $commit"
  echo "- machine: $NPROC cores (${cpu:-unknown cpu}), $memory memory, $(uname -sr); load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
  if [ "$NPROC" -ge 4 ]; then
    echo "- pinning: server and load generator on separate cores (taskset)"
  else
    echo "- pinning: none (fewer than 4 cores: server and load generator share them)"
  fi
  echo "- database: $DB_KIND ${DATA_DIR:+($DATA_DIR)}${DATABASE_URL:+($(sed -E 's#://[^@/]*@#://#' <<<"$DATABASE_URL"))}"
  if [ "${1:-}" = wrk ]; then
    echo "- load generator: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), ${SECONDS_EACH} s a measurement after ${WARMUP_SECONDS} s of warm-up (not counted)"
  fi
}

default_out() { # $1: script name
  mkdir -p "$BENCH_DIR/results"
  echo "$BENCH_DIR/results/$1-$DB_KIND-$(date -u +%Y%m%d-%H%M).md"
}
