package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// A search runs on every shard at once and the answers are merged here:
// hits in the request's order, totals added, facet counts added before
// they are cut to the size asked for (so a value that is below one shard's
// top N is still counted right), ranking from statistics of all shards
// (scoring.go). bleve's IndexAlias does the first two but cuts facets per
// shard and scores by each shard's own term frequencies.

// InternalError is a failure inside a search that is no fault of the
// request: a panic in the search engine, or an index file that changed
// under the reader. The search fails; the Index stays usable.
type InternalError struct {
	Err   error
	Stack []byte // where it happened, for a bug report
}

func (e *InternalError) Error() string { return "internal error: " + e.Err.Error() }
func (e *InternalError) Unwrap() error { return e.Err }

// guard turns a panic into an InternalError. A fault reading a memory-mapped
// file (a segment cut short under a running reader) is one too: the
// goroutine that runs guard sets SetPanicOnFault.
func guard(err *error) {
	if r := recover(); r != nil {
		e := fmt.Errorf("%v", r)
		if re, ok := r.(error); ok {
			e = re
		}
		if _, fault := r.(interface{ Addr() uintptr }); fault {
			e = fmt.Errorf("%w: an index file changed or was cut short after it was written (%v); run newsearch verify, or rebuild the index", ErrCorrupt, r)
		}
		*err = &InternalError{Err: e, Stack: debug.Stack()}
	}
}

// testHookShard, when set (by tests), runs on each shard's goroutine
// before the work: to inject a panic where a search runs.
var testHookShard func(i int)

// eachShard runs f on every shard at once and returns the first error.
// Panics (and faults in memory-mapped files) become errors.
func eachShard(shards []*shard, f func(i int, s *shard) error) error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, s := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer guard(&errs[i])
			debug.SetPanicOnFault(true)
			if testHookShard != nil {
				testHookShard(i)
			}
			errs[i] = f(i, s)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// gatherStats sums the statistics of the scored terms over all shards.
func gatherStats(ctx context.Context, shards []*shard, terms []termKey, into *corpusStats) error {
	return eachShard(shards, func(_ int, s *shard) error {
		adv, err := s.bi.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		return into.add(ctx, r, terms)
	})
}

// facetAll asks a shard for every value of a facet; Search cuts the sum.
const facetAll = math.MaxInt32

// shardHit is a hit and the shard it came from.
type shardHit struct {
	*search.DocumentMatch
	shard int
}

// merged is the answer of all shards to one request.
type merged struct {
	total  uint64
	hits   []shardHit // the page asked for, in order
	facets map[string]map[string]int
}

// searchShards runs req on every shard, asking each for offset+limit hits
// (and every facet value), and merges the answers into the page
// [offset, offset+limit). With fetch, stored fields and locations come with
// the hits (each shard loads them for its offset+limit best); without,
// the caller loads them for the page only (load).
func searchShards(ctx context.Context, shards []*shard, req *bleve.SearchRequest, offset, limit int, fetch bool) (*merged, error) {
	results := make([]*bleve.SearchResult, len(shards))
	err := eachShard(shards, func(i int, s *shard) error {
		r := *req
		r.Sort = req.Sort.Copy() // a sort keeps state while it runs
		r.From, r.Size = 0, offset+limit
		if !fetch {
			r.Fields, r.IncludeLocations = nil, false
		}
		sr, err := s.bi.SearchInContext(ctx, &r)
		results[i] = sr
		return err
	})
	if err != nil {
		return nil, err
	}
	m := &merged{}
	var all []shardHit
	for i, sr := range results {
		m.total += sr.Total
		for _, h := range sr.Hits {
			all = append(all, shardHit{h, i})
		}
		for name, fr := range sr.Facets {
			if m.facets == nil {
				m.facets = map[string]map[string]int{}
			}
			counts := m.facets[name]
			if counts == nil {
				counts = map[string]int{}
				m.facets[name] = counts
			}
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					counts[t.Term] += t.Count
				}
			}
		}
	}
	order := req.Sort
	scoring, desc := order.CacheIsScore(), order.CacheDescending()
	sort.SliceStable(all, func(a, b int) bool {
		return order.Compare(scoring, desc, all[a].DocumentMatch, all[b].DocumentMatch) < 0
	})
	if offset < len(all) {
		m.hits = all[offset:min(len(all), offset+limit)]
	}
	return m, nil
}

// load fetches stored fields (and, with locations, where q matched) for
// the hits of a page, from the shards they came from.
func load(ctx context.Context, shards []*shard, hits []shardHit, q query.Query, fields []string, locations bool) error {
	byShard := map[int][]string{}
	for _, h := range hits {
		byShard[h.shard] = append(byShard[h.shard], h.ID)
	}
	found := make([]map[string]*search.DocumentMatch, len(shards))
	err := eachShard(shards, func(i int, s *shard) error {
		ids := byShard[i]
		if len(ids) == 0 {
			return nil
		}
		lq := query.NewConjunctionQuery([]query.Query{idQuery(ids), q})
		r := bleve.NewSearchRequestOptions(lq, len(ids), 0, false)
		r.Fields, r.IncludeLocations, r.Score = fields, locations, "none"
		sr, err := s.bi.SearchInContext(ctx, r)
		if err != nil {
			return err
		}
		found[i] = map[string]*search.DocumentMatch{}
		for _, h := range sr.Hits {
			found[i][h.ID] = h
		}
		return nil
	})
	if err != nil {
		return err
	}
	for j, h := range hits {
		if f := found[h.shard][h.ID]; f != nil {
			hits[j].Fields, hits[j].Locations = f.Fields, f.Locations
		}
	}
	return nil
}

// idQuery matches the articles with the given IDs, by the _id terms: the
// reads happen on the searching goroutine (bleve's DocIDQuery reads each
// segment on a goroutine of its own, where a fault in a damaged file could
// not be caught).
func idQuery(ids []string) query.Query {
	qs := make([]query.Query, len(ids))
	for i, id := range ids {
		tq := query.NewTermQuery(id)
		tq.SetField("_id")
		qs[i] = tq
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
