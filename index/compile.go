package index

import (
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index/qparse"
)

// Ranking weights. Every hit matches the gram phrase; its score is the
// BM25 of the query's words in the article's own segmentation (exact words
// rank first), a title match counting titleBoost times a body match, plus
// the title's gram match (body grams carry no frequencies: they decide
// whether and where, not how well).
const (
	titleBoost = 3.0
	wordBoost  = 2.0
	// titleBonus is the score of a title that has the query's phrase, as
	// its grams found it (before the query norm, as every clause's).
	titleBonus = 3.0
)

// compiler turns a parsed query into a bleve query.
type compiler struct {
	an    *analyzer.Analyzer
	notes []string // what the user should know about how the query was read
	terms []TermExplain
	words []query.Query // the word clauses, for Request.Explain
	// stats are the corpus statistics of the scored terms, which Search
	// gathers over all shards before searching (see scoring.go)
	stats  *corpusStats
	scored []termKey
}

// TermExplain tells how one word of a query was analysed.
type TermExplain struct {
	Text  string     `json:"text"`
	Field string     `json:"field,omitempty"`
	Grams [][]string `json:"grams"`           // per position, the gram terms accepted ([] = any)
	Words []string   `json:"words,omitempty"` // the word terms, "" for a dropped stop word
}

func (c *compiler) compile(n qparse.Node) (query.Query, error) {
	switch n := n.(type) {
	case qparse.Text:
		return c.text(n), nil
	case qparse.Filter:
		q := query.NewTermQuery(cleanKeyword(n.Value))
		q.SetField(n.Field)
		return q, nil
	case qparse.Dates:
		return dateQuery(n.Since, n.Until), nil
	case qparse.And:
		var must, not []query.Query
		for _, x := range n.Nodes {
			neg, isNot := x.(qparse.Not)
			if isNot {
				x = neg.Node
			}
			q, err := c.compile(x)
			if err != nil {
				return nil, err
			}
			if q == nil {
				continue
			}
			if isNot {
				not = append(not, q)
			} else {
				must = append(must, q)
			}
		}
		return boolean(must, not), nil
	case qparse.Or:
		var any []query.Query
		for _, x := range n.Nodes {
			q, err := c.compile(x)
			if err != nil {
				return nil, err
			}
			if q != nil {
				any = append(any, q)
			}
		}
		if len(any) == 0 {
			return nil, nil
		}
		return query.NewDisjunctionQuery(any), nil
	case qparse.Not:
		q, err := c.compile(n.Node)
		if err != nil || q == nil {
			return q, err
		}
		return boolean(nil, []query.Query{q}), nil
	}
	return nil, fmt.Errorf("unknown query node %T", n)
}

// boolean returns must AND NOT not; with no must, everything but not.
func boolean(must, not []query.Query) query.Query {
	if len(not) == 0 {
		switch len(must) {
		case 0:
			return nil
		case 1:
			return must[0]
		}
		return query.NewConjunctionQuery(must)
	}
	if len(must) == 0 {
		must = []query.Query{query.NewMatchAllQuery()}
	}
	return query.NewBooleanQuery(must, nil, not)
}

// dateQuery matches articles published in [since, until); a zero bound is
// open. Bounds beyond the dates the index can hold (bleve keeps nanoseconds
// since 1970 in an int64: about 1678 to 2262) are moved to its ends, so
// since:1500 means every dated article and until:3000 as well.
func dateQuery(since, until time.Time) query.Query {
	s, u := since, until
	if s.IsZero() || s.Before(query.MinRFC3339CompatibleTime) {
		s = query.MinRFC3339CompatibleTime
	}
	if !u.IsZero() && u.After(query.MaxRFC3339CompatibleTime) {
		u = time.Time{}
	}
	if !u.IsZero() && !u.After(s) {
		return query.NewMatchNoneQuery()
	}
	incl, excl := true, false
	q := query.NewDateRangeInclusiveQuery(s, u, &incl, &excl)
	q.SetField(fieldPublished)
	return q
}

