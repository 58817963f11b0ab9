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
// list (page 2 starts where page 1 ended). It costs one more search: the
// query over the clustered articles alone, in the request's order, which
// says which of each cluster come first; the page is then asked for with
// as many more hits as that leaves out. An index with more clustered
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
	mreq := *req
	mreq.Query = query.NewConjunctionQuery([]query.Query{idQuery(members), req.Query})
	mreq.Fields, mreq.IncludeLocations, mreq.Facets, mreq.Highlight = nil, false, nil, nil
	mm, err := searchShards(ctx, shards, &mreq, 0, len(members), false)
	if err != nil {
		return nil, nil, err
	}
	first := map[int]string{}
	hidden := map[string]bool{}
	dups := map[string][]string{}
	for _, h := range mm.hits {
		c, ok := v.cluster[h.ID]
		if !ok {
			continue
		}
		if rep, ok := first[c]; ok {
			hidden[h.ID] = true
			dups[rep] = append(dups[rep], h.ID)
		} else {
			first[c] = h.ID
		}
	}
	if len(hidden) == 0 {
		m, err := searchShards(ctx, shards, req, offset, limit, fetch)
		return m, nil, err
	}
	m, err := searchShards(ctx, shards, req, 0, offset+limit+len(hidden), fetch)
	if err != nil {
		return nil, nil, err
	}
	kept := m.hits[:0]
	for _, h := range m.hits {
		if !hidden[h.ID] {
			kept = append(kept, h)
		}
	}
	if offset < len(kept) {
		m.hits = kept[offset:min(len(kept), offset+limit)]
	} else {
		m.hits = nil
	}
	m.total -= uint64(len(hidden))
	return m, dups, nil
}
