#!/usr/bin/env bash
# Scores newsearch on our own query set (internal/bench/eval) under both
# oracles of ../shared/eval/tools: word boundaries by MeCab with UniDic and
# with JUMAN.
#
#   internal/bench/eval-own.sh HALF [INDEX_DIR]
#
# HALF is tune (the queries tuned against), heldout (scored only at the end)
# or queries (both). The truth is computed by build_truth.py into $TRUTH_DIR
# (default /tmp/newsearch-own-truth) and reused while the queries are
# unchanged. SHARED, NEWSEARCH_BIN and RESULTS are passed to eval.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
half=${1:?usage: eval-own.sh tune|heldout|queries [INDEX_DIR]}
shift
shared=${SHARED:-../shared}
[ -d "$shared" ] || shared=../../shared # a worktree under /work/wt
export SHARED=$shared
tsv=internal/bench/eval/$half.tsv
[ -f "$tsv" ] || { echo "eval-own.sh: no $tsv (want tune, heldout or queries)" >&2; exit 2; }
dir=${TRUTH_DIR:-/tmp/newsearch-own-truth}
mkdir -p "$dir"
sum=$(sha256sum "$tsv" | cut -c1-12)
txt=$dir/$half-$sum.txt
tail -n +2 "$tsv" | cut -f1 | grep -v '^$' > "$txt"
if [ -z "${NEWSEARCH_BIN:-}" ]; then
  NEWSEARCH_BIN=$(mktemp -d)/newsearch
  go build -o "$NEWSEARCH_BIN" ./cmd/newsearch
  export NEWSEARCH_BIN
fi
for oracle in unidic juman; do
  truth=$dir/$half-$sum-$oracle.jsonl
  if [ ! -s "$truth" ]; then
    python3 "$shared/eval/tools/build_truth.py" --oracle "$oracle" "$tsv" "$truth.tmp" && mv "$truth.tmp" "$truth"
  fi
  echo "== oracle: $oracle ($half, $(wc -l < "$txt") queries)"
  QUERIES=$txt TRUTH=$truth internal/bench/eval.sh "$@"
done
