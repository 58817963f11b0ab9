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

// gatherStats sums the statistics of the scored terms over all shards;
// the article count and field sizes come from the generation's statistics
// when there are some.
func gatherStats(ctx context.Context, shards []*shard, terms []termKey, gs *genStats, into *corpusStats) error {
	fixed := gs != nil
	if fixed {
		into.docs = gs.Docs
		for f, n := range gs.Terms {
			into.fieldLen[f] = n
		}
	}
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
		return into.add(ctx, r, terms, fixed)
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
// the hits; without, the caller loads them (load).
func searchShards(ctx context.Context, shards []*shard, req *bleve.SearchRequest, offset, limit int, fetch bool) (*merged, error) {
	sp, err := specOf(req, offset+limit)
	if err != nil {
		return nil, err
	}
	results := make([]*collected, len(shards))
	err = eachShard(shards, func(i int, s *shard) error {
		c, err := s.collect(ctx, sp)
		results[i] = c
		return err
	})
	if err != nil {
		return nil, err
	}
	m := &merged{}
	type ranked struct {
		candidate
		shard int
	}
	var all []ranked
	for i, c := range results {
		m.total += c.total
		for _, h := range c.hits {
			all = append(all, ranked{h, i})
		}
		for name, counts := range c.facets {
			if m.facets == nil {
				m.facets = map[string]map[string]int{}
			}
			into := m.facets[name]
			if into == nil {
				into = make(map[string]int, len(counts)) // sized by the first shard's values
				m.facets[name] = into
			}
			for v, n := range counts {
				into[v] += n
			}
		}
	}
	sort.Slice(all, func(a, b int) bool { return better(&all[a].candidate, &all[b].candidate) })
	if offset < len(all) {
		for _, h := range all[offset:min(len(all), offset+limit)] {
			m.hits = append(m.hits, shardHit{&search.DocumentMatch{ID: h.id, Score: h.score}, h.shard})
		}
	}
	if fetch && len(m.hits) > 0 && (len(req.Fields) > 0 || req.IncludeLocations) {
		if err := load(ctx, shards, m.hits, req.Query, req.Fields, req.IncludeLocations); err != nil {
			return nil, err
		}
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
