package analyzer

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Boundary marks in gram terms. A bigram term is its two characters with
// LeftMark in front when a word boundary lies before the first character and
// RightMark behind when one lies after the second: 京都, <京都, 京都>, <京都>.
// A unigram term is marked the same way around its one character.
const (
	LeftMark  = "<"
	RightMark = ">"
)

// SplitGram returns the characters of a gram term and its boundary marks.
func SplitGram(term string) (chars string, left, right bool) {
	if strings.HasPrefix(term, LeftMark) {
		term, left = term[len(LeftMark):], true
	}
	if strings.HasSuffix(term, RightMark) {
		term, right = term[:len(term)-len(RightMark)], true
	}
	return term, left, right
}

// unit is one Japanese character of the gram analysis under construction.
type unit struct {
	r           rune // as normalised (small kana not yet folded)
	start, end  int  // original byte range
	left, right bool // a word boundary lies before / after the character
	content     bool // from a content word (not a particle or symbol)
	class       charClass
	drop        bool // a word-final ー folded away
	user        bool // from a user-dictionary entry: its boundaries are kept
	joined      bool // a name separator (・) or a space stands before it
	pos         int
}

// gramBuilder turns the kagome tokens of a text, in order, into gram tokens.
// Japanese characters collect in a run with kagome's word boundaries; when
// the run ends, katakana boundaries are revised with the katakana lexicon,
// long-vowel marks folded and the bigrams emitted.
type gramBuilder struct {
	st  *state
	out *sink
	pos int  // last position handed out
	gap bool // a symbol was passed since the last unit
	run []unit

	joined bool // a ・ between katakana, or a space, was passed since the last unit

	wordClass      charClass // classLetter or classDigit while a word is open
	wordNS, wordNE int       // normalised byte range of the open word
	wordPos        int
	buf            []rune

	folded []int // original offsets of the ー marks folded away, in order

	// In replay mode (see GramSpans) the builder only assigns positions:
	// which marks to fold is given, and spans are recorded, not tokens.
	replay     bool
	replayFold map[int]bool
	spans      []Span
}

func (g *gramBuilder) reset(st *state, out *sink) {
	g.st, g.out, g.pos, g.gap, g.run, g.joined = st, out, 0, false, g.run[:0], false
	g.wordClass = classSpace
	g.folded, g.replay, g.replayFold, g.spans = nil, false, nil, nil
}

func (g *gramBuilder) next() int {
	if g.gap && g.pos > 0 {
		g.pos++ // leave an empty position: phrases do not span symbols
	}
	g.gap = false
	g.pos++
	return g.pos
}

// addToken adds the kagome token covering normalised bytes [ns, ne). content
// is false for stop tokens (particles, symbols), which never form a unigram.
func (g *gramBuilder) addToken(ns, ne int, content bool) {
	g.addTokenFrom(ns, ne, content, false)
}

// addTokenFrom is addToken; user marks a user-dictionary entry, whose word
// boundaries the katakana lexicon must not revise.
func (g *gramBuilder) addTokenFrom(ns, ne int, content, user bool) {
	text := g.st.norm.text
	first := len(g.run) // the token's first unit, once added
	for i := ns; i < ne; {
		r, size := utf8.DecodeRune(text[i:])
		c := classOf(r)
		s, e := g.st.norm.origSpan(i, i+size)
		i += size
		switch {
		case c == classSpace:
			g.flushWord()
			// a space is a word boundary on both sides; phrases still
			// cross it (孫 正義 is 孫正義), since a bigram records only
			// the boundaries at its ends. It also ends a katakana stretch
			// for the lexicon, which would otherwise cut グラナヴェル
			// スタイル anew as one run and lose the boundary at the space.
			if n := len(g.run); n > 0 {
				g.run[n-1].right = true
				g.joined = true
			}
		case c == classSymbol && nameDot(r) && g.lastKatakana() && i < len(text) && isKatakana(decodeRune(text[i:])):
			// ビル・ゲイツ is written ビルゲイツ and ビル ゲイツ too: the dot
			// between katakana is a word boundary, not a break in the phrase
			g.run[len(g.run)-1].right = true
			g.joined = true
		case c == classSymbol:
			open := g.wordClass
			g.flushWord()
			g.flushRun()
			first = 0
			g.gap = true
			if open.word() && i < len(text) {
				// a symbol inside a Latin or numeric name (Blu-ray, 10.7,
				// Wi-Fi) is a term of its own, so that a query with it
				// does not match other symbols or letters there (Blu X ray)
				if r2, _ := utf8.DecodeRune(text[i:]); classOf(r2).word() {
					g.gap = false
					pos := g.next()
					if g.replay {
						g.record(pos, s, e)
					} else {
						g.out.add(Token{Term: symbolTerm(r), Start: s, End: e, Position: pos, Kind: Symbol})
					}
				}
			}
		case c.word():
			g.flushRun()
			first = 0
			if g.wordClass != c {
				g.flushWord()
				g.wordClass, g.wordNS, g.wordPos = c, i-size, g.next()
			}
			g.wordNE = i
		default:
			g.flushWord()
			u := unit{r: r, start: s, end: e, class: c, content: content, user: user, joined: g.joined}
			if g.joined {
				u.left, g.joined = true, false
			}
			if n := len(g.run); n > 0 {
				prev := &g.run[n-1]
				if isIterationMark(r) {
					u.class = prev.class // ー and ゝ continue the script before them
				}
				if prev.class != u.class {
					prev.right, u.left = true, true // a change of script is a boundary
				}
			}
			g.run = append(g.run, u)
		}
	}
	// the token's first and last characters stand on word boundaries
	if first < len(g.run) {
		g.run[first].left = true
		g.run[len(g.run)-1].right = true
	}
}

