package index

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A shard's part of a search is collected here rather than by bleve's
// TopNCollector, which for every hit reads the article's ID (the last key
// of every order) and visits its doc values once per facet and sort field.
// Here a hit costs a heap comparison and, for facets and date order, a
// look into columns of the segment (facetcols.go); an ID is read only to
// break a tie at the edge of the page.

// collectSpec is what a shard is asked for.
type collectSpec struct {
	q      query.Query
	size   int  // hits to keep: offset+limit of the request
	order  Sort // relevance or date
	facets map[string]string
	// facet name -> index field
	score string // "" or "none" (no scores: filters only, counts)
	byID  bool   // in the order of the IDs, scores aside
}

// specOf reads a collectSpec from a bleve request, as Search and the
// others build them: the sort is -_score,_id, published (either way)
// then -_score,_id, or _id alone; facets are terms facets.
func specOf(req *bleve.SearchRequest, size int) (collectSpec, error) {
	sp := collectSpec{q: req.Query, size: size, score: req.Score}
	if len(req.Sort) > 0 {
		switch f := req.Sort[0].(type) {
		case *search.SortField:
			if f.Field != fieldPublished {
				return sp, fmt.Errorf("sort by %q is not supported", f.Field)
			}
			sp.order = ByDate
			if f.Desc {
				sp.order = ByDateDesc
			}
		case *search.SortDocID:
			if f.Desc {
				return sp, fmt.Errorf("sort by descending ID is not supported")
			}
			sp.byID = true
		case *search.SortScore:
		default:
			return sp, fmt.Errorf("sort by %T is not supported", f)
		}
	}
	if len(req.Facets) > 0 {
		sp.facets = map[string]string{}
		for name, fr := range req.Facets {
			sp.facets[name] = fr.Field
		}
	}
	return sp, nil
}

// candidate is a hit in a shard's heap.
type candidate struct {
	num   uint64  // the snapshot's document number
	score float64 // BM25
	key   int64   // with a date order: the date (its negation for newest first), missing last
	id    string  // read when a tie needs it, or at the end
}

// noDate is the key of an article without a date: after all others.
const noDate = math.MaxInt64

// collected is a shard's answer.
type collected struct {
	total  uint64
	hits   []candidate // best first, IDs read
	facets map[string]map[string]int
}

// collect runs sp on the shard's current snapshot.
func (s *shard) collect(ctx context.Context, sp collectSpec) (*collected, error) {
	adv, err := s.bi.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("collect: unexpected index reader %T", r)
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return bindex.BM25Scoring }))
	sr, err := sp.q.Searcher(ctx, r, s.bi.Mapping(), search.SearcherOptions{Score: sp.score})
	if err != nil {
		return nil, err
	}
	defer sr.Close()

	c := &collector{spec: sp, snap: snap, cols: s.columns(snap)}
	c.segs = snap.Segments()
	c.ends = make([]uint64, len(c.segs))
	var end uint64
	for i, ss := range c.segs {
		end += ss.Segment().Count()
		c.ends[i] = end
	}
	if err := c.start(); err != nil {
		return nil, err
	}
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0),
		IndexReader:       r,
	}
	var n uint64
	d, err := sr.Next(sctx)
	for err == nil && d != nil {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		n++
		if err := c.add(d); err != nil {
			return nil, err
		}
		sctx.DocumentMatchPool.Put(d)
		d, err = sr.Next(sctx)
	}
	if err != nil {
		return nil, err
	}
	return c.finish()
}

// collector gathers one shard's hits.
type collector struct {
	spec collectSpec
	snap *scorch.IndexSnapshot
	segs []*scorch.SegmentSnapshot
	ends []uint64 // the first document number after each segment
	cols *columnCache

	seg    int         // the segment of the last hit
	segCo  *segColumns // its columns, or nil: read doc values
	fromDV uint64      // hits of the segment read from doc values
	// counts per facet name: of the segment's column ordinals while in a
	// segment with columns, flushed into facets when it leaves it
	ordCounts map[string][]int
	facets    map[string]map[string]int
	dvr       bindex.DocValueReader
	visit     func(field string, term []byte)
	hitDate   int64
	total     uint64
	top       candHeap
}

func (c *collector) start() error {
	c.facets = map[string]map[string]int{} // each made at its first value
	for name := range c.spec.facets {
		c.facets[name] = nil
	}
	c.top = candHeap{c: c}
	c.seg = -1
	var fields []string
	for _, f := range c.spec.facets {
		fields = append(fields, f)
	}
	if c.spec.order != ByRelevance {
		fields = append(fields, fieldPublished)
	}
	if len(fields) > 0 {
		dvr, err := c.snap.DocValueReader(fields)
		if err != nil {
			return err
		}
		c.dvr = dvr
	}
	byField := map[string][]string{}
	for name, f := range c.spec.facets {
		byField[f] = append(byField[f], name)
	}
	c.visit = func(field string, term []byte) {
		if field == fieldPublished {
			if len(term) > 0 && term[0] == numeric.ShiftStartInt64 {
				if v, err := numeric.PrefixCoded(term).Int64(); err == nil {
					c.hitDate = v
				}
			}
			return
		}
		for _, name := range byField[field] {
			if c.facets[name] == nil {
				c.facets[name] = map[string]int{}
			}
			c.facets[name][string(term)]++
		}
	}
	return nil
}

