#!/usr/bin/env bash
# The scale benchmark of issue 11 (item 5): newsearch against Groonga on one
# generated corpus (10k, 100k or 1M articles), side by side in one run,
# alternating the engines where both apply. Not run by go test: a long run,
# started by hand, in the background, under nice, with its output in a file:
#
#   nice -n 10 internal/bench/scale.sh /tmp/corpus/gen-100k.jsonl /tmp/bench/100k > /tmp/bench/100k.log 2>&1 &
#   less /tmp/bench/100k/results.md
#
# At 10k it takes about 5 minutes on a 2-core machine; at 1M the two builds
# take most of it (hours). --reuse runs the query steps again on the indexes
# of an earlier run.
#
#   internal/bench/scale.sh FILE.jsonl OUT_DIR [options]
#     --next FILE      the 1,000 articles that follow FILE, for the add step
#                      (default: FILE without .jsonl + -next-1k.jsonl; write
#                      one with gencorpus -n 1000 -from N -out FILE). Both
#                      files need their FILE.needles.json beside them.
#     --bigram         also Groonga with TokenBigram (a third column)
#     --queries FILE   the query set (default $SHARED/eval/queries.txt)
#     --passes N       timed warm passes over the query set (default 10;
#                      benchstat wants at least 6 for a confidence interval)
#     --load-seconds N length of each wrk run (default 25)
#     --cold-runs N    runs per query in new processes (default 20)
#     --shards N       shards of the newsearch index (default: newsearch's)
#     --reuse          keep the indexes OUT_DIR already holds from a run on
#                      the same FILE (skip the builds; the add step too when
#                      that run got through it)
#     --no-profile     no CPU profile
#
# OUT_DIR (created; a previous run's files there are replaced) gets:
#   results.md       the human-readable results: machine, commit, load
#                    average at start and end, the table, each step's
#                    output, and every command run
#   figures.tsv      every figure as key<TAB>value (the table's input)
#   latency.tsv      raw warm samples: engine, pass, query, client ms,
#                    server ms (newsearch took_ms, Groonga's elapsed), hits
#   latency.bench    the same in Go benchmark format: compare two runs with
#                    benchstat A/latency.bench B/latency.bench, or the
#                    engines of one with benchstat -col /engine latency.bench
#   cold.tsv, needles.tsv, wrk-*.txt, cpu-*.pprof, *.time (GNU time -v),
#   newsearch-index/, groonga-mecab/ (and groonga-bigram/): the indexes.
#
# What it measures, all engines on the same file, in this order (numbered as
# in the issue's list and in results.md):
#   1. build from scratch: `newsearch index --quiet FILE` and groonga.sh
#      build (load + static index) under /usr/bin/time -v: wall, user+sys
#      CPU, peak RSS (of the process; for Groonga, the larger of its two
#      steps); size on disk (du of the index directory, Groonga: of its db
#      directory); raw text = bytes of title+body (UTF-8), also the JSON
#      Lines size; articles/s = articles / wall.
#   2. add the next 1,000: a `newsearch serve --cache 0` is started first;
#      `newsearch index --quiet FILE NEXT` is timed (FILE is unchanged:
#      newsearch hashes it and skips it); then
#      scalebench visible polls the server (every 20 ms) until /healthz
#      counts the new articles, the first and last new article answer by ID
#      and every needle of NEXT finds its new articles: the time from the
#      end of the add to then, or "not within 10s". Groonga: groonga.sh add
#      (a load into the indexed table).
#   3. warm latency: the query set against the running newsearch serve
#      (--cache 0: every request searches) and a Groonga HTTP server (cache=no)
#      on the same machine: the search-page request (top 10, all facets,
#      snippets; Groonga: groonga.sh's page mode, the line as a phrase, three
#      drilldowns, snippet_html; so newsearch counts six facets to Groonga's
#      three, and reads a line of several words as all of them, not as one
#      phrase), one warm-up pass then --passes timed passes,
#      engines alternated query by query, one request at a time over a kept
#      connection, timed by the client (scalebench latency): p50, p90, p99,
#      max over all samples, the server's own time, the p99 ratio, the five
#      slowest queries.
#   5. load: wrk -t2 -c16 --timeout 30s for --load-seconds, cycling the
#      query set (each engine in turn); requests/s, latency percentiles
#      (wrk's; a request over 30 s is a socket error, not a sample), and the
#      server's peak RSS during the run (VmHWM after resetting it through
#      /proc/PID/clear_refs; "whole run" is the serve's peak since it
#      started, through the add and the warm passes).
#   6. needles: every needle word of both manifests as a phrase: newsearch
#      query --json --limit 1000000 --facet none, Groonga limit -1; recall
#      and precision against the manifests.
#   4. new process: after the servers are stopped, `newsearch query --json
#      --limit 10` (all facets, snippets) and `groonga DB` with the page
#      select on stdin, alternated run by run, --cold-runs runs after 2
#      warm-up runs (so the page cache is warm: "new process", not "cold
#      disk"), over 日本 and 発表 (frequent words, as in the issue), the
#      needle with the most articles, the slowest warm query and the first
#      of the query set: median and p90 wall time, peak RSS of the process.
#   7. profile: the slowest warm query and 日本 searched again and again for
#      10 s in one process through the index library (scalebench profile):
#      cpu-*.pprof, and its top functions (cumulative and own time) in
#      results.md; go tool pprof -http :8000 OUT_DIR/bin/scalebench
#      OUT_DIR/cpu-1.pprof to browse it.
# Figures are from one run on a shared machine: the load average is
# recorded; compare engines within a run, runs by their ratios.
#
# Needs go, groonga (with groonga-tokenizer-mecab), wrk, GNU time, curl,
# python3, and SHARED (default: the repository's ../shared) for the query
# set and MeCab's ipadic configuration (as groonga.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "scale.sh: error: $*" >&2; exit 1; }

