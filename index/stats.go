package index

import (
	"context"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Stats describes what an index holds.
type Stats struct {
	Dir            string    `json:"dir,omitempty"` // as opened; "" where it is nobody's business (a server's answer)
	Generation     string    `json:"generation"`
	Articles       uint64    `json:"articles"`
	Shards         int       `json:"shards"`
	Categories     []Count   `json:"categories"`
	Sources        []Count   `json:"sources"`
	FirstPublished time.Time `json:"first_published,omitzero"`
	LastPublished  time.Time `json:"last_published,omitzero"`
	SizeBytes      int64     `json:"size_bytes"`
	Analysis       string    `json:"analysis"`
	Created        time.Time `json:"created"`
}

// Stats counts the articles by category and source and finds the range of
// publication dates.
func (ix *Index) Stats(ctx context.Context) (st *Stats, err error) {
	defer guard(&err)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	st = &Stats{Dir: ix.dir, Generation: ix.gen, Shards: len(shards), Analysis: ix.meta.Analysis, Created: ix.meta.Created}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(FacetCategory, bleve.NewFacetRequest(fieldCategory, facetAll))
	req.AddFacet(FacetSource, bleve.NewFacetRequest(fieldSource, facetAll))
	m, err := searchShards(ctx, shards, req, 0, 0, false)
	if err != nil {
		return nil, err
	}
	st.Articles = m.total
	st.Categories = facetCounts(FacetCategory, m.facets[FacetCategory], facetAll)
	st.Sources = facetCounts(FacetSource, m.facets[FacetSource], facetAll)
	var mu sync.Mutex
	err = eachShard(shards, func(_ int, s *shard) error {
		for _, order := range []string{fieldPublished, "-" + fieldPublished} {
			req := bleve.NewSearchRequestOptions(dateQuery(time.Time{}, time.Time{}), 1, 0, false)
			req.Fields = []string{fieldPublished}
			req.SortBy([]string{order})
			res, err := s.bi.SearchInContext(ctx, req)
			if err != nil {
				return err
			}
			if len(res.Hits) == 0 {
				return nil
			}
			str, _ := res.Hits[0].Fields[fieldPublished].(string)
			t, err := time.Parse(time.RFC3339, str)
			if err != nil {
				continue
			}
			t = t.In(jst)
			mu.Lock()
			if order == fieldPublished && (st.FirstPublished.IsZero() || t.Before(st.FirstPublished)) {
				st.FirstPublished = t
			}
			if order != fieldPublished && t.After(st.LastPublished) {
				st.LastPublished = t
			}
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.SizeBytes = ix.st.Size(ix.gen)
	return st, nil
}
