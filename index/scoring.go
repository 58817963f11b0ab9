package index

import (
	"context"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Ranking that does not depend on the number of shards.
//
// BM25 weighs a term by how many articles have it (its document frequency)
// among how many there are, and a field's length against the average. In
// a shard, bleve takes all three from the shard alone; its alias's
// "global scoring" shares the article count and field lengths but still
// takes each term's frequency from the shard. So before a search, Search
// sums the statistics of the query's scored terms over all shards
// (gatherStats), and scoredTerm scores with them: every shard scores an
// article as one index holding every article would. Clauses that only
// decide whether an article matches (the gram phrases) carry a constant
// score (constScore), which no statistic touches.

// termKey is a term of a field.
type termKey struct{ field, term string }

// corpusStats are the statistics BM25 needs, over all shards.
type corpusStats struct {
	mu       sync.Mutex
	docs     uint64
	fieldLen map[string]uint64  // total terms in each field
	df       map[termKey]uint64 // articles that have each term
}

func newCorpusStats() *corpusStats {
	return &corpusStats{fieldLen: map[string]uint64{}, df: map[termKey]uint64{}}
}

// add adds one shard's statistics for the given terms.
func (c *corpusStats) add(ctx context.Context, r bindex.IndexReader, terms []termKey) error {
	docs, err := r.DocCount()
	if err != nil {
		return err
	}
	fieldLen := map[string]uint64{}
	df := make(map[termKey]uint64, len(terms))
	br, _ := r.(bindex.BM25Reader)
	for _, k := range terms {
		if _, ok := fieldLen[k.field]; !ok && br != nil {
			n, err := br.FieldCardinality(k.field)
			if err != nil {
				return err
			}
			fieldLen[k.field] = uint64(n)
		}
		if _, ok := df[k]; ok {
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(k.term), k.field, false, false, false)
		if err != nil {
			return err
		}
		df[k] = tfr.Count()
		_ = tfr.Close()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.docs += docs
	for f, n := range fieldLen {
		c.fieldLen[f] += n
	}
	for k, n := range df {
		c.df[k] += n
	}
	return nil
}

// scoredTerm matches a term in a field and scores it by BM25 over the
// statistics of all shards, filled in before the search.
type scoredTerm struct {
	key   termKey
	boost float64
	stats *corpusStats
}

func (q *scoredTerm) SetBoost(b float64) { q.boost = b }
func (q *scoredTerm) Boost() float64     { return q.boost }

// Searcher builds bleve's term scorer with the global statistics: the
// average field length rounded up, as bleve does for one index.
func (q *scoredTerm) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	freqNorm := opts.Score != "none"
	tfr, err := r.TermFieldReader(ctx, []byte(q.key.term), q.key.field, freqNorm, freqNorm, opts.IncludeTermVectors)
	if err != nil {
		return nil, err
	}
	st := q.stats
	var avg float64
	if st.docs > 0 {
		avg = math.Ceil(float64(st.fieldLen[q.key.field]) / float64(st.docs))
	}
	sc := scorer.NewTermQueryScorer([]byte(q.key.term), q.key.field, q.boost, st.docs, st.df[q.key], avg, opts)
	return &termSearcher{reader: tfr, scorer: sc}, nil
}

// termSearcher is bleve's TermSearcher with a scorer of our making.
type termSearcher struct {
	reader bindex.TermFieldReader
	scorer *scorer.TermQueryScorer
	tfd    bindex.TermFieldDoc
}

func (s *termSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.reader.Next(s.tfd.Reset())
	if err != nil || m == nil {
		return nil, err
	}
	return s.scorer.Score(ctx, m), nil
}

func (s *termSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.reader.Advance(id, s.tfd.Reset())
	if err != nil || m == nil {
		return nil, err
	}
	return s.scorer.Score(ctx, m), nil
}

func (s *termSearcher) Close() error               { return s.reader.Close() }
func (s *termSearcher) Weight() float64            { return s.scorer.Weight() }
func (s *termSearcher) SetQueryNorm(n float64)     { s.scorer.SetQueryNorm(n) }
func (s *termSearcher) Count() uint64              { return s.reader.Count() }
func (s *termSearcher) Min() int                   { return 0 }
func (s *termSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *termSearcher) Size() int {
	return 64 + s.reader.Size() + s.tfd.Size() + s.scorer.Size()
}

// constScore matches what its query matches, every article with the same
// score: boost, times the query norm as bleve applies it to every clause.
type constScore struct {
	q     query.Query
	boost float64
}

func (c *constScore) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	o := opts
	o.Score = "none"
	inner, err := c.q.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	return &constSearcher{inner: inner, boost: c.boost, score: c.boost}, nil
}

type constSearcher struct {
	inner        search.Searcher
	boost, score float64
}

func (s *constSearcher) set(m *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if m != nil {
		m.Score = s.score
	}
	return m, err
}

func (s *constSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.set(s.inner.Next(ctx))
}

func (s *constSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	return s.set(s.inner.Advance(ctx, id))
}

func (s *constSearcher) Close() error               { return s.inner.Close() }
func (s *constSearcher) Weight() float64            { return s.boost * s.boost }
func (s *constSearcher) SetQueryNorm(n float64)     { s.score = s.boost * n }
func (s *constSearcher) Count() uint64              { return s.inner.Count() }
func (s *constSearcher) Min() int                   { return s.inner.Min() }
func (s *constSearcher) DocumentMatchPoolSize() int { return s.inner.DocumentMatchPoolSize() }
func (s *constSearcher) Size() int                  { return 32 + s.inner.Size() }
