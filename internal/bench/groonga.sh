#!/usr/bin/env bash
# The Groonga side of the scale benchmarks (issue 11): load a generated JSON
# Lines corpus (internal/bench/cmd/gencorpus) into Groonga, index it with
# TokenMecab or TokenBigram, and answer queries on the warm database, so that
# newsearch's figures can be put beside Groonga's from the same run.
# Not run by go test.
#
#   internal/bench/groonga.sh build FILE.jsonl TokenMecab|TokenBigram [DB_DIR]
#       Creates DB_DIR (default $WORK/NAME-mecab or NAME-bigram, NAME = the
#       file's name without .jsonl; WORK=/tmp/newsearch-groonga) anew:
#         load:  table Docs (TABLE_HASH_KEY, _key = id; title ShortText, body
#                LongText, url, category, source ShortText, published Time,
#                tags ShortText vector), records streamed from the file
#                (awk renames "id" to "_key"; no copy of the corpus is made);
#         index: lexicon Terms (TABLE_PAT_KEY, the tokenizer, NormalizerAuto)
#                and Terms.docs_index COLUMN_INDEX|WITH_POSITION|WITH_SECTION on
#                title,body, built statically after the load, as
#                ../shared/peers/build_groonga.sh does on the real corpus.
#       Each step runs under /usr/bin/time -v. Prints, and appends to
#       $WORK/build.tsv, one TSV line:
#         file docs jsonl_MB tokenizer load_s index_s total_s cpu_s peak_rss_MB db_MB index_MB
#       (cpu_s = user+sys of both steps; peak_rss_MB = the larger step's
#       maximum RSS, which counts the mapped database pages Groonga touches;
#       db_MB = allocated size of DB_DIR; index_MB = Terms + Terms.docs_index;
#       MB = 10^6 bytes). Fails unless every command answers rc 0 and the
#       load reports one record per line of the file.
#
#   internal/bench/groonga.sh query DB QUERIES [--repeat N] [--mode phrase|page]
#       One long-running `groonga DB` process answers every line of QUERIES
#       (stdin commands, cache no), once to warm up and then N times (default
#       5), timed by the client. Prints per query
#         engine<TAB>query<TAB>hits<TAB>median_ms<TAB>ids
#       and on stderr the median, p95, p99 and max over all samples.
#       --mode phrase (default): the line as a phrase on title,body, every hit
#         (limit -1), ids sorted: the format of ../shared/peers/query.py and
#         ../shared/eval/score.py.
#       --mode page: what a search page asks: the phrase, limit 10 by score,
#         drilldowns on category, source and tags (10 values each), and
#         _key, title and snippet_html(body) of each hit; ids = the top 10.
#
#   internal/bench/groonga.sh needles DB MANIFEST.needles.json
#       Runs each needle word of the manifest as a phrase and compares the
#       hits with the listed IDs: word, listed, found, missing, extra.
#
# Example, the 100k corpus (commands and figures in the lead's benchmark note):
#   go run ./internal/bench/cmd/gencorpus -n 100000 -out /tmp/corpus/gen-100k.jsonl
#   internal/bench/groonga.sh build /tmp/corpus/gen-100k.jsonl TokenMecab
#   internal/bench/groonga.sh query /tmp/newsearch-groonga/gen-100k-mecab/db/docs.db ../shared/eval/queries.txt --mode page
#   internal/bench/groonga.sh needles /tmp/newsearch-groonga/gen-100k-mecab/db/docs.db /tmp/corpus/gen-100k.needles.json
#
# TokenMecab uses mecab-ipadic-utf8 through ../shared/peers/mecabrc when it is
# there (as the peer scripts do), else MeCab's default dictionary.
# Needs groonga (apt-get install groonga-bin groonga-tokenizer-mecab), awk,
# python3 and GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$here/../../../shared}
WORK=${WORK:-/tmp/newsearch-groonga}
if [ -z "${MECABRC:-}" ] && [ -f "$SHARED/peers/mecabrc" ]; then
  export MECABRC=$SHARED/peers/mecabrc
fi

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "groonga.sh: error: $*" >&2; exit 1; }
command -v groonga > /dev/null || die "groonga not found (apt-get install groonga-bin groonga-tokenizer-mecab)"

