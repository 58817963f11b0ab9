package index

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"os"

	bindex "github.com/blevesearch/bleve_index_api"
)

// genStatsFile holds the statistics of a generation that cannot be summed
// over its shards at search time: written when the generation is
// published, read by its readers.
const genStatsFile = "stats.json"

// genStats are a generation's corpus statistics for ranking.
type genStats struct {
	Docs uint64 `json:"docs"`
	// Terms is, per scored field, the number of distinct terms over all
	// shards: what bleve's BM25 divides by the article count for the
	// field's average size.
	Terms map[string]uint64 `json:"terms"`
}

// scoredFields are the fields scoredTerm scores.
var scoredFields = []string{fieldTitle, fieldBody}

// computeGenStats counts the articles of the shards and the distinct
// terms of each scored field over all of them, merging the shards' sorted
// dictionaries.
func computeGenStats(shards []*shard) (*genStats, error) {
	st := &genStats{Terms: map[string]uint64{}}
	for _, s := range shards {
		n, err := s.bi.DocCount()
		if err != nil {
			return nil, err
		}
		st.Docs += n
	}
	for _, f := range scoredFields {
		n, err := distinctTerms(shards, f)
		if err != nil {
			return nil, err
		}
		st.Terms[f] = n
	}
	return st, nil
}

// distinctTerms counts the terms of field in the union of the shards'
// dictionaries.
func distinctTerms(shards []*shard, field string) (uint64, error) {
	h := &dictHeap{}
	defer func() {
		for _, c := range *h {
			_ = c.d.Close()
		}
	}()
	for _, s := range shards {
		d, err := s.bi.FieldDict(field)
		if err != nil {
			return 0, err
		}
		e, err := d.Next()
		if err != nil || e == nil {
			_ = d.Close()
			if err != nil {
				return 0, err
			}
			continue
		}
		heap.Push(h, &dictCursor{d: d, term: e.Term})
	}
	var n uint64
	last, first := "", true
	for h.Len() > 0 {
		c := (*h)[0]
		if first || c.term != last {
			n++
			last, first = c.term, false
		}
		e, err := c.d.Next()
		if err != nil {
			return 0, err
		}
		if e == nil {
			_ = c.d.Close()
			heap.Pop(h)
			continue
		}
		c.term = e.Term
		heap.Fix(h, 0)
	}
	return n, nil
}

type dictCursor struct {
	d    bindex.FieldDict
	term string
}

type dictHeap []*dictCursor

func (h dictHeap) Len() int           { return len(h) }
func (h dictHeap) Less(i, j int) bool { return h[i].term < h[j].term }
func (h dictHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dictHeap) Push(x any)        { *h = append(*h, x.(*dictCursor)) }
func (h *dictHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// writeGenStats writes the statistics of the writer's shards into its
// generation.
func (ix *Index) writeGenStats(shards []*shard) error {
	st, err := computeGenStats(shards)
	if err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return ix.st.WriteFile(ix.gen, genStatsFile, b)
}

// readGenStats reads a published generation's statistics; nil when it has
// none (then the shards' own are summed, an approximation).
func (ix *Index) readGenStats(gen string) (*genStats, error) {
	b, err := os.ReadFile(ix.st.Path(gen, genStatsFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st genStats
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, ix.st.Path(gen, genStatsFile), err)
	}
	return &st, nil
}