// flushWord emits the open run of letters or digits.
func (g *gramBuilder) flushWord() {
	if g.wordClass == classSpace {
		return
	}
	s, e := g.st.norm.origSpan(g.wordNS, g.wordNE)
	g.wordClass = classSpace
	if g.replay {
		g.record(g.wordPos, s, e)
		return
	}
	term := g.st.intern(g.st.norm.text[g.wordNS:g.wordNE])
	g.out.add(Token{Term: term, Start: s, End: e, Position: g.wordPos, Kind: Alnum})
}

// flushRun emits the bigrams (and unigrams) of the open Japanese run. A run
// starts and ends at word boundaries: a symbol or a letter next to Japanese
// script separates words even where kagome's token spans it
// (マーク・ザッカーバーグ is one unknown-word token).
func (g *gramBuilder) flushRun() {
	run := g.run
	if len(run) == 0 {
		return
	}
	run[0].left, run[len(run)-1].right = true, true
	if !g.replay {
		g.reviseKatakana(run)
	}
	// A katakana word of four or more characters loses a final ー, so that
	// サーバー and サーバ, コンピューター and コンピュータ are one term; the
	// mark's bytes join the character before it.
	w := 0
	for i := range run {
		if run[i].left {
			w = i
		}
		if g.replay {
			run[i].drop = i > 0 && g.replayFold[run[i].start]
		} else {
			run[i].drop = run[i].r == 'ー' && run[i].right && i-w >= 3 && katakanaSpan(run[w:i+1])
		}
		if run[i].drop {
			g.folded = append(g.folded, run[i].start)
			run[i-1].end, run[i-1].right = run[i].end, true
		}
	}
	kept := run[:0]
	for _, u := range run {
		if !u.drop {
			u.pos = g.next()
			if u.class == classKatakana {
				u.r = foldKana(u.r)
			}
			kept = append(kept, u)
		}
	}
	if g.replay {
		for _, u := range kept {
			g.record(u.pos, u.start, u.end)
		}
		g.run = run[:0]
		return
	}
	for i, u := range kept {
		// Only bigrams of two content characters are indexed: one with a
		// particle or an ending (本の, の首, てい) is left out. Nobody searches
		// for those; in a query they stand as one-character wildcards
		// (日本の首相 finds 日本|の|首相 by 日本 _ _ 首相), and they were 40% of
		// all bigrams, a quarter of the index and of its build time.
		if i+1 < len(kept) && u.content && kept[i+1].content {
			v := kept[i+1]
			g.out.add(Token{
				Term: g.st.gramTerm(u.left, u.r, v.r, v.right), Start: u.start, End: v.end,
				Position: u.pos, Kind: Bigram,
			})
		}
		// a kanji that is a word by itself (猫, 澤), or a lone content
		// character between other script (30代): a one-character query
		// finds it. A particle never is one (Googleの, iPad の).
		if u.left && u.right && u.content && (u.class == classKanji || len(kept) == 1) {
			g.out.add(Token{
				Term: g.st.gramTerm(true, u.r, 0, true), Start: u.start, End: u.end,
				Position: u.pos, Kind: Unigram,
			})
		}
	}
	g.run = run[:0]
}

// lastKatakana reports whether the open run ends in katakana.
func (g *gramBuilder) lastKatakana() bool {
	return len(g.run) > 0 && g.run[len(g.run)-1].class == classKatakana
}

// nameDot reports the separators written between the parts of a katakana
// name: ・ (and ･ after NFKC), ゠ and =.
func nameDot(r rune) bool { return r == '・' || r == '゠' || r == '=' }

func decodeRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// anyUser reports units from a user-dictionary entry, whose boundaries
// are the user's word and stand as given.
func anyUser(us []unit) bool {
	for _, u := range us {
		if u.user {
			return true
		}
	}
	return false
}

