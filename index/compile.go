package index

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/text/unicode/norm"

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
	// togetherBonus is the score of an article where Latin words searched
	// apart (Google Android) stand together as written: high enough to put
	// those first.
	togetherBonus = 100.0
	// Tiers (see plan.query): hits that match the query as written rank
	// first, then those that match only another spelling, then those that
	// match only a translation. A tier's scores are scaled by its scale and
	// lifted by its floor (some hits score 0: body grams carry no
	// frequencies), so that the lowest score of a tier stays above the
	// highest of the next. All are small enough not to change the query
	// norm that bleve computes from the boosts.
	literalFloor     = 1e-2
	variantScale     = 1e-6
	variantFloor     = 1e-7
	translationScale = 1e-12
	// The tiers of what the index learnt (knowledge.go): another name of a
	// query word (an alias), then the name a query in kana reads. A tier's
	// floor lifts it above the next only when there is a next.
	translationFloor = 1e-13
	aliasScale       = 1e-18
	aliasFloor       = 1e-19
	readingScale     = 1e-24
)

// Match kinds: why a hit matched, strongest first (Hit.Match).
const (
	// MatchWord: the article has the query's words as written, as its own
	// segmentation found them.
	MatchWord = "word"
	// MatchGram: the query's words as written, on word boundaries, where
	// the dictionary cut the article's text differently.
	MatchGram = "gram"
	// MatchVariant: another spelling of a query word (メイル for メール,
	// 申込み for 申し込み, Play Station for PlayStation).
	MatchVariant = "variant"
	// MatchTranslation: a query word in the other language (mouse for
	// マウス, フォント for font). Ranked after the matches above.
	MatchTranslation = "translation"
	// MatchAlias: another name of a query word, glossed by the articles
	// (エディ・ウー for 呉泳銘) or given in the user's aliases file;
	// Hit.Via says which. Ranked after the matches above.
	MatchAlias = "alias"
	// MatchReading: the name a query in kana reads (呉泳銘 for ごえいめい);
	// Hit.Via says which. Ranked last.
	MatchReading = "reading"
	// MatchRelaxed: not all of the query: it matched nothing as written,
	// and Result.Notes says what was left out.
	MatchRelaxed = "relaxed"
)

// level is how far a query is taken from what was written.
type level int

const (
	levelWord    level = iota // as written, and the article's own words agree
	levelGram                 // as written
	levelVariant              // or another spelling
	levelAll                  // or a translation
	levelAlias                // or another name
	levelReading              // or the name a reading reads
)

// altKind says what an alternative form of a query word is.
type altKind int

const (
	altLiteral altKind = iota
	altVariant
	altTranslation
	altAlias
	altReading
)

// levelOf is the level from which alternatives of a kind are searched.
func levelOf(k altKind) level {
	switch k {
	case altVariant:
		return levelVariant
	case altTranslation:
		return levelAll
	case altAlias:
		return levelAlias
	case altReading:
		return levelReading
	}
	return levelWord
}

// alt is one form a query word is searched by.
type alt struct {
	kind  altKind
	text  string     // as analysed (normalised for variants and translations)
	grams [][]string // the gram phrase
	words []string   // the word terms, "" for a dropped stop word
}

// node is a query compiled as far as the index needs: words with all their
// forms, filters as bleve queries. It becomes a bleve query at a level.
type node interface{ isNode() }

// textNode is one query word or phrase.
type textNode struct {
	value, field string
	alts         []alt        // altLiteral first
	stats        *corpusStats // for the word terms' BM25 (scoring.go)
	// parts are the words a phrase is made of (a quoted phrase, Latin
	// words that bind): relaxing the query searches them apart.
	parts []qparse.Text
}

type filterNode struct{ q query.Query }

// andNode matches articles that match every must and no not.
type andNode struct {
	must, not []node
	rank      []query.Query // clauses that only add to the score
	// latin: the words of one Latin run (Google Android), which relaxing
	// may treat like any other words
	latin bool
}

type orNode struct{ nodes []node }

func (*textNode) isNode()   {}
func (*filterNode) isNode() {}
func (*andNode) isNode()    {}
func (*orNode) isNode()     {}

