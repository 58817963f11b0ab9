#!/bin/sh
# knowcost.sh: the index-time cost of what the index learns (issue 13):
# builds the livedoor corpus with two newsearch binaries in turn (A B A B
# ...), each into an empty index, and prints each build's wall time and
# the median of each binary. Same machine, same session, alternating, so
# that the load of the moment falls on both alike.
#
#   go build -o /tmp/ns-before ./cmd/newsearch    # on main
#   go build -o /tmp/ns-after ./cmd/newsearch     # on this branch
#   sh internal/bench/knowcost.sh /tmp/ns-before /tmp/ns-after [RUNS] [CORPUS]
set -eu
before=$1 after=$2 runs=${3:-5} corpus=${4:-../shared/corpus/ldcc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/times"
i=0
while [ "$i" -lt "$runs" ]; do
	for which in before after; do
		bin=$before
		[ "$which" = after ] && bin=$after
		rm -rf "$work/idx"
		start=$(date +%s.%N)
		nice "$bin" index --index "$work/idx" "$corpus" > /dev/null
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		echo "$which $t" | tee -a "$work/times"
	done
	i=$((i + 1))
done
for which in before after; do
	grep "^$which " "$work/times" | cut -d' ' -f2 | sort -n | awk -v w="$which" '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%s median %.2f s of %d\n", w, m, NR}'
done
