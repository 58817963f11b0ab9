package index

import (
	"bufio"
	"context"
	"os"
	"sort"
	"testing"
	"time"
)

// BenchmarkSearch runs the public query set (../shared/eval, skipped
// without it) against an index of the shared corpus named by
// NEWSEARCH_BENCH_INDEX, as the CLI and server do: 10 hits with snippets
// and every facet.
func BenchmarkSearch(b *testing.B) {
	dir := os.Getenv("NEWSEARCH_BENCH_INDEX")
	f, err := os.Open("../../shared/eval/queries.txt")
	if dir == "" || err != nil {
		b.Skip("set NEWSEARCH_BENCH_INDEX to an index of ../shared/corpus; needs ../shared/eval/queries.txt")
	}
	var queries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		queries = append(queries, sc.Text())
	}
	f.Close()
	ix, err := Open(dir, ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, facets := range []struct {
		name string
		list []string
	}{{"all-facets", AllFacets}, {"no-facets", nil}} {
		b.Run(facets.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				q := queries[i%len(queries)]
				if _, err := ix.Search(ctx, Request{Query: q, Facets: facets.list}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/query")
		})
	}
}

// BenchmarkSearchLatency runs every public query (limit 10, snippets,
// every facet) against NEWSEARCH_BENCH_INDEX, each b.N times, and reports
// the median, p90 and p99 of the latencies and the slowest queries.
func BenchmarkSearchLatency(b *testing.B) {
	dir := os.Getenv("NEWSEARCH_BENCH_INDEX")
	f, err := os.Open("../../shared/eval/queries.txt")
	if dir == "" || err != nil {
		b.Skip("set NEWSEARCH_BENCH_INDEX to an index; needs ../shared/eval/queries.txt")
	}
	var queries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		queries = append(queries, sc.Text())
	}
	f.Close()
	ix, err := Open(dir, ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, q := range queries { // warm: the dictionary, the files' pages
		if _, err := ix.Search(ctx, Request{Query: q, Facets: AllFacets}); err != nil {
			b.Fatal(err)
		}
	}
	type lat struct {
		q string
		d time.Duration
	}
	var all []lat
	worst := map[string]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			start := time.Now()
			if _, err := ix.Search(ctx, Request{Query: q, Facets: AllFacets}); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			all = append(all, lat{q, d})
			worst[q] = max(worst[q], d)
		}
	}
	b.StopTimer()
	sort.Slice(all, func(i, j int) bool { return all[i].d < all[j].d })
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].d.Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.9), "p90-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	var ws []lat
	for q, d := range worst {
		ws = append(ws, lat{q, d})
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].d > ws[j].d })
	for _, w := range ws[:min(5, len(ws))] {
		b.Logf("slowest: %-30s %v", w.q, w.d.Round(100*time.Microsecond))
	}
}