// compiler turns a parsed query into a node tree.
type compiler struct {
	an *analyzer.Analyzer
	// namesApart: a person: or org: filter is the name as indexed alone
	// (Request.NamesApart)
	namesApart bool
	// count returns how many articles match q; Latin words use it to tell
	// a name (Windows Vista) from words that only go together (Google
	// Android). nil: Latin runs stay phrases.
	count func(q query.Query) (uint64, error)
	notes []string // what the user should know about how the query was read
	// notices are the notes for programs (notice.go)
	notices []Notice
	terms   []TermExplain
	// stats are the corpus statistics of the scored terms, which Search
	// gathers over all shards before searching (see scoring.go); scored
	// are the terms, those of every form of every word
	stats  *corpusStats
	scored []termKey
	// know is what the index learnt from its articles: aliases, name
	// readings (nil: nothing)
	know *knowView
}

// TermExplain tells how one word of a query was analysed.
type TermExplain struct {
	Text  string     `json:"text"`
	Field string     `json:"field,omitempty"`
	Grams [][]string `json:"grams"`           // per position, the gram terms accepted ([] = any)
	Words []string   `json:"words,omitempty"` // the word terms, "" for a dropped stop word
	// Variants are the other spellings also searched (MatchVariant), and
	// Translations the words in the other language (MatchTranslation).
	Variants     []string `json:"variants,omitempty"`
	Translations []string `json:"translations,omitempty"`
	// Aliases are other names of the word (MatchAlias), and Reading the
	// name a word in kana reads (MatchReading).
	Aliases []string `json:"aliases,omitempty"`
	Reading string   `json:"reading,omitempty"`
}

func (c *compiler) compile(n qparse.Node) (node, error) {
	switch n := n.(type) {
	case qparse.Text:
		if n.Latin && !n.Phrase {
			return c.latin(n), nil
		}
		return c.text(n), nil
	case qparse.Filter:
		q := query.NewTermQuery(cleanKeyword(n.Value))
		q.SetField(n.Field)
		return &filterNode{c.entityFilter(n.Field, n.Value, q)}, nil
	case qparse.Dates:
		return &filterNode{dateQuery(n.Since, n.Until)}, nil
	case qparse.And:
		a := &andNode{}
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
				a.not = append(a.not, q)
			} else {
				a.must = append(a.must, q)
			}
		}
		if len(a.must) == 0 && len(a.not) == 0 {
			return nil, nil
		}
		if len(a.must) == 1 && len(a.not) == 0 {
			return a.must[0], nil
		}
		return a, nil
	case qparse.Or:
		o := &orNode{}
		for _, x := range n.Nodes {
			q, err := c.compile(x)
			if err != nil {
				return nil, err
			}
			if q != nil {
				o.nodes = append(o.nodes, q)
			}
		}
		switch len(o.nodes) {
		case 0:
			return nil, nil
		case 1:
			return o.nodes[0], nil
		}
		return o, nil
	case qparse.Not:
		q, err := c.compile(n.Node)
		if err != nil || q == nil {
			return q, err
		}
		return &andNode{not: []node{q}}, nil
	}
	return nil, fmt.Errorf("unknown query node %T", n)
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
// fields, with boundary marks), in any of its forms, and scores higher
// where the article's own segmentation has the same words (the word
// fields).
func (c *compiler) text(t qparse.Text) node {
	n := &textNode{value: t.Value, field: t.Field, stats: c.stats}
	if t.Phrase {
		if ws := strings.Fields(t.Value); len(ws) > 1 {
			for _, w := range ws {
				n.parts = append(n.parts, qparse.Text{Value: w, Field: t.Field})
			}
		}
	}
	ex := TermExplain{Text: t.Value, Field: t.Field}
	literal := []string{t.Value}
	if t.Latin {
		literal = joinVariants(strings.Fields(t.Value))
		for _, w := range strings.Fields(t.Value) {
			n.parts = append(n.parts, qparse.Text{Value: w, Field: t.Field})
		}
	}
	seen := map[string]bool{}
	add := func(kind altKind, text string) bool {
		r := c.an.Analyze(text) // one kagome pass for both phrases
		gp := analyzer.GramPhraseOf(r.Grams)
		if len(gp) == 0 {
			return false
		}
		key := fmt.Sprint(gp)
		if seen[key] {
			return false // Windows 7 and Windows7: one phrase
		}
		seen[key] = true
		a := alt{kind: kind, text: text, grams: gp, words: analyzer.WordPhraseOf(r.Words)}
		n.alts = append(n.alts, a)
		for _, f := range textFields(t.Field) {
			for _, w := range a.words {
				if w != "" {
					c.scored = append(c.scored, termKey{field: f.word, term: w})
				}
			}
		}
		switch kind {
		case altLiteral:
			if len(n.alts) == 1 {
				ex.Grams, ex.Words = gp, a.words
				if left := leftOut(text, r.Grams); left != "" {
					c.note(leftOutNotice(text, r.Grams, t.Value))
				}
			}
		case altVariant:
			ex.Variants = append(ex.Variants, text)
		case altTranslation:
			ex.Translations = append(ex.Translations, text)
		case altAlias:
			ex.Aliases = append(ex.Aliases, text)
		case altReading:
			ex.Reading = text
		}
		return true
	}
	for _, l := range literal {
		add(altLiteral, l)
	}
	if len(n.alts) == 0 {
		c.note(nothingToSearchNotice(t.Value))
		return nil
	}
	for _, v := range latinSpellings(t.Value) {
		add(altVariant, v)
	}
	for _, v := range analyzer.Spellings(t.Value) {
		add(altVariant, v)
	}
	if !t.Phrase {
		for _, v := range analyzer.Translations(t.Value) {
			add(altTranslation, v)
		}
	}
	c.learnt(t, func(kind altKind, text string) { add(kind, text) })
	c.terms = append(c.terms, ex)
	return n
}

