package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/analyzer"
)

// Related articles: more like this one. An article's most distinctive
// words (its nouns by tf-idf over the whole index, a title word counting
// titleBoost times) and the people and organisations it names are
// searched for, any two of them, ranked by BM25 over all shards with each
// word weighed by its tf-idf; the article itself and its near-duplicates
// are left out (a copy is not a related story).

// Bounds of a related search.
const (
	relatedTerms      = 20  // distinctive words searched
	relatedCandidates = 200 // words whose document frequency is looked up
	// relatedCommon: a word in more than this share of the articles says
	// little about a story
	relatedCommon = 0.05
	// relatedCommonMin: in a small index, a word in this many articles is
	// not common yet
	relatedCommonMin = 5
	// MaxRelated bounds Related's limit.
	MaxRelated = 100
)

// RelatedResult is the answer of Related.
type RelatedResult struct {
	ID     string  `json:"id"`
	TookMS float64 `json:"took_ms"`
	// Terms are the words searched for, most distinctive first, and
	// Entities the people and organisations.
	Terms    []string `json:"terms"`
	Entities []string `json:"entities"`
	Hits     []Hit    `json:"hits"`
}

// Related returns the articles most like the article id, at most limit
// (0: 10), near-duplicates of it left out. An unknown id is an error
// wrapping ErrArticleNotFound.
func (ix *Index) Related(ctx context.Context, id string, limit int) (res *RelatedResult, err error) {
	defer guard(&err)
	start := time.Now()
	switch {
	case limit <= 0:
		limit = 10
	case limit > MaxRelated:
		limit = MaxRelated
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	a, err := articleOf(ctx, shards, id)
	if err != nil {
		return nil, err
	}
	know, err := ix.knowledgeView()
	if err != nil {
		return nil, err
	}
	res = &RelatedResult{ID: a.ID, Terms: []string{}, Entities: []string{}, Hits: []Hit{}}

	// the article's nouns, a title word counting titleBoost times
	tf := map[string]float64{}
	for _, t := range []struct {
		words  []analyzer.Token
		weight float64
	}{{ix.an.Words(a.Title), titleBoost}, {ix.an.Words(a.Body), 1}} {
		for _, w := range t.words {
			if distinctive(w.Term, w.POS, w.Unknown) {
				tf[w.Term] += t.weight
			}
		}
	}
	cands := make([]string, 0, len(tf))
	for t := range tf {
		cands = append(cands, t)
	}
	sort.Slice(cands, func(i, j int) bool {
		if tf[cands[i]] != tf[cands[j]] {
			return tf[cands[i]] > tf[cands[j]]
		}
		return cands[i] < cands[j]
	})
	cands = cands[:min(len(cands), relatedCandidates)]
	stats := newCorpusStats()
	var keys []termKey
	for _, t := range cands {
		keys = append(keys, termKey{fieldBody, t}, termKey{fieldTitle, t})
	}
	if len(keys) > 0 {
		if err := gatherStats(ctx, shards, keys, ix.stats, stats); err != nil {
			return nil, fmt.Errorf("related: %w", err)
		}
	}
	n := float64(stats.docs)
	type scored struct {
		term   string
		weight float64
	}
	var ranked []scored
	for _, t := range cands {
		df := float64(max(stats.df[termKey{fieldBody, t}], stats.df[termKey{fieldTitle, t}]))
		if df <= 1 || df > max(relatedCommon*n, relatedCommonMin) {
			continue // only in this article, or in too many
		}
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		ranked = append(ranked, scored{t, (1 + math.Log(tf[t])) * idf})
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].weight != ranked[j].weight {
			return ranked[i].weight > ranked[j].weight
		}
		return ranked[i].term < ranked[j].term
	})
	ranked = ranked[:min(len(ranked), relatedTerms)]
	var clauses []query.Query
	mean := 0.0
	for _, s := range ranked {
		res.Terms = append(res.Terms, s.term)
		clauses = append(clauses, disjunction([]query.Query{
			&scoredTerm{key: termKey{fieldTitle, s.term}, boost: s.weight * titleBoost, stats: stats},
			&scoredTerm{key: termKey{fieldBody, s.term}, boost: s.weight, stats: stats},
		}))
		mean += s.weight / float64(len(ranked))
	}
	// the people and organisations it names, each worth twice an average
	// word (and their other names: one entity)
	title, body := ix.an.Words(a.Title), ix.an.Words(a.Body)
	people, orgs := entities(*a, title, body)
	people, orgs = ix.learn(*a, title, body, people, orgs).entities(*a, title, body, people, orgs)
	for _, e := range []struct {
		field string
		names []string
	}{{FacetPerson, people}, {FacetOrg, orgs}} {
		for _, name := range e.names {
			res.Entities = append(res.Entities, name)
			tq := query.NewTermQuery(name)
			tq.SetField(e.field)
			var q query.Query = tq
			if know != nil {
				q = (&compiler{know: know}).entityFilter(e.field, name, tq)
			}
			clauses = append(clauses, &constScore{q: q, boost: 2 * max(mean, 1)})
		}
	}
	if len(clauses) == 0 {
		res.TookMS = msSince(start)
		return res, nil
	}
	any := query.NewDisjunctionQuery(clauses)
	any.SetMin(float64(min(2, len(clauses))))
	exclude := []string{a.ID}
	if know != nil {
		if c, ok := know.cluster[a.ID]; ok {
			exclude = append(exclude, know.clusters[c]...)
		}
	}
	b := query.NewBooleanQuery([]query.Query{any}, nil, []query.Query{idQuery(exclude)})
	req := bleve.NewSearchRequestOptions(b, limit, 0, false)
	req.Fields = []string{fieldTitle, fieldURL, fieldPublished, fieldPublishedText, fieldCategory, fieldSource, fieldTag}
	req.SortBy([]string{"-_score", "_id"})
	m, err := searchShards(ctx, shards, req, 0, limit, true)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	for _, h := range m.hits {
		hit := makeHit(h.DocumentMatch, 0, false)
		hit.Match = MatchWord
		res.Hits = append(res.Hits, hit)
	}
	res.TookMS = msSince(start)
	return res, nil
}

// distinctive reports whether a word can tell a story from others: a
// noun (not a number, a pronoun, a suffix or a dependent noun) or a word
// the dictionary does not know, of two characters or more, not digits.
func distinctive(term, pos string, unknown bool) bool {
	if utf8.RuneCountInString(term) < 2 || strings.IndexFunc(term, unicode.IsLetter) < 0 {
		return false
	}
	if unknown {
		return true
	}
	if !strings.HasPrefix(pos, "名詞") {
		return false
	}
	for _, bad := range []string{"名詞,数", "名詞,代名詞", "名詞,接尾", "名詞,非自立", "名詞,副詞可能"} {
		if strings.HasPrefix(pos, bad) {
			return false
		}
	}
	return true
}

// articleOf reads an article from its shard. Call with mu held.
func articleOf(ctx context.Context, shards []*shard, id string) (*Article, error) {
	s := shards[shardOf(id, len(shards))]
	req := bleve.NewSearchRequestOptions(idQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fieldTitle, fieldBody, fieldURL, fieldPublished, fieldPublishedText, fieldCategory, fieldSource, fieldTag}
	res, err := s.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrArticleNotFound, id)
	}
	h := res.Hits[0]
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	a := &Article{ID: h.ID, Title: str(fieldTitle), Body: str(fieldBody), URL: str(fieldURL),
		Category: str(fieldCategory), Source: str(fieldSource), Tags: stringsOf(h.Fields[fieldTag])}
	a.Published = publishedOf(str)
	return a, nil
}
