package index

import (
	"context"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Stats describes what an index holds.
type Stats struct {
	Dir            string    `json:"dir"`
	Generation     string    `json:"generation"`
	Articles       uint64    `json:"articles"`
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
func (ix *Index) Stats(ctx context.Context) (*Stats, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := &Stats{Dir: ix.dir, Generation: ix.gen, Analysis: ix.meta.Analysis, Created: ix.meta.Created,
		Categories: []Count{}, Sources: []Count{}}
	n, err := ix.bi.DocCount()
	if err != nil {
		return nil, err
	}
	st.Articles = n
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(FacetCategory, bleve.NewFacetRequest(fieldCategory, 1000))
	req.AddFacet(FacetSource, bleve.NewFacetRequest(fieldSource, 1000))
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	st.Categories = facetCounts(FacetCategory, res.Facets[FacetCategory])
	st.Sources = facetCounts(FacetSource, res.Facets[FacetSource])
	for _, order := range []string{fieldPublished, "-" + fieldPublished} {
		dated := dateQuery(time.Unix(0, 0), time.Time{})
		req := bleve.NewSearchRequestOptions(dated, 1, 0, false)
		req.Fields = []string{fieldPublished}
		req.SortBy([]string{order})
		res, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		if len(res.Hits) == 0 {
			break
		}
		s, _ := res.Hits[0].Fields[fieldPublished].(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			continue
		}
		if order == fieldPublished {
			st.FirstPublished = t.In(jst)
		} else {
			st.LastPublished = t.In(jst)
		}
	}
	st.SizeBytes = ix.st.sizeOnDisk(ix.gen)
	return st, nil
}
