package index

import (
	"context"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
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
	note Notice
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
		out = append(out, relaxation{apart, relaxedPhrasesNotice(phrases)})
	}
	words, rest := positiveWords(apart)
	if len(words) >= 2 {
		var names []string
		for _, w := range words {
			names = append(names, wordText(w))
		}
		for k := len(words) - 1; k >= 1; k-- {
			m := &andNode{must: append([]node{&minNode{nodes: words, min: k}}, rest.must...), not: rest.not}
			out = append(out, relaxation{m, relaxedWordsNotice(names, k)})
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
		return a, []string{n.value}
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
// matches; req is the request that matched nothing, dated adds its dates
// to a query. It returns the answer, its query and the note, or nil when no
// looser form matches either.
func relax(ctx context.Context, shards []*shard, gs *genStats, c *compiler, root node, req *bleve.SearchRequest, dated func(query.Query) query.Query, offset, limit int, fetch bool) (*merged, query.Query, Notice, error) {
	// the words of the split phrases are new terms: their statistics are
	// gathered apart (the others' are complete)
	c.stats, c.scored = newCorpusStats(), nil
	rs := c.relaxations(root)
	if len(c.scored) > 0 {
		if err := gatherStats(ctx, shards, c.scored, gs, c.stats); err != nil {
			return nil, nil, Notice{}, err
		}
	}
	for _, r := range rs {
		rq := dated(build(r.root, levelVariant, true)) // no translations: close to what was asked
		rr := *req
		rr.Query = rq
		m, err := searchShards(ctx, shards, &rr, offset, limit, fetch)
		if err != nil {
			return nil, nil, Notice{}, err
		}
		if m.total > 0 {
			return m, rq, r.note, nil
		}
	}
	return nil, nil, Notice{}, nil
}

// prune drops each other spelling and translation of the plan's words
// that cannot match: one with a position none of whose terms any article
// has (13 of the 17 public queries with other spellings have no hit by
// them). A tier that cannot match would still cost its share of the search
// (its NOT repeats the phrases as written). The terms' document counts
// come with the scored terms' statistics (gramTerms, gatherStats), in the
// same pass over the shards.
func (p *plan) prune(stats *corpusStats) {
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *textNode:
			kept := n.alts[:0]
			for _, a := range n.alts {
				if a.kind == altLiteral || feasible(a.grams, n.field, stats) {
					kept = append(kept, a)
				}
			}
			n.alts = kept
		case *andNode:
			for _, x := range n.must {
				walk(x)
			}
		case *orNode:
			for _, x := range n.nodes {
				walk(x)
			}
		}
	}
	walk(p.root)
	p.setTiers()
}

