package index

import (
	"bytes"
	"encoding/json"
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/newsearch/newsearch/analyzer"
)

// Span is the byte range [Start, End) of a text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Snippet is an extract of an article's body with the matches marked.
type Snippet struct {
	Text  string // the extract; "…" where it was cut
	Marks []Span // byte ranges of Text that matched, sorted, not overlapping
}

// HTML returns the snippet as HTML: text escaped, matches in <mark>.
func (s Snippet) HTML() string {
	return markup(s.Text, s.Marks, "<mark>", "</mark>", html.EscapeString)
}

// Mark returns the snippet with every match between open and close.
func (s Snippet) Mark(open, close string) string {
	return markup(s.Text, s.Marks, open, close, func(s string) string { return s })
}

func markup(text string, marks []Span, open, close string, esc func(string) string) string {
	var b strings.Builder
	at := 0
	for _, m := range marks {
		if m.Start < at || m.End > len(text) || m.Start >= m.End {
			continue
		}
		b.WriteString(esc(text[at:m.Start]))
		b.WriteString(open)
		b.WriteString(esc(text[m.Start:m.End]))
		b.WriteString(close)
		at = m.End
	}
	b.WriteString(esc(text[at:]))
	return b.String()
}

// MarshalJSON writes a hit with its snippet as HTML ("snippet"), as plain
// text ("snippet_text") with the matched byte ranges ("highlights"), and the
// title's matched ranges ("title_highlights").
func (h Hit) MarshalJSON() ([]byte, error) {
	type plain Hit
	marks := h.Snippet.Marks
	if marks == nil {
		marks = []Span{}
	}
	titleMarks := h.TitleMarks
	if titleMarks == nil {
		titleMarks = []Span{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the snippet's <mark> is meant as HTML
	err := enc.Encode(struct {
		plain
		Snippet         string `json:"snippet"`
		SnippetText     string `json:"snippet_text"`
		Highlights      []Span `json:"highlights"`
		TitleHighlights []Span `json:"title_highlights"`
	}{plain(h), h.Snippet.HTML(), h.Snippet.Text, marks, titleMarks})
	return bytes.TrimRight(b.Bytes(), "\n"), err
}

// gramMarks returns the merged byte ranges of text matched by gram terms
// at the given locations. The index keeps positions only; GramSpans finds
// the characters at those positions again in the stored text.
func gramMarks(text, fold string, locs search.TermLocationMap) []Span {
	return marksAt(text, fold, gramHits(locs), -1)
}

// gramHit is a gram term found at a position.
type gramHit struct {
	term string
	pos  int
}

func gramHits(locs search.TermLocationMap) []gramHit {
	var out []gramHit
	for term, ls := range locs {
		for _, l := range ls {
			out = append(out, gramHit{term, int(l.Pos)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// marksAt returns the merged byte ranges of the hits, finding positions in
// text up to maxPos only (all of them when maxPos < 0).
func marksAt(text, fold string, hits []gramHit, maxPos int) []Span {
	if len(hits) == 0 || text == "" {
		return nil
	}
	folded := decodeOffsets([]byte(fold))
	var spans []analyzer.Span
	if maxPos < 0 {
		spans = analyzer.GramSpans(text, folded)
	} else {
		spans = analyzer.GramSpansUpTo(text, folded, maxPos)
	}
	var out []Span
	for _, h := range hits {
		if sp, ok := analyzer.GramTermSpan(spans, h.term, h.pos); ok {
			out = append(out, Span{sp.Start, sp.End})
		}
	}
	return mergeSpans(out)
}

// hitMarks returns the marks of a hit's title and the snippet of its
// body. The marks are where the query matched (the gram terms' locations),
// and besides, in the title and the snippet, the same words where they
// begin a longer word (compoundMarks).
func hitMarks(title, titleFold, body, bodyFold string, locs search.FieldTermLocationMap, maxRunes int) ([]Span, Snippet) {
	tm := gramMarks(title, titleFold, locs[fieldTitleGram])
	titleWords := matchedWords(title, tm, "", nil)
	sn := bodySnippet(body, bodyFold, locs[fieldBodyGram], maxRunes, titleWords)
	words := matchedWords(title, tm, sn.Text, sn.Marks)
	tm = mergeSpans(append(tm, compoundMarks(title, words, tm)...))
	sn.Marks = mergeSpans(append(sn.Marks, compoundMarks(sn.Text, words, sn.Marks)...))
	return tm, sn
}

// bodySnippet cuts the snippet of a body around its densest group of
// matches outside link lists (boilerplate). The group is chosen by
// position (a position is about a character), so only the text up to it
// needs to be read again. A body without matches is cut where one of
// words (the title's matches) begins a word, else at its start.
func bodySnippet(body, fold string, locs search.TermLocationMap, maxRunes int, words []string) Snippet {
	skip := boilerplate(body)
	hits := gramHits(locs)
	if len(hits) == 0 {
		return makeSnippet(body, firstOutside(compoundMarks(body, words, nil), skip), maxRunes, skip)
	}
	// hits inside link lists count only when there are no others
	if len(skip) > 0 {
		spans := analyzer.GramSpansUpTo(body, decodeOffsets([]byte(fold)), hits[len(hits)-1].pos)
		var kept []gramHit
		for _, h := range hits {
			if sp, ok := analyzer.GramTermSpan(spans, h.term, h.pos); ok && !inside(skip, sp.Start) {
				kept = append(kept, h)
			}
		}
		if len(kept) == 0 {
			// matches in lists only: the article's opening says more
			return makeSnippet(body, firstOutside(compoundMarks(body, words, nil), skip), maxRunes, skip)
		}
		hits = kept
	}
	best, bestCount := 0, 0
	for i := range hits {
		n := 0
		for _, h := range hits[i:] {
			if h.pos-hits[i].pos > maxRunes {
				break
			}
			n++
		}
		if n > bestCount {
			best, bestCount = i, n
		}
	}
	// every match the snippet window can show: it may start up to a fifth
	// of its length before the group
	first, last := hits[best].pos-maxRunes/5-1, hits[best].pos+maxRunes
	var shown []gramHit
	for _, h := range hits {
		if h.pos >= first && h.pos <= last {
			shown = append(shown, h)
		}
	}
	marks := marksAt(body, fold, shown, last+1)
	// the window goes around the group chosen, not an earlier mark
	anchor := -1
	if sp := marksAt(body, fold, hits[best:best+1], hits[best].pos+1); len(sp) > 0 {
		for i, m := range marks {
			if m.End > sp[0].Start {
				anchor = i
				break
			}
		}
	}
	if anchor < 0 {
		return makeSnippet(body, marks, maxRunes, skip)
	}
	return makeSnippetAt(body, marks, anchor, maxRunes, skip)
}

// firstOutside returns the first mark outside the ranges skip, alone (nil
// when there is none).
func firstOutside(marks, skip []Span) []Span {
	for _, m := range marks {
		if !inside(skip, m.Start) {
			return []Span{m}
		}
	}
	return nil
}

// inside reports whether offset i lies in one of the sorted ranges.
func inside(ranges []Span, i int) bool {
	for _, r := range ranges {
		if i >= r.Start && i < r.End {
			return true
		}
	}
	return false
}

// matchedWords returns the texts that marks cover in two texts, each once,
// of two characters or more.
func matchedWords(a string, am []Span, b string, bm []Span) []string {
	var out []string
	seen := map[string]bool{}
	add := func(text string, marks []Span) {
		for _, m := range marks {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
				continue
			}
			w := text[m.Start:m.End]
			if utf8.RuneCountInString(w) >= 2 && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	add(a, am)
	add(b, bm)
	return out
}

// compoundMarks returns where words occur in text at the start of a word,
// outside the marks already there: a query word that begins a compound the
// dictionary made one word of (京都 in 京都大学, スマホ in スマホカバー),
// which the index does not count as the word but a reader does. "At the
// start of a word": the character before it is not of the script of the
// word's first character (kanji after kanji, katakana after katakana, a
// letter or digit after a letter or digit), so 京都 in 東京都 stays
// unmarked. Words that start with hiragana (endings, particles) are not
// looked for.
func compoundMarks(text string, words []string, marked []Span) []Span {
	var out []Span
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		if unicode.Is(unicode.Hiragana, first) {
			continue
		}
		for at := 0; at < len(text); {
			i := strings.Index(text[at:], w)
			if i < 0 {
				break
			}
			i += at
			at = i + len(w)
			if i > 0 {
				prev, _ := utf8.DecodeLastRuneInString(text[:i])
				if sameScript(prev, first) {
					continue
				}
			}
			if overlaps(marked, i, i+len(w)) {
				continue
			}
			out = append(out, Span{i, i + len(w)})
		}
	}
	return out
}

func overlaps(spans []Span, start, end int) bool {
	for _, s := range spans {
		if s.Start < end && start < s.End {
			return true
		}
	}
	return false
}

// script is the kind of writing a character is, for telling where words
// start.
type script int

const (
	scriptOther script = iota // punctuation, space, symbols
	scriptHan
	scriptHiragana
	scriptKatakana
	scriptAlnum // letters and digits of any width
)

func scriptOf(r rune) script {
	switch {
	case unicode.Is(unicode.Han, r) || r == '々' || r == '〆':
		return scriptHan
	case unicode.Is(unicode.Hiragana, r):
		return scriptHiragana
	case unicode.Is(unicode.Katakana, r) || r == 'ー' || r == 'ｰ':
		return scriptKatakana
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return scriptAlnum
	}
	return scriptOther
}

func sameScript(a, b rune) bool {
	sa := scriptOf(a)
	return sa != scriptOther && sa == scriptOf(b)
}

// wordStart reports whether a snippet may start at byte i of text: at
// either end, after punctuation or a space, or after hiragana (a particle
// or an ending) where a word of another script begins: where a phrase
// (文節) begins. Not inside a word, nor before a particle (ユーザー|は), nor
// inside a compound or a number and its counter (スマホ|市場, 2012|年).
// Punctuation that closes or separates (、。」) is no start either.
func wordStart(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	next, _ := utf8.DecodeRuneInString(text[i:])
	a, b := scriptOf(prev), scriptOf(next)
	switch {
	case b == scriptOther:
		return unicode.IsSpace(next) || unicode.Is(unicode.Ps, next) || unicode.Is(unicode.Pi, next)
	case a == scriptOther:
		return true
	}
	return a == scriptHiragana && b != scriptHiragana
}

// wordEnd reports whether a snippet may end at byte i of text: at either
// end, before punctuation or a space, after hiragana before another
// script, or after katakana, letters or digits before hiragana (a word
// and its particle: ユーザー|は). Not inside a word, nor between kanji and
// its okurigana (行|う), nor inside a compound (スマホ|市場).
func wordEnd(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	next, _ := utf8.DecodeRuneInString(text[i:])
	a, b := scriptOf(prev), scriptOf(next)
	switch {
	case b == scriptOther:
		return true
	case a == scriptOther:
		return unicode.IsSpace(prev) || unicode.Is(unicode.Pe, prev) || unicode.Is(unicode.Pf, prev) || strings.ContainsRune("、。，．！？!?", prev)
	case a == scriptHiragana:
		return b != scriptHiragana
	}
	return b == scriptHiragana && a != scriptHan
}

// boilerplate returns the byte ranges of body that are lists of links or
// navigation rather than the article's text, by this rule:
//
//   - a run of two or more list lines, lines that start with a list mark
//     (・•●◆◇▼▶►→※*-) or hold a URL alone, blank lines between them
//     allowed, together with the heading right before it if there is one;
//   - a marked heading followed, up to a blank line, by lines that are
//     not sentences: at most 80 characters, not ending in 。 (link titles).
//
// A heading is a line of at most 30 characters that does not end in 。; a
// marked heading one that starts with ■□◆▼【 (■関連記事, ■関連リンク).
func boilerplate(body string) []Span {
	type line struct {
		start, end  int // without the line end
		list, blank bool
		heading     bool // a short line that does not end a sentence
		marked      bool // a heading with a mark
		title       bool // not a sentence: could be a link's title
	}
	var lines []line
	for at := 0; at <= len(body); {
		end := strings.IndexByte(body[at:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += at
		}
		text := strings.TrimSpace(body[at:end])
		l := line{start: at, end: end, blank: text == ""}
		if !l.blank {
			first, _ := utf8.DecodeRuneInString(text)
			n := utf8.RuneCountInString(text)
			sentence := strings.HasSuffix(text, "。")
			l.list = strings.ContainsRune("・•●◆◇▼▶►→※*-･", first) || isURL(text)
			l.heading = !l.list && n <= 30 && !sentence
			l.marked = l.heading && strings.ContainsRune("■□◆▼【", first)
			l.title = n <= 80 && !sentence
		}
		lines = append(lines, l)
		if end == len(body) {
			break
		}
		at = end + 1
	}
	var out []Span
	for i := 0; i < len(lines); {
		l := lines[i]
		switch {
		case l.marked && i+1 < len(lines) && !lines[i+1].blank:
			j := i + 1
			for j < len(lines) && !lines[j].blank && (lines[j].title || lines[j].list) {
				j++
			}
			if j == len(lines) || lines[j].blank {
				out = append(out, Span{l.start, lines[j-1].end})
				i = j
				continue
			}
			i++
		case l.list:
			j, n := i, 0 // the run of list lines (blank lines between them)
			for k := i; k < len(lines) && (lines[k].list || lines[k].blank); k++ {
				if lines[k].list {
					n++
					j = k + 1
				}
			}
			if n >= 2 {
				start := l.start
				if i > 0 && lines[i-1].heading {
					start = lines[i-1].start
				}
				out = append(out, Span{start, lines[j-1].end})
			}
			i = j
		default:
			i++
		}
	}
	return out
}

func isURL(s string) bool {
	return (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) && !strings.ContainsAny(s, " \t　")
}

// mergeSpans sorts spans and joins those that overlap or touch: the
// bigrams 呉泳 and 泳銘 become one mark over 呉泳銘.
func mergeSpans(s []Span) []Span {
	if len(s) == 0 {
		return nil
	}
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start || s[i].Start == s[j].Start && s[i].End > s[j].End })
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.Start <= last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

const ellipsis = "…"

// makeSnippet cuts about maxRunes characters of body around the densest
// group of marks (at its start when there are none), outside the ranges
// skip where it can.
func makeSnippet(body string, marks []Span, maxRunes int, skip []Span) Snippet {
	best, bestCount := -1, 0
	approx := maxRunes * 3 // bytes, for Japanese
	for i, m := range marks {
		n := 0
		for _, x := range marks[i:] {
			if x.End-m.Start > approx {
				break
			}
			n++
		}
		if n > bestCount {
			best, bestCount = i, n
		}
	}
	return makeSnippetAt(body, marks, best, maxRunes, skip)
}

// makeSnippetAt cuts about maxRunes characters of body, starting a little
// before marks[anchor] (at the body's start when anchor < 0, after any
// boilerplate there), at a sentence start if one is near, else where a word
// begins, and ending where a word ends, never inside a mark, and before the
// next range of skip. Line breaks become spaces (same byte length, so
// marks stay put).
func makeSnippetAt(body string, marks []Span, anchor, maxRunes int, skip []Span) Snippet {
	if body == "" {
		return Snippet{}
	}
	start, at := 0, 0
	if anchor >= 0 && anchor < len(marks) {
		at = marks[anchor].Start
		start = backRunes(body, at, maxRunes/5)
		// prefer to start at a sentence start when one is near
		if i := strings.LastIndexAny(body[start:at], "。\n"); i >= 0 {
			start += i + runeLen(body[start+i:])
		}
	}
	start = skipSpace(body, start)
	for _, r := range skip {
		if start >= r.Start && start < r.End {
			start = min(r.End, at) // out of a list the mark is not in
		}
		if anchor < 0 && start == r.Start {
			start = r.End // the body opens with a list
		}
	}
	start = skipSpace(body, start)
	for start < at && !wordStart(body, start) {
		_, n := utf8.DecodeRuneInString(body[start:])
		start += n
	}
	end := forwardRunes(body, start, maxRunes)
	// stop before the next list
	for _, r := range skip {
		if r.Start >= max(start, at) && r.Start < end {
			end = max(start, len(strings.TrimRight(body[:r.Start], " \n\r\t　")))
			break
		}
	}
	// text left over: start earlier, at a sentence start or a word start,
	// not inside a list
	if room := maxRunes - utf8.RuneCountInString(body[start:end]); room > 0 && start > 0 {
		floor := 0
		for _, p := range skip {
			if p.End <= start {
				floor = max(floor, p.End)
			}
		}
		s := max(floor, backRunes(body, start, room))
		if i := strings.IndexAny(body[s:start], "。\n"); i >= 0 && s > floor {
			s += i + runeLen(body[s+i:])
		}
		s = skipSpace(body, s)
		for s < start && !wordStart(body, s) {
			_, n := utf8.DecodeRuneInString(body[s:])
			s += n
		}
		start = s
	}
	for _, m := range marks {
		if m.Start < end && m.End > end {
			end = m.End // do not cut a match in two
		}
	}
	// end where a word ends, not before the last mark shown
	floor := start
	for _, m := range marks {
		if m.End <= end && m.End > floor && m.Start >= start {
			floor = m.End
		}
	}
	if end < len(body) {
		e := end
		for e > floor && !wordEnd(body, e) {
			_, n := utf8.DecodeLastRuneInString(body[:e])
			e -= n
		}
		if e > start {
			end = e
		}
	}
	text := strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, body[start:end])
	// no space before the ellipsis
	trimmed := strings.TrimRight(text, " 　")
	shift := 0
	if start > 0 {
		trimmed = ellipsis + trimmed
		shift = len(ellipsis)
	}
	if end < len(body) {
		trimmed += ellipsis
	}
	var out []Span
	for _, m := range marks {
		if m.End <= start || m.Start >= end {
			continue
		}
		out = append(out, Span{max(m.Start, start) - start + shift, min(m.End, end) - start + shift})
	}
	return Snippet{Text: trimmed, Marks: out}
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}

// backRunes returns the offset n runes before i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes returns the offset n runes after i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