// leftOut returns the letters of text (quoted, joined) that its gram
// analysis left out at either end: a particle or ending (Googleの, の首相).
func leftOut(text string, grams []analyzer.Token) string {
	if len(grams) == 0 {
		return ""
	}
	from, to := grams[0].Start, grams[0].End
	for _, g := range grams {
		from, to = min(from, g.Start), max(to, g.End)
	}
	var parts []string
	for _, s := range []string{text[:from], text[to:]} {
		if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) }) >= 0 {
			parts = append(parts, fmt.Sprintf("%q", strings.TrimSpace(s)))
		}
	}
	return strings.Join(parts, " and ")
}

// Latin words. Letters and digits separated by spaces are one name when a
// part is short or has a digit (Windows 7, Mac OS X, PS Vita, Office
// 2010), or when the articles write them together (Windows Vista, Google
// Play): the phrase is at least collocationShare of the articles that have
// the rarer of two neighbouring words. Otherwise they are words searched
// together (Google Android, Apple iPad: AND), the articles where they
// stand together ranked first.
const (
	shortLatin        = 2 // runes: a part this short binds to its neighbours
	collocationShare  = 0.2
	maxCollocationRun = 6 // words: longer runs stay one phrase
)

// latin compiles a run of Latin words written with spaces.
func (c *compiler) latin(t qparse.Text) node {
	words := strings.Fields(t.Value)
	if c.knownName(t.Value) {
		return c.text(t) // a name the index knows another name of (Alibaba Group)
	}
	if len(words) > maxCollocationRun {
		return c.text(t)
	}
	var groups [][]string
	cur := []string{words[0]}
	for i := 1; i < len(words); i++ {
		if c.binds(words[i-1], words[i], t.Field) {
			cur = append(cur, words[i])
			continue
		}
		groups = append(groups, cur)
		cur = []string{words[i]}
	}
	groups = append(groups, cur)
	if len(groups) == 1 {
		return c.text(t)
	}
	a := &andNode{latin: true}
	for _, g := range groups {
		n := c.text(qparse.Text{Value: strings.Join(g, " "), Field: t.Field, Latin: len(g) > 1})
		if n != nil {
			a.must = append(a.must, n)
		}
	}
	// the whole run as written, for ranking only
	together := c.an.GramPhrase(t.Value)
	var tq []query.Query
	for _, f := range textFields(t.Field) {
		tq = append(tq, phrase(together, f.gram))
	}
	a.rank = append(a.rank, &constScore{q: disjunction(tq), boost: togetherBonus})
	if len(a.must) == 1 {
		return a.must[0]
	}
	return a
}

