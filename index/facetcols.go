package index

import (
	"os"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

// Facet columns: for each segment, every article's facet values (as
// ordinals into the segment's terms) and its date, read once from the
// segment's inverted index. Counting a hit is then an array increment per
// value, where doc values cost a decode and a map lookup per value.
//
// Columns pay off only where a segment is searched again: a one-off
// search (the CLI) reads doc values for its hits, and a segment gets its
// columns once the hits read from its doc values add up to its size, so
// building them never costs more than the searches have already spent
// (with this rule a process spends at most twice what it would with the
// best choice made in hindsight).

// facetFields are the fields that have columns.
var facetFields = []string{fieldCategory, fieldSource, fieldTag, fieldMonth, fieldPerson, fieldOrg}

// column holds one field's values for every article of a segment.
type column struct {
	terms []string
	// single-valued fields: the ordinal of each article's value, -1 for
	// none
	ord []int32
	// several values: article i's are vals[start[i]:start[i+1]]
	start []uint32
	vals  []int32
}

// count adds one to counts for each value of article doc.
func (c *column) count(doc uint64, counts []int) {
	if c.ord != nil {
		if o := c.ord[doc]; o >= 0 {
			counts[o]++
		}
		return
	}
	for _, o := range c.vals[c.start[doc]:c.start[doc+1]] {
		counts[o]++
	}
}

// segColumns are a segment's columns.
type segColumns struct {
	fields map[string]*column
	dates  []int64 // UnixNano, noDate for none
}

// columnCache holds the columns of a shard's segments.
type columnCache struct {
	mu       sync.Mutex
	segs     map[segment.Segment]*segColumns
	demand   map[segment.Segment]uint64 // hits read from doc values so far
	building map[segment.Segment]bool
	// mode is "" (as above), or, from $NEWSEARCH_COLUMNS when the shard
	// is opened: "always" builds a segment's columns on first use, "never"
	// reads doc values only. Both are for tests, which check both ways of
	// counting against brute force, and for benchmarks.
	mode string
}

func newColumnCache() *columnCache {
	return &columnCache{
		segs:     map[segment.Segment]*segColumns{},
		demand:   map[segment.Segment]uint64{},
		building: map[segment.Segment]bool{},
		mode:     os.Getenv("NEWSEARCH_COLUMNS"),
	}
}

// columns returns the shard's column cache, forgetting the segments that
// are no longer in snap (merged away).
func (s *shard) columns(snap *scorch.IndexSnapshot) *columnCache {
	cc := s.cols
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.segs)+len(cc.demand) > 0 {
		live := map[segment.Segment]bool{}
		for _, ss := range snap.Segments() {
			live[ss.Segment()] = true
		}
		for seg := range cc.segs {
			if !live[seg] {
				delete(cc.segs, seg)
			}
		}
		for seg := range cc.demand {
			if !live[seg] {
				delete(cc.demand, seg)
			}
		}
	}
	return cc
}

// get returns the columns of seg, or nil when it has none (yet). In the
// "always" mode it builds them at once.
func (cc *columnCache) get(seg segment.Segment) *segColumns {
	cc.mu.Lock()
	sc := cc.segs[seg]
	cc.mu.Unlock()
	if sc == nil && cc.mode == "always" {
		cc.build(seg)
		cc.mu.Lock()
		sc = cc.segs[seg]
		cc.mu.Unlock()
	}
	return sc
}

// used records n hits of seg read from doc values, and builds the
// segment's columns when they add up to its size. The caller holds a
// reader of seg.
func (cc *columnCache) used(seg segment.Segment, n uint64) {
	if cc.mode == "never" {
		return
	}
	cc.mu.Lock()
	cc.demand[seg] += n
	due := cc.demand[seg] >= seg.Count() && cc.segs[seg] == nil && !cc.building[seg]
	if due {
		cc.building[seg] = true
	}
	cc.mu.Unlock()
	if due {
		cc.build(seg)
	}
}

// build reads seg's columns into the cache. A failure leaves the segment
// on doc values: the search that asked goes on.
func (cc *columnCache) build(seg segment.Segment) {
	sc, err := buildColumns(seg)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.building, seg)
	if err == nil {
		cc.segs[seg] = sc
		delete(cc.demand, seg)
	}
}

func buildColumns(seg segment.Segment) (*segColumns, error) {
	sc := &segColumns{fields: map[string]*column{}}
	for _, f := range facetFields {
		col, err := buildColumn(seg, f)
		if err != nil {
			return nil, err
		}
		sc.fields[f] = col
	}
	dates, err := buildDates(seg)
	if err != nil {
		return nil, err
	}
	sc.dates = dates
	return sc, nil
}

// eachPosting calls f for each term of field in [from, to) (nil: no
// bound) and each article that has it.
func eachPosting(seg segment.Segment, field string, from, to []byte, f func(term string, doc uint64)) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return err
	}
	it := dict.AutomatonIterator(&vellum.AlwaysMatch{}, from, to)
	var (
		pl segment.PostingsList
		pi segment.PostingsIterator
	)
	for {
		e, err := it.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return err
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return err
			}
			if p == nil {
				break
			}
			f(e.Term, p.Number())
		}
	}
}

func buildColumn(seg segment.Segment, field string) (*column, error) {
	n := seg.Count()
	col := &column{}
	var (
		docs []uint32
		ords []int32
	)
	err := eachPosting(seg, field, nil, nil, func(term string, doc uint64) {
		if len(col.terms) == 0 || col.terms[len(col.terms)-1] != term {
			col.terms = append(col.terms, term)
		}
		docs = append(docs, uint32(doc))
		ords = append(ords, int32(len(col.terms)-1))
	})
	if err != nil {
		return nil, err
	}
	start := make([]uint32, n+1)
	multi := false
	for _, d := range docs {
		start[d+1]++
		multi = multi || start[d+1] > 1
	}
	if !multi {
		col.ord = make([]int32, n)
		for i := range col.ord {
			col.ord[i] = -1
		}
		for i, d := range docs {
			col.ord[d] = ords[i]
		}
		return col, nil
	}
	for i := 1; i <= int(n); i++ {
		start[i] += start[i-1]
	}
	col.start = start
	col.vals = make([]int32, len(docs))
	next := make([]uint32, n)
	copy(next, start[:n])
	for i, d := range docs {
		col.vals[next[d]] = ords[i]
		next[d]++
	}
	return col, nil
}

// buildDates reads every article's date from the full-precision terms of
// the published field (those of shift 0).
func buildDates(seg segment.Segment) ([]int64, error) {
	dates := make([]int64, seg.Count())
	for i := range dates {
		dates[i] = noDate
	}
	var last string
	var v int64
	err := eachPosting(seg, fieldPublished, []byte{numeric.ShiftStartInt64}, []byte{numeric.ShiftStartInt64 + 1}, func(term string, doc uint64) {
		if term != last {
			last = term
			v, _ = numeric.PrefixCoded(term).Int64()
		}
		dates[doc] = v
	})
	return dates, err
}
