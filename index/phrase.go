package index

import (
	"bytes"
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// gramPhrase matches the articles where a query word's grams stand at
// consecutive positions of a gram field: at each position one of its terms
// (the same bigram with each combination of boundary marks an article may
// have inside the word), none at an empty position (a particle of the
// query: any character). It does what bleve's MultiPhraseQuery does, for
// this one shape of phrase, without its per-article maps of locations and
// search for paths, which cost bleve three quarters of a frequent word's
// search. Scores are left to the queries around it (constScore).
type gramPhrase struct {
	field string
	terms [][]string
}

func (q *gramPhrase) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &phraseSearcher{field: q.field, locations: opts.IncludeTermVectors}
	for i, alts := range q.terms {
		if len(alts) == 0 {
			continue
		}
		sl := &phraseSlot{offset: uint64(i)}
		for _, t := range alts {
			tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, false, false, true)
			if err != nil {
				_ = s.Close()
				return nil, err
			}
			if tfr.Count() == 0 {
				_ = tfr.Close()
				continue
			}
			sl.cursors = append(sl.cursors, &phraseCursor{term: t, r: tfr})
			sl.count += tfr.Count()
		}
		if len(sl.cursors) == 0 {
			_ = s.Close()
			return searcher.NewMatchNoneSearcher(r) // a position no article has
		}
		s.slots = append(s.slots, sl)
	}
	if len(s.slots) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	// the rarest position leads: its documents are the candidates
	slices.SortStableFunc(s.slots, func(a, b *phraseSlot) int { return int(a.count) - int(b.count) })
	return s, nil
}

// phraseCursor is one term's postings, at its current article.
type phraseCursor struct {
	term string
	r    bindex.TermFieldReader
	tfd  bindex.TermFieldDoc
	cur  *bindex.TermFieldDoc // nil: not started, or done
	done bool
}

// phraseSlot is one position of the phrase: the union of its terms.
type phraseSlot struct {
	offset  uint64 // from the phrase's first position
	cursors []*phraseCursor
	count   uint64
	pos     []uint64 // positions at the current article, sorted
	terms   []string // the term at each of pos
}

type phraseSearcher struct {
	field     string
	locations bool
	slots     []*phraseSlot
	started   bool
	starts    []uint64               // scratch: the phrase starts found at an article
	cand      bindex.IndexInternalID // scratch: the candidate article (cursors reuse their IDs)
}

// next moves the cursor to its first article at or after id (nil: the
// next one).
func (c *phraseCursor) next(id bindex.IndexInternalID) error {
	if c.done {
		return nil
	}
	if id != nil && c.cur != nil && bytes.Compare(c.cur.ID, id) >= 0 {
		return nil
	}
	var d *bindex.TermFieldDoc
	var err error
	if id == nil {
		d, err = c.r.Next(c.tfd.Reset())
	} else {
		d, err = c.r.Advance(id, c.tfd.Reset())
	}
	if err != nil {
		return err
	}
	c.cur, c.done = d, d == nil
	return nil
}

// min returns the slot's first current article, nil when all are done.
func (sl *phraseSlot) min() bindex.IndexInternalID {
	var m bindex.IndexInternalID
	for _, c := range sl.cursors {
		if c.cur != nil && (m == nil || bytes.Compare(c.cur.ID, m) < 0) {
			m = c.cur.ID
		}
	}
	return m
}

// seek moves every cursor of the slot to id or after.
func (sl *phraseSlot) seek(id bindex.IndexInternalID) error {
	for _, c := range sl.cursors {
		if err := c.next(id); err != nil {
			return err
		}
	}
	return nil
}

// gather collects the positions of the slot's terms at article id.
func (sl *phraseSlot) gather(id bindex.IndexInternalID) {
	sl.pos, sl.terms = sl.pos[:0], sl.terms[:0]
	for _, c := range sl.cursors {
		if c.cur == nil || !bytes.Equal(c.cur.ID, id) {
			continue
		}
		for _, v := range c.cur.Vectors {
			sl.pos = append(sl.pos, v.Pos)
			sl.terms = append(sl.terms, c.term)
		}
	}
	if len(sl.cursors) > 1 {
		sortPositions(sl.pos, sl.terms)
	}
}