// binds reports whether two neighbouring Latin words are parts of one
// name.
func (c *compiler) binds(a, b, field string) bool {
	if short(a) || short(b) || hasDigit(a) || hasDigit(b) || c.count == nil {
		return true
	}
	countOf := func(text string, latin bool) (uint64, bool) {
		var alts []query.Query
		forms := []string{text}
		if latin {
			forms = joinVariants(strings.Fields(text))
		}
		for _, form := range forms {
			gp := c.an.GramPhrase(form)
			if len(gp) == 0 {
				return 0, false
			}
			for _, f := range textFields(field) {
				alts = append(alts, phrase(gp, f.gram))
			}
		}
		n, err := c.count(query.NewDisjunctionQuery(alts))
		return n, err == nil
	}
	pair, ok1 := countOf(a+" "+b, true)
	na, ok2 := countOf(a, false)
	nb, ok3 := countOf(b, false)
	if !ok1 || !ok2 || !ok3 {
		return true
	}
	return pair > 0 && float64(pair) >= collocationShare*float64(min(na, nb))
}

func short(w string) bool { return utf8.RuneCountInString(norm.NFKC.String(w)) <= shortLatin }

func hasDigit(w string) bool {
	return strings.IndexFunc(norm.NFKC.String(w), unicode.IsDigit) >= 0
}

// latinSpellings returns the other ways to space one Latin name: camel
// case apart (PlayStation: Play Station, Play-Station), a hyphen left out
// or spaced (Wi-Fi: WiFi, Wi Fi). Parts have two or more letters.
func latinSpellings(value string) []string {
	v := norm.NFKC.String(value)
	if strings.ContainsAny(v, " \t") || !isLatin(v) {
		return nil
	}
	var parts []string
	if strings.Contains(v, "-") {
		parts = strings.Split(v, "-")
	} else {
		start := 0
		rs := []rune(v)
		for i := 1; i < len(rs); i++ {
			if unicode.IsLower(rs[i-1]) && unicode.IsUpper(rs[i]) {
				parts = append(parts, string(rs[start:i]))
				start = i
			}
		}
		parts = append(parts, string(rs[start:]))
	}
	if len(parts) < 2 || len(parts) > 4 {
		return nil
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) < 2 {
			return nil
		}
	}
	out := []string{strings.Join(parts, " ")}
	if strings.Contains(v, "-") {
		out = append(out, strings.Join(parts, ""))
	} else {
		out = append(out, strings.Join(parts, "-"))
	}
	return out
}

func isLatin(s string) bool {
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-') {
			return false
		}
	}
	return s != ""
}

// query returns the bleve query of a node at a level; with scoring, the
// clauses that only rank (the article's own words, a title that has the
// phrase) are added: whether an article matches is the grams' business, how
// well the words' (scoring.go).
func (n *textNode) query(lv level, scoring bool) query.Query {
	var grams, titles, words, literalWords []query.Query
	for _, a := range n.alts {
		if lv < levelOf(a.kind) {
			continue
		}
		for _, f := range textFields(n.field) {
			p := phrase(a.grams, f.gram)
			grams = append(grams, p)
			if f.gram == fieldTitleGram {
				titles = append(titles, p)
			}
			if q := n.wordTerms(a.words, f.word, f.boost*wordBoost); q != nil {
				words = append(words, q)
				if a.kind == altLiteral {
					literalWords = append(literalWords, q)
				}
			}
		}
	}
	switch {
	case lv == levelWord:
		if len(literalWords) == 0 {
			return disjunction(grams)
		}
		return query.NewConjunctionQuery([]query.Query{disjunction(grams), disjunction(literalWords)})
	case !scoring:
		return disjunction(grams)
	}
	return scored(disjunction(grams), 0, titles, words, 1)
}

// scored returns match, scored boost, plus titleBonus for a title in
// titles and the BM25 of words, all scaled by scale.
func scored(match query.Query, boost float64, titles, words []query.Query, scale float64) query.Query {
	m := query.Query(&constScore{q: match, boost: boost})
	var should []query.Query
	if len(titles) > 0 {
		should = append(should, &constScore{q: disjunction(titles), boost: titleBonus * scale})
	}
	if len(words) > 0 {
		should = append(should, disjunction(words))
	}
	if len(should) == 0 {
		return m
	}
	return query.NewBooleanQuery([]query.Query{m}, should, nil)
}