// enter moves to the segment of document num.
func (c *collector) enter(num uint64) {
	c.flush()
	for c.seg < 0 || num >= c.ends[c.seg] {
		c.seg++
	}
	c.segCo = nil
	if c.dvr != nil {
		c.segCo = c.cols.get(c.segs[c.seg].Segment())
	}
	if c.segCo == nil {
		return
	}
	for _, f := range c.spec.facets {
		if c.segCo.fields[f] == nil { // a field without columns
			c.segCo = nil
			return
		}
	}
	if c.ordCounts == nil {
		c.ordCounts = map[string][]int{}
	}
	for name, f := range c.spec.facets {
		c.ordCounts[name] = grow(c.ordCounts[name], len(c.segCo.fields[f].terms))
	}
}

// grow returns counts cleared and long enough for n values.
func grow(counts []int, n int) []int {
	if cap(counts) < n {
		return make([]int, n)
	}
	counts = counts[:n]
	clear(counts)
	return counts
}

// flush adds the counts of the segment left to the facets, and tells the
// column cache how many hits of it were read from doc values.
func (c *collector) flush() {
	if c.seg < 0 {
		return
	}
	if c.fromDV > 0 {
		c.cols.used(c.segs[c.seg].Segment(), c.fromDV)
		c.fromDV = 0
	}
	if c.segCo == nil {
		return
	}
	for name, f := range c.spec.facets {
		col := c.segCo.fields[f]
		into := c.facets[name]
		if into == nil {
			// sized by the first segment's values: a map grown one
			// split at a time cost a sixth of a frequent word's search
			into = make(map[string]int, len(col.terms))
			c.facets[name] = into
		}
		for ord, n := range c.ordCounts[name] {
			if n > 0 {
				into[col.terms[ord]] += n
			}
		}
	}
}

func (c *collector) add(d *search.DocumentMatch) error {
	num := binary.BigEndian.Uint64(d.IndexInternalID)
	c.total++
	if c.seg < 0 || num >= c.ends[c.seg] {
		c.enter(num)
	}
	local := num
	if c.seg > 0 {
		local -= c.ends[c.seg-1]
	}
	c.hitDate = noDate
	switch {
	case c.segCo != nil:
		for name, f := range c.spec.facets {
			c.segCo.fields[f].count(local, c.ordCounts[name])
		}
		c.hitDate = c.segCo.dates[local]
	case c.dvr != nil:
		c.fromDV++
		if err := c.dvr.VisitDocValues(d.IndexInternalID, c.visit); err != nil {
			return err
		}
	}
	if c.spec.size == 0 {
		return nil
	}
	cand := candidate{num: num, score: d.Score, key: noDate}
	if c.spec.byID {
		cand.score = 0 // ties throughout: the ID decides
	}
	if c.spec.order != ByRelevance && c.hitDate != noDate {
		cand.key = c.hitDate
		if c.spec.order == ByDateDesc {
			cand.key = -c.hitDate
		}
	}
	if len(c.top.h) < c.spec.size {
		heap.Push(&c.top, cand)
		return c.top.err
	}
	if !c.top.less(0, &cand) { // the worst kept ranks before the hit
		return c.top.err
	}
	c.top.h[0] = cand
	heap.Fix(&c.top, 0)
	return c.top.err
}

func (c *collector) finish() (*collected, error) {
	c.flush()
	for name, counts := range c.facets {
		if counts == nil {
			c.facets[name] = map[string]int{}
		}
	}
	out := &collected{total: c.total, facets: c.facets}
	if len(c.spec.facets) == 0 {
		out.facets = nil
	}
	out.hits = make([]candidate, len(c.top.h))
	for i := len(out.hits) - 1; i >= 0; i-- {
		out.hits[i] = heap.Pop(&c.top).(candidate)
	}
	for i := range out.hits {
		if err := c.readID(&out.hits[i]); err != nil {
			return nil, err
		}
	}
	return out, c.top.err
}

// readID reads a candidate's article ID.
func (c *collector) readID(x *candidate) error {
	if x.id != "" {
		return nil
	}
	i := 0
	for x.num >= c.ends[i] {
		i++
	}
	local := x.num
	if i > 0 {
		local -= c.ends[i-1]
	}
	id, err := c.segs[i].Segment().DocID(local)
	if err != nil {
		return err
	}
	x.id = string(id)
	return nil
}

// better reports whether a ranks before b: by date first when sorted so,
// then by score, then by ID.
func better(a, b *candidate) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// candHeap keeps the best hits with the worst on top.
type candHeap struct {
	c   *collector
	h   []candidate
	err error // from reading an ID to break a tie
}

func (h *candHeap) Len() int { return len(h.h) }

// less puts the worse first: the heap's top is the hit to drop.
func (h *candHeap) Less(i, j int) bool { return h.less(i, &h.h[j]) }

// less reports whether h.h[i] ranks after x.
func (h *candHeap) less(i int, x *candidate) bool {
	a := &h.h[i]
	if a.key == x.key && a.score == x.score {
		if err := h.c.readID(a); err != nil {
			h.err = err
		}
		if err := h.c.readID(x); err != nil {
			h.err = err
		}
	}
	return better(x, a)
}

func (h *candHeap) Swap(i, j int) { h.h[i], h.h[j] = h.h[j], h.h[i] }
func (h *candHeap) Push(x any)    { h.h = append(h.h, x.(candidate)) }
func (h *candHeap) Pop() any {
	x := h.h[len(h.h)-1]
	h.h = h.h[:len(h.h)-1]
	return x
}
