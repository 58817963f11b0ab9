package index

import (
	"context"
	"os"
	"testing"
)

func BenchmarkOneQuery(b *testing.B) {
	dir, q := os.Getenv("NEWSEARCH_BENCH_INDEX"), os.Getenv("NEWSEARCH_BENCH_QUERY")
	if dir == "" || q == "" {
		b.Skip("needs NEWSEARCH_BENCH_INDEX and NEWSEARCH_BENCH_QUERY")
	}
	ix, err := Open(dir, ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	facets := AllFacets
	if os.Getenv("NEWSEARCH_BENCH_NOFACETS") != "" {
		facets = nil
	}
	ctx := context.Background()
	res, err := ix.Search(ctx, Request{Query: q, Facets: facets})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%q: %d hits", q, res.Total)
	b.ResetTimer()
	for range b.N {
		if _, err := ix.Search(ctx, Request{Query: q, Facets: facets}); err != nil {
			b.Fatal(err)
		}
	}
}