// symbolTerm is the term of a symbol inside a Latin or numeric name; the
// dashes writers use for a hyphen are one term.
func symbolTerm(r rune) string {
	if isDash(r) || r == '-' {
		return "-"
	}
	return string(r)
}

func katakanaSpan(us []unit) bool {
	for _, u := range us {
		if u.class != classKatakana {
			return false
		}
	}
	return true
}

// reviseKatakana replaces kagome's word boundaries inside each katakana
// stretch of run by the katakana lexicon's where the lexicon explains it: a
// stretch that is one lexicon word has no boundary inside (アリババ, not
// アリ|ババ); a stretch that the lexicon spells with words of two or more
// characters has boundaries exactly between them (スイーツ|コスメ, where
// kagome saw one unknown word). Otherwise kagome's boundaries stand.
func (g *gramBuilder) reviseKatakana(run []unit) {
	for i := 0; i < len(run); {
		if run[i].class != classKatakana {
			i++
			continue
		}
		j := i + 1
		for j < len(run) && run[j].class == classKatakana && !run[j].joined {
			j++ // a stretch ends at a ・ (its boundary stands)
		}
		if j-i >= 2 && !anyUser(run[i:j]) { // run[i:j] is a katakana stretch
			g.buf = g.buf[:0]
			for _, u := range run[i:j] {
				g.buf = append(g.buf, u.r)
			}
			if cuts, ok := katakanaWords(g.buf); ok {
				for k := i; k < j; k++ {
					run[k].left = k == i || cuts[k-i]
					run[k].right = k == j-1 || cuts[k-i+1]
				}
				run[i].left, run[j-1].right = true, true
			} else if cuts, ok := katakanaRemainder(g.buf); ok {
				// a word neither dictionary knows next to lexicon words
				// (ガラケー|ユーザー): boundaries around the lexicon words,
				// kagome's inside the unknown rest
				for k := i + 1; k < j; k++ {
					if cuts[k-i] {
						run[k].left, run[k-1].right = true, true
					}
				}
			}
		}
		i = j
	}
}

// state is the per-call scratch space of an analysis, pooled.
type state struct {
	norm  normText
	grams gramBuilder
	arena []byte // term bytes of this call's tokens; never reused
}

var statePool = sync.Pool{New: func() any { return new(state) }}

func getState() *state { return statePool.Get().(*state) }

func putState(st *state) {
	st.arena = nil
	st.grams.out = nil
	if cap(st.norm.text) > 1<<20 {
		st.norm = normText{} // do not keep a huge buffer alive
	}
	statePool.Put(st)
}

// intern copies b into the arena and returns it as a string.
func (st *state) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(st.arena)-len(st.arena) < len(b) {
		st.arena = make([]byte, 0, max(4096, 2*len(b)))
	}
	n := len(st.arena)
	st.arena = append(st.arena, b...)
	return unsafe.String(&st.arena[n], len(b))
}

// gramTerm builds a bigram term (b != 0) or a unigram term with its marks.
func (st *state) gramTerm(left bool, a, b rune, right bool) string {
	var buf [2 + 2*utf8.UTFMax]byte
	t := buf[:0]
	if left {
		t = append(t, LeftMark...)
	}
	t = utf8.AppendRune(t, a)
	if b != 0 {
		t = utf8.AppendRune(t, b)
	}
	if right {
		t = append(t, RightMark...)
	}
	return st.intern(t)
}

// fold returns the search form of a word term: a final ー dropped from
// katakana words of four or more characters, small katakana vowels made
// large. The result lives in the arena.
func (st *state) fold(term string) string {
	var buf [64]byte
	t := buf[:0]
	runes, allKata, last := 0, true, rune(0)
	for _, r := range term {
		runes++
		if classOf(r) != classKatakana {
			allKata = false
		}
		last = r
	}
	for _, r := range term {
		if allKata {
			r = foldKana(r)
		}
		t = utf8.AppendRune(t, r)
	}
	if allKata && runes >= 4 && last == 'ー' {
		t = t[:len(t)-len("ー")]
	}
	return st.intern(t)
}

// record notes the original span of the unit at a position (replay mode).
func (g *gramBuilder) record(pos, start, end int) {
	for len(g.spans) <= pos {
		g.spans = append(g.spans, Span{})
	}
	g.spans[pos] = Span{start, end}
}

func (g *gramBuilder) flush() {
	g.flushWord()
	g.flushRun()
}

// isIterationMark reports the long-vowel mark and the kana iteration marks,
// which take the script of the character before them.
func isIterationMark(r rune) bool {
	return r == 'ー' || r == 'ゝ' || r == 'ヽ' || r == 'ゞ' || r == 'ヾ'
}
