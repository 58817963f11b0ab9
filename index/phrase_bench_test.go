package index

import (
	"context"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/analyzer"
)

// BenchmarkGramPhrase compares gramPhrase with bleve's MultiPhraseQuery on
// the body grams of a query word (NEWSEARCH_BENCH_QUERY, default
// ファッション) in the index named by NEWSEARCH_BENCH_INDEX: the same hits,
// and the time to find them on every shard.
func BenchmarkGramPhrase(b *testing.B) {
	dir, word := os.Getenv("NEWSEARCH_BENCH_INDEX"), os.Getenv("NEWSEARCH_BENCH_QUERY")
	if dir == "" {
		b.Skip("set NEWSEARCH_BENCH_INDEX")
	}
	if word == "" {
		word = "ファッション"
	}
	ix, err := Open(dir, ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	grams := analyzerPhrase(ix, word)
	for _, c := range []struct {
		name string
		q    query.Query
	}{
		{"bleve-multiphrase", query.NewMultiPhraseQuery(grams, fieldBodyGram)},
		{"phrase", phrase(grams, fieldBodyGram)},
		{"gramPhrase", &gramPhrase{field: fieldBodyGram, terms: grams}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total uint64
			for range b.N {
				total = 0
				for _, s := range ix.shards {
					req := bleve.NewSearchRequestOptions(c.q, 10, 0, false)
					sr, err := s.bi.SearchInContext(context.Background(), req)
					if err != nil {
						b.Fatal(err)
					}
					total += sr.Total
				}
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}

// analyzerPhrase returns the gram phrase of a word as queries search it.
func analyzerPhrase(ix *Index, word string) [][]string {
	return analyzer.GramPhraseOf(ix.an.Analyze(word).Grams)
}
