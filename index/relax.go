package index

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// No dead ends. A query that matches nothing as written, but whose words
// occur, is searched again looser, one step at a time, and says so
// (Result.Relaxed, a note, every hit MatchRelaxed):
//
//  1. a phrase becomes its words, anywhere in the article ("Office 2010",
//     a quoted "日本 代表");
//  2. all words become all but one, then all but two, ... down to any one
//     (Google Android: Google or Android, those with both first).
//
// Filters, dates and excluded words are never relaxed.

// relaxation is a looser form of a query and what it left out.
type relaxation struct {
	root node
	note string
}

// minNode matches articles that match at least min of nodes.
type minNode struct {
	nodes []node
	min   int
}

func (*minNode) isNode() {}

// relaxations returns the looser forms of root, in the order to try them.
func (c *compiler) relaxations(root node) []relaxation {
	var out []relaxation
	apart, phrases := c.splitPhrases(root)
	if len(phrases) > 0 {
		out = append(out, relaxation{apart, fmt.Sprintf("no article has %s as written; showing articles that have its words apart", strings.Join(phrases, ", "))})
	}
	words, rest := positiveWords(apart)
	if len(words) >= 2 {
		var names []string
		for _, w := range words {
			names = append(names, fmt.Sprintf("%q", wordText(w)))
		}
		for k := len(words) - 1; k >= 1; k-- {
			m := &andNode{must: append([]node{&minNode{nodes: words, min: k}}, rest.must...), not: rest.not}
			what := fmt.Sprintf("%d of them", k)
			if k == 1 {
				what = "any of them"
			}
			out = append(out, relaxation{m, fmt.Sprintf("no article has all of %s; showing articles with %s", strings.Join(names, ", "), what)})
		}
	}
	return out
}

// splitPhrases replaces every phrase by the AND of its words, and returns
// the phrases it split.
func (c *compiler) splitPhrases(n node) (node, []string) {
	switch n := n.(type) {
	case *textNode:
		if len(n.parts) < 2 {
			return n, nil
		}
		a := &andNode{latin: true}
		for _, p := range n.parts {
			if t := c.text(p); t != nil {
				a.must = append(a.must, t)
			}
		}
		return a, []string{fmt.Sprintf("%q", n.value)}
	case *andNode:
		out := &andNode{latin: n.latin, not: n.not, rank: n.rank}
		var all []string
		for _, x := range n.must {
			y, ps := c.splitPhrases(x)
			out.must = append(out.must, y)
			all = append(all, ps...)
		}
		return out, all
	case *orNode:
		out := &orNode{}
		var all []string
		for _, x := range n.nodes {
			y, ps := c.splitPhrases(x)
			out.nodes = append(out.nodes, y)
			all = append(all, ps...)
		}
		return out, all
	}
	return n, nil
}

// positiveWords returns the words an AND at the top requires (the words
// of a Latin run count one by one), and the rest of it: filters and
// excluded words.
func positiveWords(n node) (words []node, rest *andNode) {
	rest = &andNode{}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *andNode:
			if n.latin {
				for _, x := range n.must {
					walk(x)
				}
				return
			}
			words = append(words, n)
		case *textNode:
			words = append(words, n)
		case *orNode:
			if hasFilter(n) {
				rest.must = append(rest.must, n) // (京都 OR date:2012): not a word to drop
			} else {
				words = append(words, n)
			}
		default:
			rest.must = append(rest.must, n)
		}
	}
	if a, ok := n.(*andNode); ok && !a.latin {
		for _, x := range a.must {
			walk(x)
		}
		rest.not = a.not
		return words, rest
	}
	walk(n)
	return words, rest
}

// hasFilter reports a filter or date anywhere under n.
func hasFilter(n node) bool {
	switch n := n.(type) {
	case *filterNode:
		return true
	case *andNode:
		for _, x := range append(append([]node(nil), n.must...), n.not...) {
			if hasFilter(x) {
				return true
			}
		}
	case *orNode:
		for _, x := range n.nodes {
			if hasFilter(x) {
				return true
			}
		}
	}
	return false
}

// wordText is how a word of a relaxed query is named in a note.
func wordText(n node) string {
	switch n := n.(type) {
	case *textNode:
		return n.value
	case *orNode:
		var parts []string
		for _, x := range n.nodes {
			parts = append(parts, wordText(x))
		}
		return strings.Join(parts, " OR ")
	case *andNode:
		var parts []string
		for _, x := range n.must {
			parts = append(parts, wordText(x))
		}
		return strings.Join(parts, " ")
	}
	return "?"
}

// relax runs the looser forms of a query that matched nothing until one
// matches; req is the request that matched nothing. It returns the result
// and the note, or nil when no looser form matches either.
func (ix *Index) relax(ctx context.Context, c *compiler, root node, req *bleve.SearchRequest) (*bleve.SearchResult, string, error) {
	for _, r := range c.relaxations(root) {
		req.Query = build(r.root, levelVariant, true) // no translations: close to what was asked
		ix.mu.RLock()
		sr, err := ix.bi.SearchInContext(ctx, req)
		ix.mu.RUnlock()
		if err != nil {
			return nil, "", fmt.Errorf("search: %w", err)
		}
		if sr.Total > 0 {
			return sr, r.note, nil
		}
	}
	return nil, "", nil
}

// countFunc returns a function that counts the articles a query matches.
func (ix *Index) countFunc(ctx context.Context) func(query.Query) (uint64, error) {
	return func(q query.Query) (uint64, error) {
		req := bleve.NewSearchRequestOptions(q, 0, 0, false)
		req.Score = "none"
		ix.mu.RLock()
		sr, err := ix.bi.SearchInContext(ctx, req)
		ix.mu.RUnlock()
		if err != nil {
			return 0, err
		}
		return sr.Total, nil
	}
}

// setMatches sets Hit.Match on hits of the plan, the strongest reason each
// matched, by searching the page's hits again at each level the plan has,
// and puts each hit's score back in its tier's scale (plan.score).
func (ix *Index) setMatches(ctx context.Context, p *plan, hits []Hit) error {
	ids := make([]string, len(hits))
	for i := range hits {
		ids[i] = hits[i].ID
	}
	// within returns those of among that match the plan at a level
	within := func(lv level, among []string) ([]string, error) {
		if len(among) == 0 {
			return nil, nil
		}
		q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(among), build(p.root, lv, false)})
		req := bleve.NewSearchRequestOptions(q, len(among), 0, false)
		req.Score = "none"
		ix.mu.RLock()
		sr, err := ix.bi.SearchInContext(ctx, req)
		ix.mu.RUnlock()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out := make([]string, 0, len(sr.Hits))
		for _, h := range sr.Hits {
			out = append(out, h.ID)
		}
		return out, nil
	}
	steps := []struct {
		lv    level
		match string // of those that fail at lv
		skip  bool
	}{
		{levelVariant, MatchTranslation, !p.translated},
		{levelGram, MatchVariant, !p.variants},
		{levelWord, MatchGram, false},
	}
	match := map[string]string{}
	among := ids
	for _, s := range steps {
		if s.skip {
			continue
		}
		pass, err := within(s.lv, among)
		if err != nil {
			return err
		}
		ok := make(map[string]bool, len(pass))
		for _, id := range pass {
			ok[id] = true
		}
		for _, id := range among {
			if !ok[id] {
				match[id] = s.match
			}
		}
		among = pass
	}
	for _, id := range among {
		match[id] = MatchWord
	}
	for i := range hits {
		hits[i].Match = match[hits[i].ID]
		hits[i].Score = p.score(hits[i].Score, hits[i].Match)
	}
	return nil
}
