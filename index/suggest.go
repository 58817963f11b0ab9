package index

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index/qparse"
)

// Suggestion is a word or name of the index offered to someone typing a
// query.
type Suggestion struct {
	// Text is what to search: a name as the articles write it, a word as
	// the index holds it (NFKC, lower case).
	Text string `json:"text"`
	// Kind says where it comes from: "person", "org" (the facets' names) or
	// "word" (a word of the titles).
	Kind string `json:"kind"`
	// Count is how many articles have it.
	Count int `json:"count"`
}

// Suggestion kinds.
const (
	SuggestPerson = "person"
	SuggestOrg    = "org"
	SuggestWord   = "word"
)

// suggestScan bounds the dictionary entries read per field and shard for
// one prefix: a prefix of one common character has hundreds of names, and
// the first ones in order are as good a sample as any of those.
const suggestScan = 1000

// suggestTitles is how many titles are read for the words that start with
// a prefix.
const suggestTitles = 300

// Suggest returns up to n words and names of the index that start with
// prefix, the most frequent first: the people and organisations of the
// person and org facets, as written, and the words of the titles (a
// title's words are what articles are about), as the titles write them.
// A word is what the gram analysis finds between two word boundaries
// (スマートフォン, not the dictionary's スマート|フォン); its Count is the
// titles that have it among the first suggestTitles found with the prefix.
func (ix *Index) Suggest(ctx context.Context, prefix string, n int) (out []Suggestion, err error) {
	defer guard(&err)
	prefix = strings.TrimSpace(norm.NFKC.String(prefix))
	if prefix == "" || n <= 0 {
		return nil, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	type key struct{ text, kind string }
	counts := map[key]int{}
	for _, s := range shards {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := withReader(s, func(r bindex.IndexReader) error {
			for _, f := range []struct{ field, kind string }{{fieldPerson, SuggestPerson}, {fieldOrg, SuggestOrg}} {
				d, err := r.FieldDictPrefix(f.field, []byte(prefix))
				if err != nil {
					return err
				}
				var terms []string
				for i := 0; i < suggestScan; i++ {
					e, err := d.Next()
					if err != nil || e == nil {
						d.Close()
						if err != nil {
							return err
						}
						break
					}
					terms = append(terms, e.Term)
				}
				d.Close()
				// a dictionary's counts are not to be trusted across
				// segments (a short prefix gives 1 for each): the postings
				// are
				for _, t := range terms {
					tr, err := r.TermFieldReader(ctx, []byte(t), f.field, false, false, false)
					if err != nil {
						return err
					}
					counts[key{t, f.kind}] += int(tr.Count())
					tr.Close()
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	words, err := ix.titleWords(ctx, shards, prefix)
	if err != nil {
		return nil, err
	}
	for w, c := range words {
		counts[key{w, SuggestWord}] += c
	}
	for k, c := range counts {
		out = append(out, Suggestion{Text: k.text, Kind: k.kind, Count: c})
	}
	rank := map[string]int{SuggestPerson: 0, SuggestOrg: 1, SuggestWord: 2}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		return rank[a.Kind] < rank[b.Kind]
	})
	// the same text as a name and as a word (ソニー): once, as the name
	// that counts most; the prefix itself is not suggested
	seen := map[string]bool{strings.ToLower(prefix): true}
	kept := out[:0]
	for _, s := range out {
		k := strings.ToLower(s.Text)
		if seen[k] {
			continue
		}
		seen[k] = true
		kept = append(kept, s)
		if len(kept) == n {
			break
		}
	}
	return kept, nil
}

// titleWords returns the words of titles that start with prefix, as
// written, and how many of the titles read have each.
func (ix *Index) titleWords(ctx context.Context, shards []*shard, prefix string) (map[string]int, error) {
	grams := ix.an.Grams(prefix)
	phrase := analyzer.GramPhraseOf(grams)
	if len(phrase) == 0 || len(grams) == 1 && grams[0].Kind == analyzer.Unigram {
		return nil, nil // nothing to search, or one character: too many words
	}
	want := gramChars(grams)
	// the last position need not end a word: スマート finds スマートフォン
	last := phrase[len(phrase)-1]
	var free []string
	for _, t := range last {
		chars, left, _ := analyzer.SplitGram(t)
		if left {
			chars = analyzer.LeftMark + chars
		}
		free = append(free, chars, chars+analyzer.RightMark)
	}
	if grams[len(grams)-1].Kind == analyzer.Alnum {
		// letters and digits are one term: a prefix of it is a term of its own
		return ix.alnumWords(ctx, shards, strings.ToLower(grams[len(grams)-1].Term), phrase[:len(phrase)-1])
	}
	phrase[len(phrase)-1] = free
	q := phraseQuery(phrase, fieldTitleGram)
	found := map[string]map[string]int{} // normalised word -> surface -> titles
	for _, s := range shards {
		req := bleve.NewSearchRequestOptions(q, suggestTitles/len(shards)+1, 0, false)
		req.Fields, req.Score = []string{fieldTitle}, "none"
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			title, _ := h.Fields[fieldTitle].(string)
			seen := map[string]bool{}
			for _, w := range ix.runsFrom(title, want) {
				if !seen[w.norm] {
					seen[w.norm] = true
					if found[w.norm] == nil {
						found[w.norm] = map[string]int{}
					}
					found[w.norm][w.surface]++
				}
			}
		}
	}
	out := map[string]int{}
	for _, surfaces := range found {
		best, total := "", 0
		for sf, c := range surfaces {
			total += c
			if c > surfaces[best] || c == surfaces[best] && sf < best {
				best = sf
			}
		}
		out[best] = total
	}
	return out, nil
}

// runsFrom returns the words of text that start on a word boundary with
// the characters want (as analysed) and go on: from there to the end of
// the run of characters of the same script (katakana, kanji, letters and
// digits), so that スマート finds スマートフォン, which the dictionary cuts
// スマート|フォン, and 京都 finds 京都大学.
func (ix *Index) runsFrom(text, want string) []gramWord {
	var out []gramWord
	for _, g := range ix.an.Grams(text) {
		_, left, _ := analyzer.SplitGram(g.Term)
		if !left && g.Kind != analyzer.Alnum {
			continue
		}
		first, _ := utf8.DecodeRuneInString(text[g.Start:])
		sc := scriptOf(first)
		end := g.Start
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if scriptOf(r) != sc && !(sc == scriptKatakana && r == '・') {
				break
			}
			end += n
		}
		run := strings.TrimRight(text[g.Start:end], "・")
		norm := gramChars(ix.an.Grams(run))
		if strings.HasPrefix(norm, want) && norm != want {
			out = append(out, gramWord{norm, run})
		}
	}
	return out
}

// alnumWords returns the Latin words of titles that start with prefix (a
// run of letters and digits), as the titles write them.
func (ix *Index) alnumWords(ctx context.Context, shards []*shard, prefix string, before [][]string) (map[string]int, error) {
	if len(before) > 0 {
		return nil, nil // Japanese, then the start of a Latin word: rare, left out
	}
	terms := map[string]int{}
	for _, s := range shards {
		err := withReader(s, func(r bindex.IndexReader) error {
			d, err := r.FieldDictPrefix(fieldTitleGram, []byte(prefix))
			if err != nil {
				return err
			}
			defer d.Close()
			var list []string
			for i := 0; i < suggestScan; i++ {
				e, err := d.Next()
				if err != nil {
					return err
				}
				if e == nil {
					break
				}
				list = append(list, e.Term)
			}
			return addDocCounts(ctx, r, fieldTitleGram, list, terms)
		})
		if err != nil {
			return nil, err
		}
	}
	// the most frequent, written as a title writes them
	type tc struct {
		term string
		n    int
	}
	var list []tc
	for t, n := range terms {
		if t != prefix && utf8.RuneCountInString(t) > 1 {
			list = append(list, tc{t, n})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].n > list[j].n || list[i].n == list[j].n && list[i].term < list[j].term
	})
	out := map[string]int{}
	for i, x := range list {
		if i == 20 {
			break
		}
		out[ix.gramSurface(ctx, shards, x.term)] = x.n
	}
	return out, nil
}

// gramSurface returns a Latin gram term of the titles as the first title
// found with it writes it.
func (ix *Index) gramSurface(ctx context.Context, shards []*shard, term string) string {
	tq := query.NewTermQuery(term)
	tq.SetField(fieldTitleGram)
	for _, s := range shards {
		req := bleve.NewSearchRequestOptions(tq, 1, 0, false)
		req.Fields, req.Score = []string{fieldTitle}, "none"
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil || len(res.Hits) == 0 {
			continue
		}
		title, _ := res.Hits[0].Fields[fieldTitle].(string)
		for _, w := range gramWords(title, ix.an.Grams(title)) {
			if w.norm == term {
				return w.surface
			}
		}
	}
	return term
}

// gramWord is a word of a text as its gram analysis bounds it.
type gramWord struct {
	norm    string // its characters as analysed (normalised)
	surface string // as written
}

// gramWords returns the words of text: runs of grams from one that starts
// on a word boundary to the first that ends on one, and each run of
// letters and digits.
func gramWords(text string, grams []analyzer.Token) []gramWord {
	var out []gramWord
	for i := 0; i < len(grams); i++ {
		g := grams[i]
		if g.Kind == analyzer.Alnum {
			out = append(out, gramWord{g.Term, text[g.Start:g.End]})
			continue
		}
		chars, left, right := analyzer.SplitGram(g.Term)
		if !left || (g.Kind != analyzer.Bigram && g.Kind != analyzer.Unigram) {
			continue
		}
		norm, end := chars, g.End
		for j := i + 1; !right && j < len(grams) && grams[j].Position == grams[j-1].Position+1 && grams[j].Kind == analyzer.Bigram; j++ {
			c, _, r := analyzer.SplitGram(grams[j].Term)
			_, size := utf8.DecodeLastRuneInString(c)
			norm += c[len(c)-size:]
			end, right = grams[j].End, r
		}
		if right {
			out = append(out, gramWord{norm, text[g.Start:end]})
		}
	}
	return out
}

// gramChars returns the characters of a text's grams, as analysed.
func gramChars(grams []analyzer.Token) string {
	var b strings.Builder
	for i, g := range grams {
		c, _, _ := analyzer.SplitGram(g.Term)
		if g.Kind == analyzer.Bigram && i > 0 && grams[i-1].Kind == analyzer.Bigram && g.Position == grams[i-1].Position+1 {
			_, size := utf8.DecodeLastRuneInString(c)
			c = c[len(c)-size:]
		}
		b.WriteString(c)
	}
	return b.String()
}

// phraseQuery is phrase (compile.go) for a gram phrase whose positions may
// be empty (any term).
func phraseQuery(terms [][]string, field string) query.Query {
	return phrase(terms, field)
}

// suggestible reports whether a word term is worth offering: two
// characters or more, not hiragana only.
func suggestible(term string) bool {
	if utf8.RuneCountInString(term) < 2 {
		return false
	}
	for _, r := range term {
		if !unicode.Is(unicode.Hiragana, r) && r != 'ー' {
			return true
		}
	}
	return false
}

// withReader calls f with a reader of the shard's index.
func withReader(s *shard, f func(bindex.IndexReader) error) error {
	adv, err := s.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	return f(r)
}

// Correction is a query with its mistyped words replaced by words the
// index has.
type Correction struct {
	Query string `json:"query"`
	// Words maps each replaced word of the query to its replacement.
	Words map[string]string `json:"words"`
}

// Correct returns a query like q in which each word that no article has
// (by its word analysis, in titles or bodies) is replaced by the most
// frequent word of the index within one edit of it (two for words of five
// characters or more): スマートフホン becomes スマートフォン, Andriod Android.
// Filters, phrases and excluded words are left as written. It returns nil
// when there is nothing to correct or no replacement.
func (ix *Index) Correct(ctx context.Context, q string) (c *Correction, err error) {
	defer guard(&err)
	node, err := qparse.Parse(q)
	if err != nil || node == nil {
		return nil, err
	}
	var words []string
	var walk func(n qparse.Node)
	walk = func(n qparse.Node) {
		switch n := n.(type) {
		case qparse.Text:
			if !n.Phrase {
				words = append(words, strings.Fields(n.Value)...)
			}
		case qparse.And:
			for _, x := range n.Nodes {
				walk(x)
			}
		case qparse.Or:
			for _, x := range n.Nodes {
				walk(x)
			}
		}
	}
	walk(node)
	if len(words) == 0 {
		return nil, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	out := &Correction{Query: q, Words: map[string]string{}}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 3 {
			continue // two characters within one edit are most words
		}
		if n, err := ix.countWord(ctx, shards, w); err != nil || n > 0 {
			if err != nil {
				return nil, err
			}
			continue // the articles have it
		}
		fuzz := 1
		if utf8.RuneCountInString(w) >= 5 {
			fuzz = 2
		}
		found, err := ix.similarWords(ctx, shards, w, fuzz)
		if err != nil {
			return nil, err
		}
		best, bestN := "", 0
		for t, n := range found {
			if n > bestN || n == bestN && t < best {
				best, bestN = t, n
			}
		}
		if best != "" {
			out.Words[w] = best
		}
	}
	if len(out.Words) == 0 {
		return nil, nil
	}
	out.Query = replaceWords(q, out.Words)
	return out, nil
}

// countWord returns how many articles have w as a query word would find
// it (its gram phrase, in titles or bodies), without other spellings.
func (ix *Index) countWord(ctx context.Context, shards []*shard, w string) (uint64, error) {
	p := ix.an.GramPhrase(w)
	if len(p) == 0 {
		return 1, nil // nothing to search: nothing to correct
	}
	q := query.NewDisjunctionQuery([]query.Query{phrase(p, fieldTitleGram), phrase(p, fieldBodyGram)})
	return countShards(ctx, shards)(q)
}

// similarWords returns words of the index within fuzz edits of w, written
// as the articles write them, with how many articles have each: from the
// word fields (Levenshtein automata over the dictionary: Latin words and
// the dictionary's words), and from the titles' words that start as w does
// but for its last one or two characters (katakana compounds the
// dictionary cuts: アリババ is アリ|ババ to it).
func (ix *Index) similarWords(ctx context.Context, shards []*shard, w string, fuzz int) (map[string]int, error) {
	out := map[string]int{}
	toks := ix.an.Words(w)
	if len(toks) == 1 && toks[0].Start == 0 && toks[0].End == len(w) {
		term := toks[0].Term
		found := map[string]int{}
		for _, s := range shards {
			err := withReader(s, func(r bindex.IndexReader) error {
				fr, ok := r.(bindex.IndexReaderFuzzy)
				if !ok {
					return nil
				}
				for _, field := range []string{fieldTitle, fieldBody} {
					d, err := fr.FieldDictFuzzy(field, term, fuzz, "")
					if err != nil {
						return err
					}
					var terms []string
					for i := 0; i < suggestScan; i++ {
						e, err := d.Next()
						if err != nil {
							d.Close()
							return err
						}
						if e == nil {
							break
						}
						terms = append(terms, e.Term)
					}
					d.Close()
					// a fuzzy dictionary does not count: the postings do
					if err := addDocCounts(ctx, r, field, terms, found); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		for t, n := range found {
			if t == term || !suggestible(t) {
				continue
			}
			sf := ix.surfaceOf(ctx, shards, t, fieldTitle)
			if sf == t {
				sf = ix.surfaceOf(ctx, shards, t, fieldBody)
			}
			out[sf] += n
		}
	}
	runes := []rune(w)
	norm := gramChars(ix.an.Grams(w))
	for cut := 1; cut <= 2 && len(runes)-cut >= 2; cut++ {
		words, err := ix.titleWords(ctx, shards, string(runes[:len(runes)-cut]))
		if err != nil {
			return nil, err
		}
		for sf, n := range words {
			if d := editDistance(norm, gramChars(ix.an.Grams(sf))); d > 0 && d <= fuzz {
				out[sf] = max(out[sf], n)
			}
		}
	}
	return out, nil
}

// editDistance is the Levenshtein distance of two strings, in characters.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(y)]
}

// replaceWords replaces whole space-separated words of q.
func replaceWords(q string, words map[string]string) string {
	f := strings.Fields(q)
	for i, w := range f {
		if r, ok := words[w]; ok {
			f[i] = r
		}
	}
	return strings.Join(f, " ")
}

// surfaceOf returns a word term of a text field as an article writes it
// (サーバー for the term サーバ): the surface of the term in the first
// article found with it. A term no article shows again is returned as it
// is.
func (ix *Index) surfaceOf(ctx context.Context, shards []*shard, term, field string) string {
	tq := query.NewTermQuery(term)
	tq.SetField(field)
	for _, s := range shards {
		req := bleve.NewSearchRequestOptions(tq, 1, 0, false)
		req.Fields, req.Score = []string{field}, "none"
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil || len(res.Hits) == 0 {
			continue
		}
		text, _ := res.Hits[0].Fields[field].(string)
		for _, t := range ix.an.Words(text) {
			if t.Term == term {
				return text[t.Start:t.End]
			}
		}
	}
	return term
}

// addDocCounts adds to into how many articles of r have each of terms in
// field.
func addDocCounts(ctx context.Context, r bindex.IndexReader, field string, terms []string, into map[string]int) error {
	for _, t := range terms {
		tr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
		if err != nil {
			return err
		}
		into[t] += int(tr.Count())
		tr.Close()
	}
	return nil
}
