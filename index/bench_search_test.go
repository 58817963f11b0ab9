package index

import (
	"bufio"
	"context"
	"os"
	"testing"
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
