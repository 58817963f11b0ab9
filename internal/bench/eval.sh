#!/usr/bin/env bash
# Scores newsearch on a query set the way issue 4 asks: every query through
# `newsearch query --json --queries-from` over an index of ../shared/corpus
# (ldcc + the seed), then score.py per category.
#
#   internal/bench/eval.sh [INDEX_DIR] [extra index flags, e.g. --mode search]
#
# Environment:
#   SHARED        the shared folder (default ../shared)
#   QUERIES       queries, one a line (default $SHARED/eval/queries.txt)
#   TRUTH         their truth (default $SHARED/eval/truth.jsonl)
#   NEWSEARCH_BIN a built binary to score instead of this checkout's
#   RESULTS       keep the results file here (default: a temporary file)
#
# Only hits that match the query as written count: `word`, `gram` and
# `variant`. Hits with another `match` (translation, relaxed, alias,
# reading) are extra help ranked after them and are left out of the score.
# The index is built when INDEX_DIR does not hold one yet.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${SHARED:-../shared}
[ -d "$shared" ] || shared=../../shared # a worktree under /work/wt
queries=${QUERIES:-$shared/eval/queries.txt}
truth=${TRUTH:-$shared/eval/truth.jsonl}
idx=${1:-/tmp/newsearch-eval-index}
shift || true
bin=${NEWSEARCH_BIN:-}
if [ -z "$bin" ]; then
  bin=$(mktemp -d)/newsearch
  go build -o "$bin" ./cmd/newsearch
fi
if [ ! -e "$idx/CURRENT" ]; then
  "$bin" index -q --index "$idx" "$@" "$shared/corpus/ldcc" "$shared"/corpus/seed/*.txt
fi
out=${RESULTS:-$(mktemp)}
"$bin" query --index "$idx" --json --limit 1000000 --facet none --queries-from "$queries" |
  python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if "error" in r:
        print("newsearch\t%s\tNA\tNA\t" % r["query"]); continue
    ids = [h["id"] for h in r["hits"] if h.get("match", "word") in ("word", "gram", "variant", "")]
    print("newsearch\t%s\t%d\t%.2f\t%s" % (r["query"], len(ids), r["took_ms"], ",".join(ids)))
' > "$out"
python3 "$shared/eval/score.py" --truth "$truth" "$out"
