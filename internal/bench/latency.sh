#!/usr/bin/env bash
# Compares the warm query latency of two builds on the public query set:
# each runs `newsearch query --json --queries-from queries.txt` (10 hits,
# every facet, snippets) over its own index of ../shared/corpus, the two
# alternating for ROUNDS rounds; took_ms of every query is collected.
#
#   internal/bench/latency.sh BIN_BEFORE INDEX_BEFORE BIN_AFTER INDEX_AFTER [ROUNDS]
#
# Prints the median of all samples of each and the median of the per-query
# medians, with their ratios. The machine is shared: use many rounds and
# quote the spread of several runs.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: latency.sh BIN_BEFORE INDEX_BEFORE BIN_AFTER INDEX_AFTER [ROUNDS]" >&2; exit 2; }
cd "$(dirname "$0")/../.."
shared=${SHARED:-../shared}
[ -d "$shared" ] || shared=../../shared # a worktree under /work/wt
queries=${QUERIES:-$shared/eval/queries.txt}
rounds=${5:-10}
out=$(mktemp)
"$1" query --index "$2" --json --queries-from "$queries" >/dev/null # warm the page cache
"$3" query --index "$4" --json --queries-from "$queries" >/dev/null
for _ in $(seq "$rounds"); do
  for side in before after; do
    if [ $side = before ]; then bin=$1 idx=$2; else bin=$3 idx=$4; fi
    "$bin" query --index "$idx" --json --queries-from "$queries" |
      python3 -c 'import json, sys
for i, l in enumerate(sys.stdin): print(sys.argv[1], i, json.loads(l)["took_ms"])' $side >> "$out"
  done
done
python3 - "$out" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    side, i, t = line.split()
    d[side][int(i)].append(float(t))
allv = {s: [t for v in d[s].values() for t in v] for s in d}
per = {s: [statistics.median(d[s][i]) for i in sorted(d[s])] for s in d}
for s in ("before", "after"):
    print("%-6s samples %5d  p50 %.2f ms  p50 of per-query medians %.2f ms" % (s, len(allv[s]), statistics.median(allv[s]), statistics.median(per[s])))
print("ratio after/before: p50 %.3f, p50 of per-query medians %.3f, median per-query ratio %.3f" % (
    statistics.median(allv["after"]) / statistics.median(allv["before"]),
    statistics.median(per["after"]) / statistics.median(per["before"]),
    statistics.median([a / b for a, b in zip(per["after"], per["before"])])))
PY
rm -f "$out"