[ $# -ge 2 ] || usage
file=$1 out=$2; shift 2
next= bigram=0 queries= passes=10 load_s=25 cold_runs=20 shards= reuse=0 profile=1
while [ $# -gt 0 ]; do
  case $1 in
    --next) next=$2; shift 2 ;;
    --bigram) bigram=1; shift ;;
    --queries) queries=$2; shift 2 ;;
    --passes) passes=$2; shift 2 ;;
    --load-seconds) load_s=$2; shift 2 ;;
    --cold-runs) cold_runs=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --no-profile) profile=0; shift ;;
    -h | --help) usage ;;
    *) die "unknown option $1 (see $0 --help)" ;;
  esac
done
for n in passes load_s cold_runs; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "--${n//_/-} ${!n}: want a whole number of at least 1"
done

SHARED=${SHARED:-$repo/../shared}
[ -d "$SHARED" ] || die "$SHARED: no such folder (set SHARED to the shared folder, the one with eval/ and peers/)"
SHARED=$(cd "$SHARED" && pwd)
export SHARED
if [ -z "${MECABRC:-}" ] && [ -f "$SHARED/peers/mecabrc" ]; then export MECABRC=$SHARED/peers/mecabrc; fi
queries=${queries:-$SHARED/eval/queries.txt}
next=${next:-${file%.jsonl}-next-1k.jsonl}
[ -r "$file" ] || die "$file: not readable (write one with go run ./internal/bench/cmd/gencorpus -n N -out FILE.jsonl)"
[ -r "${file%.jsonl}.needles.json" ] || die "${file%.jsonl}.needles.json: not readable (gencorpus writes it beside FILE.jsonl)"
[ -r "$next" ] || die "$next: not readable (write the next 1,000 with go run ./internal/bench/cmd/gencorpus -n 1000 -from $(wc -l < "$file") -out $next, or give --next FILE)"
[ -r "${next%.jsonl}.needles.json" ] || die "${next%.jsonl}.needles.json: not readable (gencorpus writes it beside the file)"
[ -r "$queries" ] || die "$queries: not readable (one query a line)"
for c in go groonga wrk curl python3 /usr/bin/time; do command -v "$c" > /dev/null || die "$c not found"; done
file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
next=$(cd "$(dirname "$next")" && pwd)/$(basename "$next")

