// Package analyzer is the Japanese text analysis behind newsearch, usable by
// any bleve user on its own.
//
// One pass over a text yields two token streams that share one
// normalisation and one offset map:
//
//   - Words: kagome morphology with the IPA dictionary: nouns, verbs and
//     adjectives by base form; particles, auxiliary verbs and symbols dropped
//     (with position gaps). Precise, but blind to words the dictionary cuts
//     differently in different sentences (スマ|ホ, 呉|泳|銘).
//   - Grams: overlapping character bigrams over runs of Japanese script and
//     whole runs of letters or digits, like Groonga's TokenBigram. Every
//     bigram also records whether a word boundary lies before its first and
//     after its second character, so a query can ask for a string that
//     starts and ends on word boundaries: 京都 then matches 京都 and 京|都 but
//     not 東京|都.
//
// Every token's Start and End are byte offsets into the ORIGINAL text,
// whatever normalisation did: text[Start:End] is the token as written.
package analyzer

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome/v2/tokenizer"
	"github.com/ikawaha/kagome/v2/tokenizer/lattice"
)

// Version identifies what the analysis does. It is part of every analyzer
// name registered with bleve and is recorded in indexes: a change to the
// terms produced for some text must increment it, and so must a change to
// the people and organisations found in an article (ArticleEntities), which
// the index keeps as terms of its person and org fields. 3: a space between
// Japanese words is a word boundary on both sides. 4: names merged with
// their short forms, common nouns no organisations.
const Version = 4

// Mode is the kagome segmentation mode.
type Mode int

const (
	// Normal is kagome's plain Viterbi segmentation.
	Normal Mode = iota + 1
	// Search penalises long compounds so that they split into their parts
	// (関西国際空港 → 関西|国際|空港).
	Search
)

