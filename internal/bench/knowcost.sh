#!/bin/sh
# knowcost.sh: the index-time cost of what the index learns (issue 13):
# builds the livedoor corpus with two newsearch binaries in turn (A B A B
# ...), each into an empty index, and prints each build's wall time and
# CPU time (user + system), then the medians of each binary and the median
# of the pairwise ratios after/before. Same machine, same session,
# alternating, so that the load of the moment falls on both alike; on a
# busy machine the CPU time is the steadier figure.
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
		/usr/bin/time -f "%e %U %S" -o "$work/t" nice "$bin" index --index "$work/idx" "$corpus" > /dev/null
		set -- $(cat "$work/t")
		cpu=$(echo "$2 + $3" | bc)
		echo "$i $which wall $1 cpu $cpu" | tee -a "$work/times"
	done
	i=$((i + 1))
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for which in before after; do
	w=$(grep " $which " "$work/times" | cut -d' ' -f4 | median)
	c=$(grep " $which " "$work/times" | cut -d' ' -f6 | median)
	echo "$which: median wall $w s, median cpu $c s"
done
for field in 4 6; do
	name=wall
	[ "$field" = 6 ] && name=cpu
	r=$(awk -v f="$field" '{v[$1" "$2]=$f} END {for (k in v) {split(k, p, " "); if (p[2] == "after") print v[k] / v[p[1]" before"]}}' "$work/times" | median)
	echo "after/before $name: median of pairwise ratios $r"
done