// wordTerms matches articles whose field has every word term: the query's
// words as the article's own segmentation found them, somewhere. (Where
// they stand is the gram phrase's business.) Each is scored by BM25 over
// the statistics of all shards.
func (n *textNode) wordTerms(words []string, field string, boost float64) query.Query {
	var qs []query.Query
	seen := map[string]bool{}
	for _, w := range words {
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		qs = append(qs, &scoredTerm{key: termKey{field: field, term: w}, boost: boost, stats: n.stats})
	}
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// altScored returns the query of the node's alternatives of one kind
// alone (nil if none), scored as the words as written are, scaled by scale,
// plus floor.
func (n *textNode) altScored(kind altKind, scale, floor float64) query.Query {
	var grams, titles, words []query.Query
	for _, a := range n.alts {
		if a.kind != kind {
			continue
		}
		for _, f := range textFields(n.field) {
			p := phrase(a.grams, f.gram)
			grams = append(grams, p)
			if f.gram == fieldTitleGram {
				titles = append(titles, p)
			}
			if q := n.wordTerms(a.words, f.word, f.boost*wordBoost*scale); q != nil {
				words = append(words, q)
			}
		}
	}
	if len(grams) == 0 {
		return nil
	}
	return scored(disjunction(grams), floor, titles, words, scale)
}

// altPhrases collects the gram phrases of the alternatives of one kind of
// the node's words (not under a NOT).
func altPhrases(n node, kind altKind) []query.Query {
	var out []query.Query
	switch n := n.(type) {
	case *textNode:
		for _, a := range n.alts {
			if a.kind == kind {
				for _, f := range textFields(n.field) {
					out = append(out, phrase(a.grams, f.gram))
				}
			}
		}
	case *andNode:
		for _, x := range n.must {
			out = append(out, altPhrases(x, kind)...)
		}
	case *orNode:
		for _, x := range n.nodes {
			out = append(out, altPhrases(x, kind)...)
		}
	}
	return out
}

// altScored collects the scored queries of the alternatives of one kind of
// the node's words (not under a NOT): see textNode.altScored.
func altScored(n node, kind altKind, scale, floor float64) []query.Query {
	var out []query.Query
	switch n := n.(type) {
	case *textNode:
		if q := n.altScored(kind, scale, floor); q != nil {
			out = append(out, q)
		}
	case *andNode:
		for _, x := range n.must {
			out = append(out, altScored(x, kind, scale, floor)...)
		}
	case *orNode:
		for _, x := range n.nodes {
			out = append(out, altScored(x, kind, scale, floor)...)
		}
	}
	return out
}

func disjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// build returns the bleve query of a node at a level (nil: everything).
func build(n node, lv level, scoring bool) query.Query {
	switch n := n.(type) {
	case *textNode:
		return n.query(lv, scoring)
	case *filterNode:
		return n.q
	case *andNode:
		var must, not []query.Query
		for _, x := range n.must {
			must = append(must, build(x, lv, scoring))
		}
		for _, x := range n.not {
			// what is excluded is excluded as written and in every
			// spelling, not by translation
			not = append(not, build(x, min(lv, levelVariant), false))
		}
		var should []query.Query
		if scoring {
			should = n.rank
		}
		if len(not) == 0 && len(should) == 0 {
			if len(must) == 1 {
				return must[0]
			}
			return query.NewConjunctionQuery(must)
		}
		if len(must) == 0 {
			must = []query.Query{query.NewMatchAllQuery()}
		}
		var sq query.Query
		if len(should) > 0 {
			sq = disjunction(should)
		}
		b := query.NewBooleanQuery(nil, nil, nil)
		b.AddMust(must...)
		if sq != nil {
			b.AddShould(sq)
		}
		if len(not) > 0 {
			b.AddMustNot(not...)
		}
		return b
	case *orNode:
		var any []query.Query
		for _, x := range n.nodes {
			any = append(any, build(x, lv, scoring))
		}
		return query.NewDisjunctionQuery(any)
	case *minNode:
		var any []query.Query
		for _, x := range n.nodes {
			any = append(any, build(x, lv, scoring))
		}
		d := query.NewDisjunctionQuery(any)
		d.SetMin(float64(n.min))
		return d
	}
	return query.NewMatchAllQuery()
}

// has reports whether any word of the node (not under a NOT) has an
// alternative of the kind.
func has(n node, kind altKind) bool {
	switch n := n.(type) {
	case *textNode:
		for _, a := range n.alts {
			if a.kind == kind {
				return true
			}
		}
	case *andNode:
		for _, x := range n.must {
			if has(x, kind) {
				return true
			}
		}
	case *orNode:
		for _, x := range n.nodes {
			if has(x, kind) {
				return true
			}
		}
	}
	return false
}

// plan is a compiled query.
type plan struct {
	root node
	// variants, translated: some word has another spelling, a
	// translation; each is searched in a tier of its own (see query);
	// so are aliased (another name) and read (a name read in kana)
	variants, translated, aliased, read bool
}

func newPlan(root node) *plan {
	p := &plan{root: root}
	p.setTiers()
	return p
}

// setTiers records which tiers the plan's words have.
func (p *plan) setTiers() {
	p.variants, p.translated = has(p.root, altVariant), has(p.root, altTranslation)
	p.aliased, p.read = has(p.root, altAlias), has(p.root, altReading)
}

// tier is one tier of the search below the words as written.
type tier struct {
	kind         altKind
	scale, floor float64
}

// tiers returns the plan's tiers, in rank order: each tier's floor lifts
// it above the tiers after it (the last needs none).
func (p *plan) tiers() []tier {
	var out []tier
	if p.variants {
		out = append(out, tier{altVariant, variantScale, variantFloor})
	}
	if p.translated {
		out = append(out, tier{altTranslation, translationScale, translationFloor})
	}
	if p.aliased {
		out = append(out, tier{altAlias, aliasScale, aliasFloor})
	}
	if p.read {
		out = append(out, tier{altReading, readingScale, 0})
	}
	if n := len(out); n > 0 && out[n-1].kind != altVariant {
		out[n-1].floor = 0
	}
	return out
}

// query returns the search query:
//
//	as written + literalFloor
//	OR ((other spellings, scaled by variantScale, + variantFloor
//	     OR translations, scaled by translationScale, AND NOT other spellings
//	     OR other names, scaled by aliasScale, AND NOT the tiers before
//	     OR a reading's name, scaled by readingScale, AND NOT the tiers before)
//	    AND NOT as written)
//
// Each tier's scores are scaled and lifted so that it ranks after the one
// before. The clauses of each OR exclude each other, so its coordination
// factor is the same for every hit, and score recovers a hit's score within
// its tier. The phrases as written are searched twice (a phrase such as
// デート is costly: its first bigram starts データ): in its tier, and once for
// the NOT that keeps the others apart. The alternatives alone say that a
// query of one word matched; a query of several words also filters each
// tier by the whole query at that level.
func (p *plan) query() query.Query {
	lit := build(p.root, levelGram, true)
	tiers := p.tiers()
	if len(tiers) == 0 {
		return lit
	}
	_, single := p.root.(*textNode)
	floor := func(q query.Query, f float64) query.Query {
		m := query.NewMatchAllQuery()
		m.SetBoost(f)
		return query.NewConjunctionQuery([]query.Query{q, m})
	}
	var lower []query.Query
	for i, t := range tiers {
		b := query.NewBooleanQuery(nil, nil, nil)
		b.AddMust(disjunction(altScored(p.root, t.kind, t.scale, t.floor)))
		switch {
		case !single:
			b.AddFilter(build(p.root, levelOf(t.kind), false))
			if i > 0 {
				b.AddMustNot(build(p.root, levelOf(tiers[i-1].kind), false))
			}
		case i > 0:
			var before []query.Query
			for _, e := range tiers[:i] {
				before = append(before, altPhrases(p.root, e.kind)...)
			}
			b.AddMustNot(disjunction(before))
		}
		lower = append(lower, b)
	}
	rest := query.NewBooleanQuery(nil, nil, nil)
	rest.AddMust(disjunction(lower))
	rest.AddMustNot(build(p.root, levelGram, false))
	return query.NewDisjunctionQuery([]query.Query{floor(lit, literalFloor), rest})
}

// score returns a hit's score as if its tier had been searched alone:
// undoes the coordination factors of query (1/2 at the top, 1/n more below
// for n tiers) and the tier's scale.
func (p *plan) score(score float64, match string) float64 {
	tiers := p.tiers()
	if len(tiers) == 0 {
		return score
	}
	lower := 2 * float64(len(tiers))
	kind := map[string]altKind{MatchVariant: altVariant, MatchTranslation: altTranslation, MatchAlias: altAlias, MatchReading: altReading}
	if k, ok := kind[match]; ok {
		for _, t := range tiers {
			if t.kind == k {
				return lower * score / t.scale
			}
		}
	}
	return 2 * score
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
	return &gramPhrase{field: field, terms: terms}
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