// sortPositions sorts positions, and their terms with them (a few each).
func sortPositions(pos []uint64, terms []string) {
	for i := 1; i < len(pos); i++ {
		for j := i; j > 0 && pos[j] < pos[j-1]; j-- {
			pos[j], pos[j-1] = pos[j-1], pos[j]
			terms[j], terms[j-1] = terms[j-1], terms[j]
		}
	}
}

// has reports whether the slot has a term at position p, and which.
func (sl *phraseSlot) has(p uint64) (string, bool) {
	i, found := slices.BinarySearch(sl.pos, p)
	if !found {
		return "", false
	}
	return sl.terms[i], true
}

// find returns the first article at or after id (nil: after the current
// one) where the phrase stands.
func (s *phraseSearcher) find(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for _, sl := range s.slots {
			for _, c := range sl.cursors {
				if err := c.next(nil); err != nil {
					return nil, err
				}
			}
		}
	}
	if id != nil {
		for _, sl := range s.slots {
			if err := sl.seek(id); err != nil {
				return nil, err
			}
		}
	}
	for {
		// leapfrog to an article every position has
		lead := s.slots[0].min()
		if lead == nil {
			return nil, nil
		}
		s.cand = append(s.cand[:0], lead...)
		cand := s.cand
		agreed := true
		for _, sl := range s.slots[1:] {
			if err := sl.seek(cand); err != nil {
				return nil, err
			}
			m := sl.min()
			if m == nil {
				return nil, nil
			}
			if !bytes.Equal(m, cand) {
				s.cand = append(s.cand[:0], m...)
				if err := s.slots[0].seek(s.cand); err != nil {
					return nil, err
				}
				agreed = false
				break
			}
		}
		if !agreed {
			continue
		}
		dm := s.check(ctx, cand)
		// move past the article: the next call starts after it
		for _, sl := range s.slots {
			for _, c := range sl.cursors {
				if c.cur != nil && bytes.Equal(c.cur.ID, cand) {
					if err := c.next(nil); err != nil {
						return nil, err
					}
				}
			}
		}
		if dm != nil {
			return dm, nil
		}
	}
}

// check looks for the phrase in article id, where every position has one
// of its terms, and returns a match with the phrase's locations, or nil.
func (s *phraseSearcher) check(ctx *search.SearchContext, id bindex.IndexInternalID) *search.DocumentMatch {
	for _, sl := range s.slots {
		sl.gather(id)
	}
	lead := s.slots[0]
	s.starts = s.starts[:0]
	for _, p := range lead.pos {
		if p < lead.offset+1 {
			continue // positions are 1-based
		}
		start := p - lead.offset
		ok := true
		for _, sl := range s.slots[1:] {
			if _, found := sl.has(start + sl.offset); !found {
				ok = false
				break
			}
		}
		if ok {
			s.starts = append(s.starts, start)
		}
	}
	if len(s.starts) == 0 {
		return nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = append(dm.IndexInternalID[:0], id...)
	if s.locations {
		for _, start := range s.starts {
			for _, sl := range s.slots {
				t, _ := sl.has(start + sl.offset)
				dm.FieldTermLocations = append(dm.FieldTermLocations, search.FieldTermLocation{
					Field: s.field, Term: t, Location: search.Location{Pos: start + sl.offset},
				})
			}
		}
	}
	return dm
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.find(ctx, nil)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	return s.find(ctx, id)
}

func (s *phraseSearcher) Close() error {
	var first error
	for _, sl := range s.slots {
		for _, c := range sl.cursors {
			if err := c.r.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *phraseSearcher) Weight() float64            { return 0 }
func (s *phraseSearcher) SetQueryNorm(float64)       {}
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

// Count estimates the articles: those of the rarest position.
func (s *phraseSearcher) Count() uint64 {
	if len(s.slots) == 0 {
		return 0
	}
	return s.slots[0].count
}

func (s *phraseSearcher) Size() int {
	n := 64
	for _, sl := range s.slots {
		for _, c := range sl.cursors {
			n += 64 + c.r.Size()
		}
	}
	return n
}
