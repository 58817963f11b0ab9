package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Near-duplicates folded. Of the matching articles of a cluster of
// near-duplicates (clusters.json.gz, see knowledge.go), the one ranked
// first is a hit and carries the others in Hit.Duplicates; they are left
// out of the hits and of the total, and every page is cut from the folded
// list (page 2 starts where page 1 ended). It costs one more search, small
// and unscored: the query over the clustered articles alone, which says
// which of each cluster match; the page is then asked for with as many
// more hits as that leaves out, and in its order the first of each
// cluster stays. An index with more clustered
// articles than maxFoldedMembers is not folded (the search over them would
// cost more than it saves).

const maxFoldedMembers = 20000

// searchCollapsed runs req as searchShards does, folding near-duplicates
// unless off; it returns the page and the duplicates of each hit that has
// some.
func searchCollapsed(ctx context.Context, shards []*shard, v *knowView, req *bleve.SearchRequest, offset, limit int, fetch, off bool) (*merged, map[string][]string, error) {
	var members []string
	if !off && v != nil {
		for _, c := range v.clusters {
			members = append(members, c...)
		}
	}
	if len(members) == 0 || len(members) > maxFoldedMembers {
		m, err := searchShards(ctx, shards, req, offset, limit, fetch)
		return m, nil, err
	}
	// which clustered articles match (unscored: their order among
	// themselves comes from the main search below)
	mreq := *req
	mreq.Query = query.NewConjunctionQuery([]query.Query{idQuery(members), req.Query})
	mreq.Fields, mreq.IncludeLocations, mreq.Facets, mreq.Highlight = nil, false, nil, nil
	mreq.Score = "none"
	mreq.SortBy([]string{"_id"})
	mm, err := searchShards(ctx, shards, &mreq, 0, len(members), false)
	if err != nil {
		return nil, nil, err
	}
	matched := map[int][]string{} // cluster -> its matching articles
	for _, h := range mm.hits {
		if c, ok := v.cluster[h.ID]; ok {
			matched[c] = append(matched[c], h.ID)
		}
	}
	hiddenCount := 0
	for _, ids := range matched {
		hiddenCount += len(ids) - 1
	}
	if hiddenCount == 0 {
		m, err := searchShards(ctx, shards, req, offset, limit, fetch)
		return m, nil, err
	}
	// the page with as many more hits as can be left out: the first of
	// each cluster in the order of the search stays, the others go
	m, err := searchShards(ctx, shards, req, 0, offset+limit+hiddenCount, fetch)
	if err != nil {
		return nil, nil, err
	}
	first := map[int]string{}
	dups := map[string][]string{}
	kept := m.hits[:0]
	for _, h := range m.hits {
		c, ok := v.cluster[h.ID]
		if !ok || len(matched[c]) < 2 {
			kept = append(kept, h)
			continue
		}
		if _, seen := first[c]; seen {
			continue
		}
		first[c] = h.ID
		for _, id := range matched[c] {
			if id != h.ID {
				dups[h.ID] = append(dups[h.ID], id)
			}
		}
		kept = append(kept, h)
	}
	if offset < len(kept) {
		m.hits = kept[offset:min(len(kept), offset+limit)]
	} else {
		m.hits = nil
	}
	m.total -= uint64(hiddenCount)
	return m, dups, nil
}