# timed OUT CMD... : run CMD (stdin passes through) under /usr/bin/time -v;
# OUT gets "wall user sys maxrss_kB".
timed() {
  local out=$1 tf; shift
  tf=$(mktemp)
  /usr/bin/time -v -o "$tf" "$@" || { cat "$tf" >&2; rm -f "$tf"; return 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { m = $2 }
    END { printf "%s %s %s %s\n", w, u, s, m }' "$tf" > "$out"
  rm -f "$tf"
}

build() {
  [ $# -ge 2 ] || usage
  local file=$1 tok=$2 eng
  case $tok in TokenMecab) eng=mecab ;; TokenBigram) eng=bigram ;;
    *) die "tokenizer $tok: want TokenMecab or TokenBigram" ;; esac
  [ -r "$file" ] || die "$file: not readable (write one with go run ./internal/bench/cmd/gencorpus -n N -out FILE.jsonl)"
  head -c 7 "$file" | grep -q '^{"id":' || die "$file: lines must start with {\"id\": (a gencorpus file)"
  local name; name=$(basename "$file" .jsonl)
  local dir=${3:-$WORK/$name-$eng}
  rm -rf "$dir"; mkdir -p "$dir/db"
  local db=$dir/db/docs.db g=(groonga --log-path "$dir/groonga.log")
  local docs; docs=$(wc -l < "$file")

  {
    printf '%s\n' \
      'table_create Docs TABLE_HASH_KEY ShortText' \
      'column_create Docs title COLUMN_SCALAR ShortText' \
      'column_create Docs body COLUMN_SCALAR LongText' \
      'column_create Docs url COLUMN_SCALAR ShortText' \
      'column_create Docs published COLUMN_SCALAR Time' \
      'column_create Docs category COLUMN_SCALAR ShortText' \
      'column_create Docs source COLUMN_SCALAR ShortText' \
      'column_create Docs tags COLUMN_VECTOR ShortText' \
      'load --table Docs' '['
    awk 'NR > 1 { print "," } { sub(/^\{"id":/, "{\"_key\":"); print }' "$file"
    echo ']'
  } | timed "$dir/load.time" "${g[@]}" -n "$db" > "$dir/load.out"
  printf '%s\n' \
    "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer $tok --normalizer NormalizerAuto" \
    'column_create Terms docs_index COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs title,body' |
    timed "$dir/index.time" "${g[@]}" "$db" > "$dir/index.out"

  if grep -qv '^\[\[0,' "$dir/load.out" "$dir/index.out"; then die "a groonga command failed, see $dir/load.out, $dir/index.out and $dir/groonga.log"; fi
  local loaded; loaded=$(tail -1 "$dir/load.out" | grep -o '\],[0-9]*\]$' | tr -dc 0-9)
  [ "$loaded" = "$docs" ] || die "loaded $loaded of $docs records, see $dir/groonga.log"

  local index_bytes; index_bytes=$(python3 - "$db" <<'EOF'
import glob, json, os, subprocess, sys
db, total = sys.argv[1], 0
for name in ("Terms", "Terms.docs_index"):
    out = subprocess.run(["groonga", "--log-path", os.devnull, db, "object_inspect", name],
                         capture_output=True, text=True, check=True).stdout
    oid = json.loads(out)[1]["id"]
    total += sum(os.stat(p).st_blocks * 512 for p in glob.glob("%s.%07X*" % (db, oid)))
print(total)
EOF
)
  local db_bytes; db_bytes=$(du -sB1 "$dir/db" | cut -f1)
  read -r lw lu ls lm < "$dir/load.time"
  read -r iw iu is im < "$dir/index.time"
  mkdir -p "$WORK"
  awk -v f="$file" -v d="$docs" -v sz="$(stat -c %s "$file")" -v tok="$tok" \
      -v lw="$lw" -v lu="$lu" -v ls="$ls" -v lm="$lm" -v iw="$iw" -v iu="$iu" -v is="$is" -v im="$im" \
      -v db="$db_bytes" -v ix="$index_bytes" 'BEGIN {
    printf "%s\t%d\t%.1f\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.1f\t%.1f\n", f, d, sz / 1e6, tok,
      lw, iw, lw + iw, lu + ls + iu + is, (lm > im ? lm : im) / 1024, db / 1e6, ix / 1e6 }' |
    tee -a "$WORK/build.tsv"
  echo "groonga.sh: database $db" >&2
}