func (m Mode) String() string {
	switch m {
	case Normal:
		return "normal"
	case Search:
		return "search"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode returns the Mode named s ("normal" or "search").
func ParseMode(s string) (Mode, error) {
	switch s {
	case "normal":
		return Normal, nil
	case "search":
		return Search, nil
	}
	return 0, fmt.Errorf("unknown segmentation mode %q (want normal or search)", s)
}

// DefaultMode is the segmentation mode of New without WithMode.
const DefaultMode = Normal

// Kind says which analysis produced a token and what its term holds.
type Kind uint8

const (
	// Word is a morphological token: a dictionary word, an unknown-word run
	// or a user-dictionary entry, by base form.
	Word Kind = iota + 1
	// Bigram is two adjacent Japanese characters, with boundary marks.
	Bigram
	// Unigram is one Japanese character that forms a word alone, or a run of
	// one character between non-Japanese text, with boundary marks.
	Unigram
	// Alnum is a run of letters or a run of digits.
	Alnum
	// Symbol is one symbol between letters or digits (the - of Blu-ray,
	// the . of 10.7): it keeps a name's punctuation from matching any
	// other character.
	Symbol
)

func (k Kind) String() string {
	switch k {
	case Word:
		return "word"
	case Bigram:
		return "bigram"
	case Unigram:
		return "unigram"
	case Alnum:
		return "alnum"
	case Symbol:
		return "symbol"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Token is one analysed token.
type Token struct {
	Term     string // the indexed term
	Start    int    // byte offset of the token's first byte in the original text
	End      int    // byte offset just after the token's last byte in the original text
	Position int    // 1-based; gaps where stop words or symbols were dropped
	Kind     Kind
	POS      string // part of speech of a Word (IPA tags joined by commas), else ""
	Unknown  bool   // a Word the dictionary does not know (an unknown-word run)
}

// Result holds both analyses of one text.
type Result struct {
	Words []Token
	Grams []Token
	// Folded lists the original byte offsets of the long-vowel marks that
	// the gram analysis folded away (サーバー → サーバ), for GramSpans.
	Folded []int
}

// Analyzer analyses Japanese text. It is safe for concurrent use; the
// dictionary is loaded on first use.
type Analyzer struct {
	mode     Mode
	user     *UserDict
	maxChunk int // runes per kagome call

	pos       posCache
	compounds sync.Map // kanjiParts memo, kanji word -> []part: compounds repeat
	once      sync.Once
	tk        *tokenizer.Tokenizer
	dict      *dictionary
}

// Option configures an Analyzer.
type Option func(*Analyzer) error

// WithMode sets the kagome segmentation mode.
func WithMode(m Mode) Option {
	return func(a *Analyzer) error {
		if m != Normal && m != Search {
			return fmt.Errorf("analyzer: unknown mode %v", m)
		}
		a.mode = m
		return nil
	}
}

// WithUserDict adds a user dictionary (see ReadUserDict).
func WithUserDict(u *UserDict) Option {
	return func(a *Analyzer) error {
		if u == nil {
			return errors.New("analyzer: nil user dictionary")
		}
		a.user = u
		return nil
	}
}

// maxChunkRunes bounds the text kagome sees at once. Text is cut at sentence
// ends; a run longer than this without one is cut at a space or symbol, so a
// megabyte without punctuation costs bounded memory.
const maxChunkRunes = 1024

// New returns an Analyzer. The system dictionary is not loaded until the
// first text is analysed.
func New(opts ...Option) (*Analyzer, error) {
	a := &Analyzer{mode: DefaultMode, maxChunk: maxChunkRunes}
	for _, opt := range opts {
		if err := opt(a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Mode returns the segmentation mode.
func (a *Analyzer) Mode() Mode { return a.mode }

// UserDict returns the user dictionary, or nil.
func (a *Analyzer) UserDict() *UserDict { return a.user }

// Config describes everything that changes the terms an Analyzer produces:
// indexes record it and refuse to mix analyses.
func (a *Analyzer) Config() string {
	c := fmt.Sprintf("v%d/%s", Version, a.mode)
	if a.user != nil {
		c += "/user:" + a.user.Hash()
	}
	return c
}

// kagome returns the tokenizer and the system dictionary, loading them on
// first use.
func (a *Analyzer) kagome() (*tokenizer.Tokenizer, *dictionary) {
	a.once.Do(func() {
		a.dict = systemDictionary()
		opts := []tokenizer.Option{tokenizer.OmitBosEos()}
		if a.user != nil {
			opts = append(opts, tokenizer.UserDict(a.user.kagome))
		}
		t, err := tokenizer.New(a.dict.kagome, opts...)
		if err != nil {
			// kagome fails only on a nil dictionary, which cannot happen here
			panic(fmt.Sprintf("analyzer: kagome: %v", err))
		}
		a.tk = t
	})
	return a.tk, a.dict
}

// Analyze returns both analyses of text.
func (a *Analyzer) Analyze(text string) Result {
	var w, g sink
	r := Result{Folded: a.run(text, &w, &g)}
	r.Words, r.Grams = w.toks, g.toks
	return r
}

// Words returns the word (morphological) analysis of text.
func (a *Analyzer) Words(text string) []Token {
	var w sink
	a.run(text, &w, nil)
	return w.toks
}

// Grams returns the recall (bigram) analysis of text.
func (a *Analyzer) Grams(text string) []Token {
	var g sink
	a.run(text, nil, &g)
	return g.toks
}

// run analyses text and appends to whichever outputs are non-nil.
func (a *Analyzer) run(text string, words, grams *sink) (folded []int) {
	if text == "" {
		return nil
	}
	_, d := a.kagome()
	st := getState()
	defer putState(st)
	st.norm.normalize(text)
	nt := st.norm.text
	if len(nt) == 0 {
		return nil
	}
	st.arena = make([]byte, 0, len(nt)*2+len(nt)/2)
	if words != nil {
		words.grow(len(nt)/8 + 4)
	}
	if grams != nil {
		grams.grow(len(nt)/3 + 4)
		st.grams.reset(st, grams)
	}
	mode := lattice.Normal
	if a.mode == Search {
		mode = lattice.Search
	}
	var udict *dict.UserDict
	if a.user != nil {
		udict = a.user.kagome
	}
	// kagome's lattice directly, as tokenizer.Analyze uses it, without the
	// []tokenizer.Token it would allocate for every sentence (most of
	// kagome's allocations)
	position := 0
	for start := 0; start < len(nt); {
		end := chunkEnd(nt, start, a.maxChunk)
		la := lattice.New(d.kagome, udict)
		la.Build(unsafe.String(&nt[start], end-start))
		la.Forward(mode)
		la.Backward(mode)
		for i := len(la.Output) - 1; i >= 0; i-- {
			n := la.Output[i]
			if n.ID == lattice.BosEosID || n.Class == lattice.DUMMY || n.Surface == "" {
				continue
			}
			position++
			ns, ne := start+n.Position, start+n.Position+len(n.Surface)
			a.token(st, d, n, ns, ne, &position, words, grams != nil)
		}
		la.Free()
		start = end
	}
	if grams != nil {
		st.grams.flush()
		folded = st.grams.folded
	}
	return folded
}

// token handles one kagome token covering normalised bytes [ns, ne).
func (a *Analyzer) token(st *state, d *dictionary, t *lattice.Node, ns, ne int, position *int, words *sink, grams bool) {
	var (
		info    *posInfo
		unknown bool
		term    = t.Surface
	)
	switch t.Class {
	case lattice.KNOWN:
		info = a.pos.knownPOS(d.kagome, t.ID)
		if info.inflects {
			if b := d.baseForm(t.ID); b != "" && b != "*" {
				term = b
			}
		}
	case lattice.UNKNOWN:
		info = a.pos.unknownPOS(d.kagome, t.ID)
		unknown = true
		if r, _ := utf8.DecodeRuneInString(t.Surface); classOf(r) <= classSymbol {
			info = symbolPOS // IPA files unknown ASCII symbols as nouns
		}

	case lattice.USER:
		e := a.user.entries[t.ID]
		info = e.pos
		a.userToken(st, e, t.Surface, ns, position, words, grams)
		return
	default:
		return
	}
	stop := info.stop || stopWords[term]
	if words != nil && !stop {
		s, e := st.norm.origSpan(ns, ne)
		words.add(Token{
			Term: st.fold(term), Start: s, End: e, Position: *position,
			Kind: Word, POS: info.tag, Unknown: unknown,
		})
	}
	if grams {
		if parts := a.kanjiParts(t); len(parts) > 1 {
			for _, p := range parts {
				st.grams.addToken(ns+p.start, ns+p.end, !stop)
			}
			return
		}
		st.grams.addToken(ns, ne, !stop)
	}
}

// userToken expands a user-dictionary entry into its segments, as Lucene
// does: the segments are the words, each with its own position and span.
func (a *Analyzer) userToken(st *state, e *userEntry, surface string, ns int, position *int, words *sink, grams bool) {
	off := 0
	for i, seg := range e.segments {
		if i > 0 {
			*position++
		}
		segStart := ns + off
		segEnd := segStart + len(seg)
		if off+len(seg) > len(surface) || surface[off:off+len(seg)] != seg {
			// the segmentation does not spell the surface: one word for all
			segEnd = ns + len(surface)
		}
		if words != nil {
			s, en := st.norm.origSpan(segStart, segEnd)
			words.add(Token{
				Term: st.fold(seg), Start: s, End: en, Position: *position,
				Kind: Word, POS: e.pos.tag,
			})
		}
		if grams {
			st.grams.addTokenFrom(segStart, segEnd, true, true)
		}
		off = segEnd - ns
		if off >= len(surface) {
			break
		}
	}
}

// chunkEnd returns where the kagome call that starts at text[start:] should
// end: after a sentence end, else at the last space or symbol before
// maxRunes runes, else at maxRunes runes.
func chunkEnd(text []byte, start, maxRunes int) int {
	runes, lastBreak := 0, -1
	for i := start; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch r {
		case '。', '!', '?', '\n', '！', '？':
			return i
		}
		if c := classOf(r); c == classSpace || c == classSymbol {
			lastBreak = i
		}
		runes++
		if runes >= maxRunes {
			if lastBreak > start {
				return lastBreak
			}
			return i
		}
	}
	return len(text)
}

// WriteTokens writes tokens one per line as term, start, end and position
// separated by tabs: the golden-file format.
func WriteTokens(w io.Writer, tokens []Token) error {
	for _, t := range tokens {
		if _, err := fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", t.Term, t.Start, t.End, t.Position); err != nil {
			return err
		}
	}
	return nil
}
