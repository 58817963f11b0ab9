package index

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/index/qparse"
)

// Sort orders search results.
type Sort int

const (
	// ByRelevance: best match first (BM25, whole words and titles weigh more).
	ByRelevance Sort = iota
	// ByDate: oldest first.
	ByDate
	// ByDateDesc: newest first.
	ByDateDesc
)

// ParseSort reads relevance, date or -date.
func ParseSort(s string) (Sort, error) {
	switch s {
	case "", "relevance":
		return ByRelevance, nil
	case "date":
		return ByDate, nil
	case "-date":
		return ByDateDesc, nil
	}
	return 0, fmt.Errorf("unknown sort %q (want relevance, date or -date)", s)
}

func (s Sort) String() string {
	switch s {
	case ByDate:
		return "date"
	case ByDateDesc:
		return "-date"
	}
	return "relevance"
}

// Facet names a Request may ask for.
const (
	FacetCategory = "category"
	FacetSource   = "source"
	FacetTag      = "tag"
	FacetMonth    = "month"
	FacetPerson   = "person"
	FacetOrg      = "org"
)

// AllFacets lists every facet, in display order.
var AllFacets = []string{FacetCategory, FacetSource, FacetTag, FacetMonth, FacetPerson, FacetOrg}

// ParseFacets reads facet names, each value one or several separated by
// commas: names from AllFacets, "all" or "none". No values means all.
func ParseFacets(vals []string) ([]string, error) {
	if len(vals) == 0 {
		return AllFacets, nil
	}
	out := []string{}
	for _, v := range vals {
		for _, f := range strings.Split(v, ",") {
			switch f = strings.TrimSpace(f); f {
			case "":
			case "all":
				return AllFacets, nil
			case "none":
				return nil, nil
			default:
				if !slices.Contains(AllFacets, f) {
					return nil, fmt.Errorf("unknown facet %q: facets are %s, all or none", f, strings.Join(AllFacets, ", "))
				}
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// Request is a search.
type Request struct {
	Query  string    // see package index/qparse for the syntax
	Since  time.Time // published at or after (zero: no bound)
	Until  time.Time // published before (zero: no bound)
	Sort   Sort
	Limit  int // hits to return; 0 means 10
	Offset int
	// Facets to count over all matching articles; nil for none.
	Facets []string
	// FacetSize bounds the values per facet (0: 10; months are all kept).
	FacetSize int
	// NoSnippets skips snippets (and the stored bodies they need).
	NoSnippets bool
	// SnippetRunes is the snippet length in characters (0: 120).
	SnippetRunes int
	// Explain asks for how the query was read (Result.Terms). Hit.Match is
	// always set.
	Explain bool
	// Strict turns off relaxing: a query that matches nothing as written
	// returns nothing, even where its words occur apart.
	Strict bool
	// NoCollapse shows every near-duplicate: without it, of the articles
	// of a cluster of near-duplicates that match, the one ranked first is
	// shown with the others in its Hit.Duplicates (dedup.go).
	NoCollapse bool
	// NamesApart counts the person and org facets, and filters on them,
	// by each name as indexed: without it, names that the articles'
	// glosses give as other names of one entity count as one, under the
	// commonest (mergeEntities), and a filter on one finds all
	// (entityFilter).
	NamesApart bool
}

// Result is the answer to a Request.
type Result struct {
	Query  string             `json:"query"`
	Total  uint64             `json:"total"`
	TookMS float64            `json:"took_ms"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Count `json:"facets,omitempty"`
	// Notes says how the query was read where that may surprise.
	Notes []string `json:"notes,omitempty"`
	// Notices are the Notes for programs, each with a code (notice.go).
	Notices []Notice `json:"notices,omitempty"`
	// Relaxed is set when the query as written matched nothing and the
	// hits match a looser form of it (Notes says which); every hit's Match
	// is then MatchRelaxed.
	Relaxed bool `json:"relaxed,omitempty"`
	// Terms says how each word of the query was analysed.
	Terms []TermExplain `json:"-"`
}

// Hit is one matching article.
type Hit struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Category  string    `json:"category,omitempty"`
	Source    string    `json:"source,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	Score     float64   `json:"score"`
	// Snippet is an extract of the body around the best match.
	Snippet Snippet `json:"-"`
	// TitleMarks are the matched byte ranges of Title.
	TitleMarks []Span `json:"-"`
	// Match is the strongest reason the article matched: MatchWord,
	// MatchGram, MatchVariant, MatchTranslation, MatchAlias, MatchReading
	// or MatchRelaxed. For a query of several words, the weakest of theirs.
	Match string `json:"match"`
	// Via is the other name the article has, for MatchAlias and
	// MatchReading.
	Via string `json:"via,omitempty"`
	// Duplicates are the near-duplicates of the article that also match,
	// left out of the hits (Request.NoCollapse shows them).
	Duplicates []string `json:"duplicates,omitempty"`
}

// Count is a facet value and the number of matching articles that have it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Bounds of a Request: a larger Limit is cut to MaxLimit; an Offset out of
// [0, MaxOffset] is refused (ErrInvalidRequest).
const (
	MaxLimit  = 1_000_000
	MaxOffset = 1_000_000_000
)

// fetchBelow: pages that start before it, or no further in than they are
// long, get their stored fields with the hits, from every shard (which
// loads them for its offset+limit best); deeper pages load them for the
// page only, in a second search.
const fetchBelow = 100

// Search runs a request on every shard at once. A syntax error in the
// query is a *SyntaxError; a bad request (a negative or too large offset)
// an error that says so; a failure inside the engine an *InternalError.
func (ix *Index) Search(ctx context.Context, r Request) (res *Result, err error) {
	defer guard(&err)
	start := time.Now()
	node, err := qparse.Parse(r.Query)
	if err != nil {
		return nil, err
	}
	if r.Offset < 0 || r.Offset > MaxOffset {
		return nil, fmt.Errorf("%w: offset %d: must be from 0 to %d", ErrInvalidRequest, r.Offset, MaxOffset)
	}
	limit := r.Limit
	switch {
	case limit <= 0:
		limit = 10
	case limit > MaxLimit:
		limit = MaxLimit
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	// Latin words (Google Android) and the other forms of words need
	// counts: the shards come first
	know, err := ix.knowledgeView()
	if err != nil {
		return nil, err
	}
	c := &compiler{an: ix.an, stats: newCorpusStats(), count: countShards(ctx, shards), know: know, namesApart: r.NamesApart}
	var (
		q query.Query
		p *plan
	)
	if node != nil {
		root, err := c.compile(node)
		if err != nil {
			return nil, err
		}
		if root != nil {
			p = newPlan(root)
		}
	}
	if p != nil {
		// the statistics of the scored terms, and the document counts of
		// the other forms' grams, which prune needs before the query is
		// built
		if terms := append(c.scored, gramTerms(p.root)...); len(terms) > 0 {
			if err := gatherStats(ctx, shards, terms, ix.stats, c.stats); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
		}
		p.prune(c.stats)
		q = p.query()
	}
	res = &Result{Query: r.Query, Notes: c.notes, Notices: c.notices, Terms: c.terms, Hits: []Hit{}}
	if q == nil && node != nil {
		res.TookMS = msSince(start)
		return res, nil // nothing searchable: no hits
	}
	if q == nil {
		q = query.NewMatchAllQuery()
	}
	dated := func(q query.Query) query.Query {
		if !r.Since.IsZero() || !r.Until.IsZero() {
			return query.NewConjunctionQuery([]query.Query{q, dateQuery(r.Since, r.Until)})
		}
		return q
	}
	q = dated(q)
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	req.Fields = []string{fieldTitle, fieldURL, fieldPublished, fieldPublishedText, fieldCategory, fieldSource, fieldTag}
	if !r.NoSnippets {
		req.Fields = append(req.Fields, fieldBody, fieldTitleFold, fieldBodyFold)
		req.IncludeLocations = true
	}
	switch r.Sort {
	case ByDate:
		req.SortBy([]string{fieldPublished, "-_score", "_id"})
	case ByDateDesc:
		req.SortBy([]string{"-" + fieldPublished, "-_score", "_id"})
	default:
		req.SortBy([]string{"-_score", "_id"})
	}
	size := r.FacetSize
	if size <= 0 {
		size = 10
	}
	for _, f := range r.Facets {
		switch f {
		case FacetMonth:
			req.AddFacet(f, bleve.NewFacetRequest(fieldMonth, facetAll))
		case FacetCategory, FacetSource, FacetTag, FacetPerson, FacetOrg:
			req.AddFacet(f, bleve.NewFacetRequest(f, facetAll))
		default:
			return nil, fmt.Errorf("unknown facet %q (want one of %s)", f, strings.Join(AllFacets, ", "))
		}
	}
	fetch := r.Offset <= max(limit, fetchBelow)
	// near-duplicates folded: dedup.go
	m, folded, err := searchCollapsed(ctx, shards, know, req, r.Offset, limit, fetch, r.NoCollapse)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if m.total == 0 && p != nil && !r.Strict {
		rm, rq, note, err := relax(ctx, shards, ix.stats, c, p.root, req, dated, r.Offset, limit, fetch)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if rm != nil {
			m, q, p = rm, rq, nil
			res.Relaxed, res.Notes, res.Notices = true, append(res.Notes, note.Message), append(res.Notices, note)
		}
	}
	if !fetch && len(m.hits) > 0 {
		if err := load(ctx, shards, m.hits, q, req.Fields, req.IncludeLocations); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	res.Total = m.total
	runes := r.SnippetRunes
	if runes <= 0 {
		runes = 120
	}
	// why each hit matched, found while the hits are made
	var (
		kinds, vias []string
		kindsDone   chan error
	)
	if !res.Relaxed && p != nil && len(m.hits) > 0 {
		var locs []search.FieldTermLocationMap
		if req.IncludeLocations {
			for _, h := range m.hits {
				locs = append(locs, h.Locations)
			}
		}
		kindsDone = make(chan error, 1)
		go func() {
			var err error
			defer func() { kindsDone <- err }()
			defer guard(&err)
			kinds, vias, err = matchKinds(ctx, shards, m.hits, p, locs)
		}()
	}
	for _, h := range m.hits {
		hit := makeHit(h.DocumentMatch, runes, !r.NoSnippets)
		hit.Duplicates = folded[h.ID]
		res.Hits = append(res.Hits, hit)
	}
	switch {
	case res.Relaxed:
		for i := range res.Hits {
			res.Hits[i].Match = MatchRelaxed
		}
	case kindsDone != nil:
		if err := <-kindsDone; err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for i := range res.Hits {
			res.Hits[i].Match, res.Hits[i].Via = kinds[i], vias[i]
			res.Hits[i].Score = p.score(res.Hits[i].Score, kinds[i])
		}
	default:
		for i := range res.Hits {
			res.Hits[i].Match = MatchWord // filters only: nothing to match but the filters
		}
	}
	if len(r.Facets) > 0 {
		res.Facets = map[string][]Count{}
		names := know
		if r.NamesApart {
			names = nil
		}
		for _, name := range r.Facets {
			res.Facets[name] = facetCounts(name, mergeEntities(ctx, shards, names, q, name, m.facets[name]), size)
		}
	}
	res.TookMS = msSince(start)
	return res, nil
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

func makeHit(h *search.DocumentMatch, runes int, snippets bool) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	hit := Hit{
		ID: h.ID, Title: str(fieldTitle), URL: str(fieldURL), Category: str(fieldCategory),
		Source: str(fieldSource), Score: h.Score,
	}
	hit.Published = publishedOf(str)
	hit.Tags = stringsOf(h.Fields[fieldTag])
	if snippets {
		hit.TitleMarks, hit.Snippet = hitMarks(hit.Title, str(fieldTitleFold), str(fieldBody), str(fieldBodyFold), h.Locations, runes)
	}
	return hit
}

func facetCounts(name string, counts map[string]int, size int) []Count {
	if name == FacetMonth {
		out := make([]Count, 0, len(counts))
		for v, n := range counts {
			out = append(out, Count{Value: v, Count: n})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
		return out
	}
	// the top size of many values (a frequent word has tens of thousands
	// of people): a heap of the best size seen, the worst on top, rather
	// than a sort of them all
	before := func(a, b Count) bool {
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Value < b.Value
	}
	top := &countHeap{before: before}
	for v, n := range counts {
		c := Count{Value: v, Count: n}
		switch {
		case len(top.c) < size:
			heap.Push(top, c)
		case size > 0 && before(c, top.c[0]):
			top.c[0] = c
			heap.Fix(top, 0)
		}
	}
	out := top.c
	sort.Slice(out, func(i, j int) bool { return before(out[i], out[j]) })
	return out
}

// countHeap keeps the best counts with the worst on top.
type countHeap struct {
	c      []Count
	before func(a, b Count) bool
}

func (h *countHeap) Len() int           { return len(h.c) }
func (h *countHeap) Less(i, j int) bool { return h.before(h.c[j], h.c[i]) }
func (h *countHeap) Swap(i, j int)      { h.c[i], h.c[j] = h.c[j], h.c[i] }
func (h *countHeap) Push(x any)         { h.c = append(h.c, x.(Count)) }
func (h *countHeap) Pop() any {
	x := h.c[len(h.c)-1]
	h.c = h.c[:len(h.c)-1]
	return x
}
