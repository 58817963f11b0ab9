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

// unit is one position of the gram analysis under construction: a Japanese
// character (alnum runs are emitted directly).
type unit struct {
	r           rune
	start, end  int // original byte range (a folded-away ー is included)
	pos         int
	left, right bool // a word boundary lies before / after the character
	single      bool // the character alone is a content word
	class       charClass
}

// gramBuilder turns the kagome tokens of a text, in order, into gram tokens.
type gramBuilder struct {
	st  *state
	out []Token
	pos int  // last position handed out
	gap bool // a symbol was passed since the last unit
	run []unit

	wordClass      charClass // classLetter or classDigit while a word is open
	wordNS, wordNE int       // normalised byte range of the open word
	wordPos        int
}

func (g *gramBuilder) reset(st *state, out []Token) {
	g.st, g.out, g.pos, g.gap, g.run = st, out, 0, false, g.run[:0]
	g.wordClass = classSpace
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
	text := g.st.norm.text
	// A katakana word of four or more characters loses a final ー, so that
	// サーバー and サーバ, コンピューター and コンピュータ are one term.
	runes, allKata, last := 0, true, rune(0)
	japanese := 0
	for i := ns; i < ne; {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		runes++
		c := classOf(r)
		allKata = allKata && c == classKatakana
		if c.japanese() {
			japanese++
		}
		last = r
	}
	dropLast := allKata && runes >= 4 && last == 'ー'
	if dropLast {
		japanese--
	}
	single := content && japanese == 1 && japanese == runes-boolInt(dropLast)
	first, added := 0, false // the token's first unit in the run, if any
	for i := ns; i < ne; {
		r, size := utf8.DecodeRune(text[i:])
		c := classOf(r)
		s, e := g.st.norm.origSpan(i, i+size)
		i += size
		switch {
		case c == classSpace:
			g.flushWord()
		case c == classSymbol:
			g.flushWord()
			g.flushRun()
			g.gap = true
		case c.word():
			g.flushRun()
			if g.wordClass != c {
				g.flushWord()
				g.wordClass, g.wordNS, g.wordPos = c, i-size, g.next()
			}
			g.wordNE = i
		default:
			g.flushWord()
			if dropLast && i == ne && len(g.run) > 0 {
				g.run[len(g.run)-1].end = e // the folded ー still belongs to the word
				continue
			}
			u := unit{r: r, start: s, end: e, class: c, single: single}
			if c == classKatakana {
				u.r = foldKana(r)
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
			u.pos = g.next()
			if !added {
				first, added = len(g.run), true
			}
			g.run = append(g.run, u)
		}
	}
	if added {
		g.run[first].left = true
		g.run[len(g.run)-1].right = true
	}
}

// isIterationMark reports the long-vowel mark and the kana iteration marks,
// which take the script of the character before them.
func isIterationMark(r rune) bool {
	return r == 'ー' || r == 'ゝ' || r == 'ヽ' || r == 'ゞ' || r == 'ヾ'
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// flushWord emits the open run of letters or digits.
func (g *gramBuilder) flushWord() {
	if g.wordClass == classSpace {
		return
	}
	s, e := g.st.norm.origSpan(g.wordNS, g.wordNE)
	term := g.st.intern(g.st.norm.text[g.wordNS:g.wordNE])
	g.out = append(g.out, Token{Term: term, Start: s, End: e, Position: g.wordPos, Kind: Alnum})
	g.wordClass = classSpace
}

// flushRun emits the bigrams (and unigrams) of the open Japanese run.
func (g *gramBuilder) flushRun() {
	run := g.run
	for i, u := range run {
		if i+1 < len(run) {
			v := run[i+1]
			g.out = append(g.out, Token{
				Term: g.st.gramTerm(u.left, u.r, v.r, v.right), Start: u.start, End: v.end,
				Position: u.pos, Kind: Bigram,
			})
		}
		if u.single || len(run) == 1 {
			g.out = append(g.out, Token{
				Term: g.st.gramTerm(u.left, u.r, 0, u.right), Start: u.start, End: u.end,
				Position: u.pos, Kind: Unigram,
			})
		}
	}
	g.run = run[:0]
}

func (g *gramBuilder) flush() {
	g.flushWord()
	g.flushRun()
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
