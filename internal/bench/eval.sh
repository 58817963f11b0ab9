#!/usr/bin/env bash
# Scores newsearch on the public query set (../shared/eval) the way the issue
# asks: every query through `newsearch query --json --queries-from` over an
# index of ../shared/corpus (ldcc + the seed), then score.py per category.
#
#   internal/bench/eval.sh [INDEX_DIR] [extra index flags, e.g. --mode search]
#
# The index is built when INDEX_DIR does not hold one yet.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${SHARED:-../shared}
idx=${1:-/tmp/newsearch-eval-index}
shift || true
bin=$(mktemp -d)/newsearch
go build -o "$bin" ./cmd/newsearch
if [ ! -e "$idx/CURRENT" ]; then
  "$bin" index -q --index "$idx" "$@" "$shared/corpus/ldcc" "$shared"/corpus/seed/*.txt
fi
out=$(mktemp)
"$bin" query --index "$idx" --json --limit 1000000 --facet none --queries-from "$shared/eval/queries.txt" |
  python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if "error" in r:
        print("newsearch\t%s\tNA\tNA\t" % r["query"]); continue
    ids = ",".join(h["id"] for h in r["hits"])
    print("newsearch\t%s\t%d\t%.2f\t%s" % (r["query"], r["total"], r["took_ms"], ids))
' > "$out"
python3 "$shared/eval/score.py" --truth "$shared/eval/truth.jsonl" "$out"