runpy() { # runpy MODE ARGS...: the query and needles runners
  python3 - "$@" <<'EOF'
import json, math, os, statistics, subprocess, sys, time, urllib.parse

mode, db = sys.argv[1], sys.argv[2]
p = subprocess.Popen(["groonga", "--log-path", os.devnull, db],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def phrase(q):
    return '"' + q.replace("\\", "\\\\").replace('"', '\\"') + '"'

def ask(args):
    t = time.perf_counter()
    p.stdin.write(("/d/select?" + urllib.parse.urlencode(args) + "\n").encode())
    p.stdin.flush()
    line = p.stdout.readline()
    dt = (time.perf_counter() - t) * 1000
    head, body = json.loads(line)
    if head[0] != 0:
        sys.exit("groonga.sh: groonga error %s for %s" % (head, args["query"]))
    res = body[0]
    return res[0][0], [r[0] for r in res[2:]], dt

def select(q, page):
    a = {"table": "Docs", "match_columns": "title,body", "query": phrase(q), "cache": "no"}
    if page:
        a.update(limit="10", sort_keys="-_score", output_columns="_key,title,snippet_html(body)",
                 drilldown="category,source,tags", drilldown_limit="10")
    else:
        a.update(limit="-1", output_columns="_key")
    return ask(a)

def pct(xs, q):
    xs = sorted(xs)
    return xs[max(0, math.ceil(q / 100 * len(xs)) - 1)]

if mode == "needles":
    man = json.load(open(sys.argv[3], encoding="utf-8"))
    print("word\tlisted\tfound\tmissing\textra")
    bad = 0
    for w, ids in man.items():
        n, got, _ = select(w, False)
        miss, extra = sorted(set(ids) - set(got)), sorted(set(got) - set(ids))
        bad += bool(miss or extra)
        print("%s\t%d\t%d\t%s\t%s" % (w, len(ids), n, ",".join(miss[:5]) or "-", ",".join(extra[:5]) or "-"))
    sys.stderr.write("groonga.sh: %d of %d needles with missing or extra hits\n" % (bad, len(man)))
else:
    queries, repeat, page = sys.argv[3], int(sys.argv[4]), mode == "page"
    qs = [l.strip() for l in open(queries, encoding="utf-8") if l.strip()]
    engine = "groonga-" + os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(db))))
    res, lat, every = {}, {}, []
    for q in qs:
        n, ids, _ = select(q, page)
        res[q] = (n, ids)
    for _ in range(repeat):
        for q in qs:
            _, _, dt = select(q, page)
            lat.setdefault(q, []).append(dt)
            every.append(dt)
    for q in qs:
        n, ids = res[q]
        print("%s\t%s\t%d\t%.3f\t%s" % (engine, q, n, statistics.median(lat[q]),
              ",".join(ids if page else sorted(ids))))
    sys.stderr.write("groonga.sh: %s, %d queries x %d, mode %s: median %.3f ms, p95 %.3f, p99 %.3f, max %.3f\n" % (
        engine, len(qs), repeat, mode, statistics.median(every), pct(every, 95), pct(every, 99), max(every)))
p.stdin.close()
p.wait()
EOF
}

query() {
  [ $# -ge 2 ] || usage
  local db=$1 queries=$2 repeat=5 mode=phrase; shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      --repeat) repeat=$2; shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      *) die "unknown option $1 (--repeat N, --mode phrase|page)" ;;
    esac
  done
  case $mode in phrase | page) ;; *) die "--mode $mode: want phrase or page" ;; esac
  [ -e "$db" ] || die "$db: no database (build one with: $0 build FILE.jsonl TokenMecab)"
  [ -r "$queries" ] || die "$queries: not readable (one query a line)"
  runpy "$mode" "$db" "$queries" "$repeat"
}

needles() {
  [ $# -eq 2 ] || usage
  [ -e "$1" ] || die "$1: no database"
  [ -r "$2" ] || die "$2: not readable (gencorpus writes FILE.needles.json beside FILE.jsonl)"
  runpy needles "$1" "$2"
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case $cmd in
  build) build "$@" ;;
  query) query "$@" ;;
  needles) needles "$@" ;;
  *) usage ;;
esac