// feasible reports whether every position of a gram phrase has a term that
// some article has, in one of the gram fields of field.
func feasible(grams [][]string, field string, stats *corpusStats) bool {
	for _, f := range textFields(field) {
		ok := true
		for _, alts := range grams {
			if len(alts) == 0 {
				continue
			}
			found := false
			for _, t := range alts {
				if stats.df[termKey{field: f.gram, term: t}] > 0 {
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// gramTerms returns the gram terms of the forms other than as written of
// the node's words, for prune.
func gramTerms(n node) []termKey {
	var out []termKey
	switch n := n.(type) {
	case *textNode:
		for _, a := range n.alts {
			if a.kind == altLiteral {
				continue
			}
			for _, f := range textFields(n.field) {
				for _, alts := range a.grams {
					for _, t := range alts {
						out = append(out, termKey{field: f.gram, term: t})
					}
				}
			}
		}
	case *andNode:
		for _, x := range n.must {
			out = append(out, gramTerms(x)...)
		}
	case *orNode:
		for _, x := range n.nodes {
			out = append(out, gramTerms(x)...)
		}
	}
	return out
}

// countShards returns a function that counts the articles a query
// matches over all shards.
func countShards(ctx context.Context, shards []*shard) func(query.Query) (uint64, error) {
	return func(q query.Query) (uint64, error) {
		var total atomic.Uint64
		err := eachShard(shards, func(_ int, s *shard) error {
			req := bleve.NewSearchRequestOptions(q, 0, 0, false)
			req.Score = "none"
			sr, err := s.bi.SearchInContext(ctx, req)
			if err != nil {
				return err
			}
			total.Add(sr.Total)
			return nil
		})
		return total.Load(), err
	}
}

// matchKinds returns why each hit of the plan matched (Hit.Match): the
// strongest reason. Whether a hit matched a word as written, in another
// spelling or by a translation is read from its gram locations (locs, one
// per hit, from the search), by finding the phrases of each form there;
// without locations (no snippets) the hits are searched again at each
// level. Whether the article's own words agree (MatchWord) takes one search
// for the word terms over the literal hits, on the shards they are in.
func matchKinds(ctx context.Context, shards []*shard, hits []shardHit, p *plan, locs []search.FieldTermLocationMap) ([]string, []string, error) {
	shardOf := make(map[string]int, len(hits))
	for _, h := range hits {
		shardOf[h.ID] = h.shard
	}
	// within returns those of among that match q, asking only the shards
	// they are in
	within := func(q query.Query, among []string) (map[string]bool, error) {
		out := map[string]bool{}
		if len(among) == 0 {
			return out, nil
		}
		if q == nil {
			for _, id := range among {
				out[id] = true
			}
			return out, nil
		}
		byShard := map[int][]string{}
		for _, id := range among {
			byShard[shardOf[id]] = append(byShard[shardOf[id]], id)
		}
		// one shard after the other, on this goroutine (Search runs this
		// beside making the hits, on a goroutine of its own): a few small
		// searches cost less than a goroutine each on a busy machine
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		var err error
		for i, s := range shards {
			ids := byShard[i]
			if len(ids) == 0 {
				continue
			}
			req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{idQuery(ids), q}), len(ids), 0, false)
			req.Score = "none"
			sr, e := s.bi.SearchInContext(ctx, req)
			if e != nil {
				err = e
				break
			}
			for _, h := range sr.Hits {
				out[h.ID] = true
			}
		}
		return out, err
	}
	kinds := make([]altKind, len(hits))
	tiers := p.tiers()
	resolved := len(tiers) == 0
	if !resolved && locs != nil {
		resolved = true
		for i := range hits {
			if kinds[i] = kindAt(p.root, locs[i]); kinds[i] < 0 {
				resolved = false
				break
			}
		}
	}
	if !resolved {
		ids := make([]string, len(hits))
		for i := range hits {
			ids[i] = hits[i].ID
		}
		// the hits that match at each level, from the words as written
		// down: a hit's kind is the first level it matches at
		levels := []altKind{altLiteral}
		for _, t := range tiers {
			levels = append(levels, t.kind)
		}
		found := make([]map[string]bool, len(levels))
		for j, k := range levels {
			lv := levelOf(k)
			if k == altLiteral {
				lv = levelGram
			}
			if j == len(levels)-1 && j > 0 {
				break // what matches no level before matches the last
			}
			var err error
			if found[j], err = within(build(p.root, lv, false), ids); err != nil {
				return nil, nil, err
			}
		}
		for i, h := range hits {
			kinds[i] = levels[len(levels)-1]
			for j := range levels {
				if found[j] != nil && found[j][h.ID] {
					kinds[i] = levels[j]
					break
				}
			}
		}
	}
	var literal []string
	for i, h := range hits {
		if kinds[i] == altLiteral {
			literal = append(literal, h.ID)
		}
	}
	word, err := within(wordQuery(p.root), literal)
	if err != nil {
		return nil, nil, err
	}
	out := make([]string, len(hits))
	vias := make([]string, len(hits))
	for i := range hits {
		switch {
		case kinds[i] == altVariant:
			out[i] = MatchVariant
		case kinds[i] == altTranslation:
			out[i] = MatchTranslation
		case kinds[i] == altAlias || kinds[i] == altReading:
			out[i] = MatchAlias
			if kinds[i] == altReading {
				out[i] = MatchReading
			}
			var loc search.FieldTermLocationMap
			if locs != nil {
				loc = locs[i]
			}
			if vias[i], err = viaOf(p.root, kinds[i], hits[i].ID, loc, within); err != nil {
				return nil, nil, err
			}
		case word[hits[i].ID]:
			out[i] = MatchWord
		default:
			out[i] = MatchGram
		}
	}
	return out, vias, nil
}

// kindAt returns how a hit with the gram locations locs matched the node:
// altLiteral if as written, altVariant if only in another spelling,
// altTranslation if only by a translation; -1 if the locations do not
// tell. For several words, the weakest; for alternatives, the strongest.
func kindAt(n node, locs search.FieldTermLocationMap) altKind {
	switch n := n.(type) {
	case *textNode:
		for _, kind := range []altKind{altLiteral, altVariant, altTranslation, altAlias, altReading} {
			for _, a := range n.alts {
				if a.kind != kind {
					continue
				}
				for _, f := range textFields(n.field) {
					if phraseIn(a.grams, locs[f.gram]) {
						return kind
					}
				}
			}
		}
		return -1
	case *andNode:
		k := altLiteral
		for _, x := range n.must {
			kx := kindAt(x, locs)
			if kx < 0 {
				return -1
			}
			k = max(k, kx)
		}
		return k
	case *orNode:
		k := altKind(-1)
		for _, x := range n.nodes {
			if kx := kindAt(x, locs); kx >= 0 && (k < 0 || kx < k) {
				k = kx
			}
		}
		return k
	}
	return altLiteral // a filter matched as written
}

// phraseIn reports whether a gram phrase (alternatives per position, none
// for any) occurs in a field's term locations.
func phraseIn(phrase [][]string, tl search.TermLocationMap) bool {
	if len(phrase) == 0 || len(tl) == 0 {
		return false
	}
	at := func(term string, pos uint64) bool {
		for _, l := range tl[term] {
			if l.Pos == pos {
				return true
			}
		}
		return false
	}
	for _, first := range phrase[0] {
		for _, l := range tl[first] {
			ok := true
			for i := 1; i < len(phrase) && ok; i++ {
				if len(phrase[i]) == 0 {
					continue
				}
				ok = false
				for _, t := range phrase[i] {
					if at(t, l.Pos+uint64(i)) {
						ok = true
						break
					}
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// wordQuery returns the query of the word terms of the literal forms of
// the node's words (not under a NOT): whether the article's own
// segmentation has them. nil: nothing to check (a word without word terms,
// a filter).
func wordQuery(n node) query.Query {
	switch n := n.(type) {
	case *textNode:
		var qs []query.Query
		for _, a := range n.alts {
			if a.kind != altLiteral {
				continue
			}
			for _, f := range textFields(n.field) {
				if q := n.wordTerms(a.words, f.word, 1); q != nil {
					qs = append(qs, q)
				} else {
					return nil
				}
			}
		}
		if len(qs) == 0 {
			return nil
		}
		return disjunction(qs)
	case *andNode:
		var qs []query.Query
		for _, x := range n.must {
			if q := wordQuery(x); q != nil {
				qs = append(qs, q)
			}
		}
		switch len(qs) {
		case 0:
			return nil
		case 1:
			return qs[0]
		}
		return query.NewConjunctionQuery(qs)
	case *orNode:
		var qs []query.Query
		for _, x := range n.nodes {
			q := wordQuery(x)
			if q == nil {
				return nil
			}
			qs = append(qs, q)
		}
		return disjunction(qs)
	}
	return nil
}