mkdir -p "$out"
out=$(cd "$out" && pwd)
nsidx=$out/newsearch-index
built=$out/built # the build and add steps' figures and sections, kept by --reuse
engines=(groonga-mecab)
[ $bigram = 1 ] && engines+=(groonga-bigram)
if [ $reuse = 1 ]; then
  [ -e "$nsidx/CURRENT" ] || die "--reuse: $nsidx holds no index"
  for g in "${engines[@]}"; do [ -e "$out/$g/db/docs.db" ] || die "--reuse: no $out/$g/db/docs.db"; done
  [ "$(cat "$built/corpus" 2> /dev/null)" = "$file" ] || die "--reuse: $out was built from $(cat "$built/corpus" 2> /dev/null || echo "an unknown file"), not $file"
fi
rm -rf "$out/sections" "$out/bin"
rm -f "$out"/{figures.tsv,commands.txt,results.md,latency.tsv,latency.bench,cold.tsv,needles.tsv,slowest.txt,cold-queries.txt} "$out"/wrk-*.txt "$out"/cpu-*.pprof
mkdir -p "$out/sections" "$out/bin"
printf '## Steps (start time, load average over 1, 5, 15 min)\n\n' > "$out/sections/05-steps"
figs=$out/figures.tsv
started=$(date -Is)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# q ARGS...: the arguments as one shell line, quoted where need be.
q() {
  local a s=
  for a; do
    if [[ $a =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then s+="$a "; else s+="'${a//\'/\'\\\'\'}' "; fi
  done
  printf '%s' "${s% }"
}
# run ARGS...: log the command, then run it.
run() { q "$@" >> "$out/commands.txt"; echo >> "$out/commands.txt"; "$@"; }
# fig KEY VALUE: one figure; bfig: one of the build or add steps.
fig() { printf '%s\t%s\n' "$1" "$2" >> "$figs"; }
bfig() { printf '%s\t%s\n' "$1" "$2" >> "$built/figures.tsv"; }
# section NAME: stdin goes into results.md under NAME (in file name order);
# bsection: a section of the build or add steps.
section() { cat > "$out/sections/$1"; }
bsection() { cat > "$built/$1"; }
step() { # step WHAT: say what starts, with the load average, in the log and in results.md
  local line; line="$(date +%T) $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "scale.sh: $line" >&2
  echo "- $line" >> "$out/sections/05-steps"
}

# timed NAME CMD...: run CMD under /usr/bin/time -v (report in NAME.time,
# output in NAME.out and NAME.err); sets T_WALL, T_CPU (user+sys), T_RSS
# (kB) and T_END (Unix ns when CMD ended).
timed() {
  local name=$1 rc=0; shift
  q "$@" >> "$out/commands.txt"; echo >> "$out/commands.txt"
  /usr/bin/time -v -o "$out/$name.time" "$@" > "$out/$name.out" 2> "$out/$name.err" || rc=$?
  T_END=$(date +%s%N)
  [ $rc = 0 ] || { cat "$out/$name.err" "$out/$name.time" >&2; die "$name: exit status $rc (see $out/$name.err)"; }
  read -r T_WALL T_CPU T_RSS < <(awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { m = $2 }
    END { printf "%.2f %.2f %d\n", w, u + s, m }' "$out/$name.time")
}

pids=()
stop() { # stop PID: end a process this script started, and wait for it
  kill "$1" 2> /dev/null || true
  wait "$1" 2> /dev/null || true
}
assemble() {
  local status=$1
  {
    echo "# newsearch scale benchmark: $(basename "$file")"
    echo
    echo "- run: $started to $(date -Is), $status"
    echo "- corpus: $file; next 1,000: $next; queries: $queries ($(grep -c . "$queries") lines)"
    echo "- machine: $(hostname), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/ { print $2 }') GiB; niceness $(nice)"
    echo "- load average (1, 5, 15 min): at start $load_start; at end $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare engines within a run, runs by ratios)"
    echo "- newsearch commit: $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- . 2> /dev/null || echo ' (with uncommitted changes)'); $(go version | cut -d' ' -f3-); $(groonga --version | head -1 | cut -d' ' -f1-2); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
    [ $reuse = 0 ] || echo "- --reuse: the indexes, and the figures of the build and add steps, are those of the run started $(cat "$built/started" 2> /dev/null)"
    echo "- raw text = bytes of title+body (UTF-8); MB = 10^6 bytes; RSS in MiB-based MB (kB/1024)"
    echo
    echo "## Results"
    echo
    cat "$built/figures.tsv" "$figs" 2> /dev/null | "$out/bin/scalebench" table /dev/stdin 2> /dev/null || echo "(no table: scalebench table failed)"
    echo
    local s
    for s in $(cd "$out" && ls -d built/[0-9]* sections/[0-9]* 2> /dev/null | awk -F/ '{ print $2 "\t" $0 }' | sort | cut -f2); do
      cat "$out/$s"; echo
    done
    echo "## Commands"
    echo
    echo '```'
    cat "$out/commands.txt" 2> /dev/null
    echo '```'
  } > "$out/results.md"
}
finish() {
  local rc=$?
  for p in "${pids[@]}"; do stop "$p"; done
  if [ $rc = 0 ]; then assemble "complete"; else assemble "FAILED (exit status $rc; see the log)"; fi
  echo "scale.sh: results in $out/results.md" >&2
}
trap finish EXIT

echo "cd $(q "$repo")" >> "$out/commands.txt"
step "building newsearch and scalebench"
(cd "$repo" && run go build -o "$out/bin/newsearch" ./cmd/newsearch && run go build -o "$out/bin/scalebench" ./internal/bench/cmd/scalebench)
ns=$out/bin/newsearch sb=$out/bin/scalebench
{ printf '## Corpus\n\n'; run "$sb" textsize -figures "$figs" "$file"; } | section 00-corpus
nnext=$(wc -l < "$next")

# gsize DIR: bytes allocated under DIR.
gsize() { du -sB1 "$1" | cut -f1; }

# ---- 1. build
if [ $reuse = 0 ]; then
  step "1. build: newsearch"
  rm -rf "$nsidx" "$built"
  mkdir -p "$built"
  echo "$started" > "$built/started"
  timed newsearch-build "$ns" index --quiet --index "$nsidx" ${shards:+--shards "$shards"} "$file"
  bfig newsearch.build.wall_s "$T_WALL"; bfig newsearch.build.cpu_s "$T_CPU"; bfig newsearch.build.rss_kb "$T_RSS"
  bfig newsearch.build.size_bytes "$(gsize "$nsidx")"
  {
    echo "## 1. Build from scratch"
    echo
    echo "newsearch: $(cat "$out/newsearch-build.out")"
    echo "newsearch: wall $T_WALL s, CPU $T_CPU s ($(awk -v c="$T_CPU" -v w="$T_WALL" 'BEGIN { printf "%.0f", 100 * c / w }')% of the wall time: the rest waited for a core or the disk), peak RSS $((T_RSS / 1024)) MB, $(gsize "$nsidx") bytes on disk (du)"
  } | bsection 10-build
  for g in "${engines[@]}"; do
    step "1. build: $g"
    tok=TokenMecab; [ "$g" = groonga-bigram ] && tok=TokenBigram
    run env WORK="$out" "$here/groonga.sh" build "$file" "$tok" "$out/$g" > "$out/$g-build.tsv"
    read -r lw lu ls lm < "$out/$g/load.time"
    read -r iw iu is im < "$out/$g/index.time"
    bfig "$g.build.wall_s" "$(awk -v a="$lw" -v b="$iw" 'BEGIN { printf "%.2f", a + b }')"
    bfig "$g.build.cpu_s" "$(awk -v a="$lu" -v b="$ls" -v c="$iu" -v d="$is" 'BEGIN { printf "%.2f", a + b + c + d }')"
    bfig "$g.build.rss_kb" "$((lm > im ? lm : im))"
    bfig "$g.build.size_bytes" "$(gsize "$out/$g/db")"
    {
      echo "$g (groonga.sh build: file docs jsonl_MB tokenizer load_s index_s total_s cpu_s peak_rss_MB db_MB index_MB):"
      echo "    $(cat "$out/$g-build.tsv")"
    } >> "$built/10-build"
  done
  echo "$file" > "$built/corpus"
fi
fig newsearch.shards "$("$ns" stats --index "$nsidx" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["shards"])')"

# ---- start the newsearch server (before the add: it must see the add)
port=$("$sb" freeport)
step "starting newsearch serve on port $port"
q "$ns" serve --index "$nsidx" --addr "127.0.0.1:$port" --cache 0 >> "$out/commands.txt"; echo " &" >> "$out/commands.txt"
"$ns" serve --index "$nsidx" --addr "127.0.0.1:$port" --cache 0 > "$out/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
"$sb" wait -url "http://127.0.0.1:$port/healthz" > /dev/null
nsurl=http://127.0.0.1:$port
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# ---- 2. add 1,000 (once: a --reuse run finds them added)
if [ ! -e "$built/added" ]; then
  step "2. add $nnext articles: newsearch"
  before=$(curl -sf "$nsurl/healthz" | python3 -c 'import json, sys; print(json.load(sys.stdin)["articles"])')
  timed newsearch-add "$ns" index --quiet --index "$nsidx" "$file" "$next"
  bfig newsearch.add.wall_s "$T_WALL"; bfig newsearch.add.cpu_s "$T_CPU"; bfig newsearch.add.rss_kb "$T_RSS"
  add_summary=$(cat "$out/newsearch-add.out")
  vis=$(run "$sb" visible -url "$nsurl" -next "$next" -articles $((before + nnext)) -manifest "${next%.jsonl}.needles.json" -since "$T_END" -figures "$built/figures.tsv")
  bfig newsearch.add.size_bytes "$(gsize "$nsidx")"
  {
    echo "## 2. Add $nnext articles to the built index"
    echo
    echo "newsearch (newsearch index FILE NEXT, with a serve running): $add_summary"
    echo "newsearch: wall $T_WALL s, CPU $T_CPU s, peak RSS $((T_RSS / 1024)) MB; the server had $before articles; $vis"
  } | bsection 20-add
  for g in "${engines[@]}"; do
    step "2. add $nnext articles: $g"
    run "$here/groonga.sh" add "$out/$g/db/docs.db" "$next" > "$out/$g-add.tsv"
    read -r _ _ w c m _ < "$out/$g-add.tsv"
    bfig "$g.add.wall_s" "$w"; bfig "$g.add.cpu_s" "$c"; bfig "$g.add.rss_kb" "$(awk '{ print $4 }' "$out/$g/add.time")"
    echo "$g (groonga.sh add: file docs wall_s cpu_s peak_rss_MB db_MB): $(cat "$out/$g-add.tsv")" >> "$built/20-add"
  done
  touch "$built/added"
fi

# ---- Groonga HTTP servers
declare -A gurl gpid
for g in "${engines[@]}"; do
  gp=$("$sb" freeport)
  cmd=(groonga --log-path "$out/$g/http.log" --query-log-path /dev/null --protocol http -s --bind-address 127.0.0.1 --port "$gp" "$out/$g/db/docs.db")
  q "${cmd[@]}" >> "$out/commands.txt"; echo " &" >> "$out/commands.txt"
  "${cmd[@]}" > "$out/$g/http.out" 2>&1 &
  gpid[$g]=$!
  pids+=("$!")
  gurl[$g]=http://127.0.0.1:$gp
  "$sb" wait -url "${gurl[$g]}/d/status" > /dev/null
done
eng_args=(-engine "newsearch=$nsurl")
for g in "${engines[@]}"; do eng_args+=(-engine "$g=${gurl[$g]}"); done

# ---- 3. warm latency
step "3. warm latency, $passes passes"
{
  echo "## 3. Warm latency (client-measured, one request at a time)"
  echo
  echo '```'
  run "$sb" latency "${eng_args[@]}" -queries "$queries" -passes "$passes" -raw "$out/latency.tsv" \
    -bench "$out/latency.bench" -slowest-out "$out/slowest.txt" -figures "$figs"
  echo '```'
} | section 30-latency

# ---- 5. load
{
  echo "## 5. Under load: wrk -t2 -c16 -d${load_s}s --timeout 30s --latency, cycling the query set"
  echo
} | section 50-load
load() { # load NAME URL PID KIND
  local name=$1 url=$2 pid=$3 kind=$4
  step "5. load: $name"
  "$sb" paths -kind "$kind" -queries "$queries" > "$out/paths-$name.txt"
  local life; life=$(hwm "$pid")
  echo 5 > "/proc/$pid/clear_refs"
  run env PATHS="$out/paths-$name.txt" wrk -t2 -c16 -d"${load_s}s" --timeout 30s --latency -s "$here/wrk-cycle.lua" "$url" > "$out/wrk-$name.txt"
  local peak; peak=$(hwm "$pid")
  fig "$name.wrk.rss_kb" "$peak"
  fig "$name.serve.rss_kb" "$((life > peak ? life : peak))"
  "$sb" wrk -engine "$name" -figures "$figs" "$out/wrk-$name.txt"
  {
    echo "$name (server peak RSS during the run: $((peak / 1024)) MB; since it started: $(((life > peak ? life : peak) / 1024)) MB):"
    echo '```'
    cat "$out/wrk-$name.txt"
    echo '```'
  } >> "$out/sections/50-load"
  sleep 2
}
load newsearch "$nsurl" "$serve_pid" newsearch
for g in "${engines[@]}"; do load "$g" "${gurl[$g]}" "${gpid[$g]}" groonga; done

# ---- 6. needles
step "6. needles"
mans=(-manifest "${file%.jsonl}.needles.json" -manifest "${next%.jsonl}.needles.json")
"$sb" needle-queries "${mans[@]}" > "$out/needle-queries.txt"
run "$ns" query --index "$nsidx" --json --limit 1000000 --facet none --queries-from "$out/needle-queries.txt" > "$out/needles-newsearch.jsonl"
gargs=()
for g in "${engines[@]}"; do gargs+=(-engine "$g=${gurl[$g]}"); done
{
  echo "## 6. Needles (both manifests: the index holds both files)"
  echo
  echo '```'
  run "$sb" needles "${mans[@]}" -newsearch-json "$out/needles-newsearch.jsonl" "${gargs[@]}" -raw "$out/needles.tsv" -figures "$figs"
  echo '```'
} | section 60-needles

# ---- stop the servers
step "stopping the servers"
for p in "${pids[@]}"; do stop "$p"; done
pids=()

# ---- 4. new process
step "4. new process, $cold_runs runs per query"
{
  echo 日本
  echo 発表
  python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(max(sorted(m), key=lambda w: len(m[w])))' "${file%.jsonl}.needles.json"
  head -1 "$out/slowest.txt"
  grep -m1 . "$queries"
} | awk '!seen[$0]++' > "$out/cold-queries.txt"
cargs=()
for g in "${engines[@]}"; do cargs+=(-groonga "$g=$out/$g/db/docs.db"); done
{
  echo "## 4. One query in a new process (page cache warm)"
  echo
  echo '```'
  run "$sb" cold -newsearch "$ns" -index "$nsidx" "${cargs[@]}" -queries "$out/cold-queries.txt" -runs "$cold_runs" \
    -raw "$out/cold.tsv" -figures "$figs"
  echo '```'
} | section 40-cold

# ---- 7. profile
if [ $profile = 1 ]; then
  {
    echo "## 7. CPU profiles (in process, through the index library)"
    echo
  } | section 70-profile
  i=0
  { head -1 "$out/slowest.txt"; echo 日本; } | awk '!seen[$0]++' | while IFS= read -r pq; do
    i=$((i + 1))
    step "7. profile: $pq"
    {
      echo '```'
      run "$sb" profile -index "$nsidx" -query "$pq" -cpuprofile "$out/cpu-$i.pprof"
      echo "top 30 by cumulative time:"
      go tool pprof -top -cum -nodecount 30 "$sb" "$out/cpu-$i.pprof" 2> /dev/null | sed -n '/^ *flat/,$p'
      echo "top 15 by own time:"
      go tool pprof -top -nodecount 15 "$sb" "$out/cpu-$i.pprof" 2> /dev/null | sed -n '/^ *flat/,$p'
      echo '```'
      echo
    } >> "$out/sections/70-profile"
  done
fi
step "done"