// text compiles a word or phrase: it must occur as a whole word (the gram
// fields, with boundary marks), and scores higher where the article's own
// segmentation has the same words (the word fields).
func (c *compiler) text(t qparse.Text) query.Query {
	variants := []string{t.Value}
	if t.Latin {
		variants = joinVariants(strings.Fields(t.Value))
	}
	var grams, titleGrams, words []query.Query
	for i, v := range variants {
		r := c.an.Analyze(v) // one kagome pass for both phrases
		gp := analyzer.GramPhraseOf(r.Grams)
		if len(gp) == 0 {
			continue
		}
		wp := analyzer.WordPhraseOf(r.Words)
		if i == 0 {
			c.terms = append(c.terms, TermExplain{Text: t.Value, Field: t.Field, Grams: gp, Words: wp})
		}
		for _, f := range textFields(t.Field) {
			p := phrase(gp, f.gram)
			grams = append(grams, p)
			if f.gram == fieldTitleGram {
				titleGrams = append(titleGrams, p)
			}
			if q := c.allTerms(wp, f.word, f.boost*wordBoost); q != nil {
				words = append(words, q)
			}
		}
	}
	if len(grams) == 0 {
		c.notes = append(c.notes, fmt.Sprintf("%q has nothing to search for (only symbols or particles) and was left out", t.Value))
		return nil
	}
	// whether an article matches is the grams' business; how well, the
	// words' (and a title that has the phrase)
	match := query.Query(&constScore{q: query.NewDisjunctionQuery(grams)})
	var should []query.Query
	if len(titleGrams) > 0 {
		should = append(should, &constScore{q: query.NewDisjunctionQuery(titleGrams), boost: titleBonus})
	}
	if len(words) > 0 {
		c.words = append(c.words, words...)
		should = append(should, query.NewDisjunctionQuery(words))
	}
	if len(should) == 0 {
		return match
	}
	return query.NewBooleanQuery([]query.Query{match}, should, nil)
}

type fieldPair struct {
	word, gram string
	boost      float64
}

func textFields(field string) []fieldPair {
	title := fieldPair{fieldTitle, fieldTitleGram, titleBoost}
	body := fieldPair{fieldBody, fieldBodyGram, 1}
	switch field {
	case "title":
		return []fieldPair{title}
	case "body":
		return []fieldPair{body}
	}
	return []fieldPair{title, body}
}

// phrase builds the cheapest query for a list of alternatives per position.
func phrase(terms [][]string, field string) query.Query {
	switch {
	case len(terms) == 1 && len(terms[0]) == 1:
		tq := query.NewTermQuery(terms[0][0])
		tq.SetField(field)
		return tq
	case len(terms) == 1:
		var alts []query.Query
		for _, t := range terms[0] {
			tq := query.NewTermQuery(t)
			tq.SetField(field)
			alts = append(alts, tq)
		}
		return query.NewDisjunctionQuery(alts)
	}
	return query.NewMultiPhraseQuery(terms, field)
}

// allTerms matches articles whose field has every word term: the query's
// words as the article's own segmentation found them, somewhere. (Where
// they stand is the gram phrase's business.) Each is scored by BM25 over
// the statistics of all shards.
func (c *compiler) allTerms(words []string, field string, boost float64) query.Query {
	var qs []query.Query
	seen := map[string]bool{}
	for _, w := range words {
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		k := termKey{field: field, term: w}
		c.scored = append(c.scored, k)
		qs = append(qs, &scoredTerm{key: k, boost: boost, stats: c.stats})
	}
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// joinVariants returns the ways to write words with or without the spaces
// between them: Mac OS X, MacOS X, Mac OSX, MacOSX. At most 16.
func joinVariants(words []string) []string {
	if len(words) > 5 {
		return []string{strings.Join(words, " ")}
	}
	var out []string
	n := len(words) - 1
	for mask := 0; mask < 1<<n; mask++ {
		var b strings.Builder
		b.WriteString(words[0])
		for i := 1; i < len(words); i++ {
			if mask&(1<<(i-1)) == 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[i])
		}
		out = append(out, b.String())
	}
	return out
}
