// Package bench holds the end-to-end benchmarks that run the real newsearch
// binary over the shared livedoor corpus and, where installed, the peer
// engines (Groonga) from ../shared/peers on the same machine in the same
// session, so that the figures compare like with like:
//
//	go test ./internal/bench -run XXX -bench . -benchtime 1x
//
// BenchmarkBuild indexes the corpus (wall time, articles/s, peak RSS, index
// size / raw text); BenchmarkColdQuery starts `newsearch query` as a new
// process again and again (median of runs after a warm-up). Both skip
// without ../shared, and skip the peer side when Groonga is not installed
// (../shared/peers/install.sh).
//
// The scale benchmark of issue 11 (10k, 100k and 1M generated articles,
// from cmd/gencorpus, against Groonga) is a script, started by hand: see
// the header of scale.sh and its Go helper, cmd/scalebench.
//
//	nice -n 10 internal/bench/scale.sh /tmp/corpus/gen-100k.jsonl /tmp/bench/100k > /tmp/bench/100k.log 2>&1 &
package bench
