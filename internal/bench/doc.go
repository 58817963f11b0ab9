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
package bench
