package index

import (
	"context"
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// A request sorted by ID (as the folding of near-duplicates asks) comes
// back in ID order, whatever the scores; orders the collector cannot
// keep are refused, not answered in another order.
func TestCollectOrders(t *testing.T) {
	ix := openTest(t)
	shards, err := ix.live()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), len(testArticles), 0, false)
	req.SortBy([]string{"_id"})
	m, err := searchShards(ctx, shards, req, 0, len(testArticles), false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range m.hits {
		got = append(got, h.ID)
	}
	if len(got) != len(testArticles) || !sort.StringsAreSorted(got) {
		t.Errorf("sorted by _id: %v", got)
	}
	// a page of it starts where the one before ended
	m2, err := searchShards(ctx, shards, req, 2, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(m2.hits) != 2 || m2.hits[0].ID != got[2] || m2.hits[1].ID != got[3] {
		t.Errorf("page 2 of 2 by _id: %v, want %v", m2.hits, got[2:4])
	}
	for _, by := range [][]string{{"-_id"}, {"title"}} {
		r := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 3, 0, false)
		r.SortBy(by)
		if _, err := searchShards(ctx, shards, r, 0, 3, false); err == nil {
			t.Errorf("sort by %v: no error", by)
		}
	}
}
