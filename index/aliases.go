package index

import (
	"context"
	"sort"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/index/qparse"
	"github.com/newsearch/newsearch/internal/knowledge"
)

// How a search uses what the index learnt (knowledge.go). A query word
// is also searched by its other names, each one more alternative of the
// word (altAlias, in the tiers of plan.query, after the translations); a
// word in kana (or in romaji) by the name it reads (altReading, last).
// The person and org filters and facets take a name and its other names
// as one entity.

// maxAliases bounds the other names a query word is searched by.
const maxAliases = 8

// learnt adds the alternatives the index learnt for a query word: its
// other names, and the name it reads.
func (c *compiler) learnt(t qparse.Text, add func(altKind, string)) {
	if c.know == nil {
		return
	}
	n := 0
	for _, a := range c.know.aliasesOf(t.Value) {
		if a.Kind == string(knowledge.Reading) || n >= maxAliases {
			continue // a reading is how a name is said, not another name to search
		}
		add(altAlias, a.Alias)
		n++
	}
	if name := c.readingName(t.Value); name != "" {
		add(altReading, name)
	}
}

// readingName returns the name a query word in kana, or in romaji, reads.
func (c *compiler) readingName(value string) string {
	if name := c.know.nameOfReading(value); name != "" {
		return name
	}
	if kana, ok := knowledge.KanaOfRomaji(value); ok {
		return c.know.nameOfReading(kana)
	}
	return ""
}

// knownName reports whether Latin words are, together, a name the index
// knows another name of (Alibaba Group), or read one (son masayoshi).
func (c *compiler) knownName(value string) bool {
	return c.know != nil && (len(c.know.aliasesOf(value)) > 0 || c.readingName(value) != "")
}

// entityKinds are the kinds of aliases that name the same entity in the
// person and org facets (a reading is no facet value).
func entityAlias(a Alias) bool { return a.Kind != string(knowledge.Reading) }

// entityFilter widens a person: or org: filter to the entity's other
// names: person:呉泳銘 also finds the articles that name エディ・ウー.
func (c *compiler) entityFilter(field, value string, q query.Query) query.Query {
	if c.know == nil || c.namesApart || field != FacetPerson && field != FacetOrg {
		return q
	}
	qs := []query.Query{q}
	for _, a := range c.know.aliasesOf(value) {
		if entityAlias(a) {
			tq := query.NewTermQuery(cleanKeyword(a.Alias))
			tq.SetField(field)
			qs = append(qs, tq)
		}
	}
	return disjunction(qs)
}

// viaOf returns the other name by which a hit matched at kind: the first
// alternative of the kind whose phrase is in the hit's gram locations, or,
// without them, that matches the hit (within searches the hits given).
func viaOf(n node, kind altKind, id string, locs search.FieldTermLocationMap, within func(query.Query, []string) (map[string]bool, error)) (string, error) {
	switch n := n.(type) {
	case *textNode:
		for _, a := range n.alts {
			if a.kind != kind {
				continue
			}
			var phrases []query.Query
			for _, f := range textFields(n.field) {
				if locs != nil && phraseIn(a.grams, locs[f.gram]) {
					return a.text, nil
				}
				phrases = append(phrases, phrase(a.grams, f.gram))
			}
			if locs == nil {
				found, err := within(disjunction(phrases), []string{id})
				if err != nil {
					return "", err
				}
				if found[id] {
					return a.text, nil
				}
			}
		}
	case *andNode:
		for _, x := range n.must {
			if v, err := viaOf(x, kind, id, locs, within); v != "" || err != nil {
				return v, err
			}
		}
	case *orNode:
		for _, x := range n.nodes {
			if v, err := viaOf(x, kind, id, locs, within); v != "" || err != nil {
				return v, err
			}
		}
	}
	return "", nil
}

// mergeEntities counts a person or org facet by entity: values that are
// other names of each other count as one, under the name with the most
// articles, the articles that have any of them counted once (by a count
// of the query with a filter on the names: an article that names both is
// not counted twice).
func mergeEntities(ctx context.Context, shards []*shard, v *knowView, q query.Query, facet string, counts map[string]int) map[string]int {
	if v == nil || facet != FacetPerson && facet != FacetOrg || len(counts) < 2 {
		return counts
	}
	byKey := map[string]string{}
	for value := range counts {
		byKey[knowledge.Key(value)] = value
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		for parent[x] != "" && parent[x] != x {
			x = parent[x]
		}
		return x
	}
	for value := range counts {
		for _, a := range v.aliasesOf(value) {
			if other, ok := byKey[knowledge.Key(a.Alias)]; ok && entityAlias(a) && other != value {
				ra, rb := find(value), find(other)
				if ra != rb {
					parent[ra] = rb
				}
			}
		}
	}
	if len(parent) == 0 {
		return counts
	}
	groups := map[string][]string{}
	for value := range counts {
		r := find(value)
		groups[r] = append(groups[r], value)
	}
	out := make(map[string]int, len(counts))
	count := countShards(ctx, shards)
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool {
			if counts[g[i]] != counts[g[j]] {
				return counts[g[i]] > counts[g[j]]
			}
			return g[i] < g[j]
		})
		if len(g) == 1 {
			out[g[0]] = counts[g[0]]
			continue
		}
		var names []query.Query
		for _, value := range g {
			tq := query.NewTermQuery(value)
			tq.SetField(facet)
			names = append(names, tq)
		}
		n, err := count(query.NewConjunctionQuery([]query.Query{q, query.NewDisjunctionQuery(names)}))
		if err != nil {
			// the sum is an upper bound; the facet still shows the entity
			for _, value := range g {
				n += uint64(counts[value])
			}
		}
		out[g[0]] = int(n)
	}
	return out
}
