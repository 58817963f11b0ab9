package index

import (
	"bytes"
	"encoding/json"
	"html"
	"sort"
	"strings"
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

// bodySnippet cuts the snippet of a body around its densest group of
// matches. The group is chosen by position (a position is about a
// character), so only the text up to it needs to be read again.
func bodySnippet(body, fold string, locs search.TermLocationMap, maxRunes int) Snippet {
	hits := gramHits(locs)
	if len(hits) == 0 {
		return makeSnippet(body, nil, maxRunes)
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
	// every match the snippet window can show
	last := hits[best].pos + maxRunes
	var shown []gramHit
	for _, h := range hits[best:] {
		if h.pos > last {
			break
		}
		shown = append(shown, h)
	}
	return makeSnippet(body, marksAt(body, fold, shown, last+1), maxRunes)
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
// group of marks. Line breaks become spaces (same byte length, so marks
// stay put).
func makeSnippet(body string, marks []Span, maxRunes int) Snippet {
	if body == "" {
		return Snippet{}
	}
	// the window: start a little before the mark whose following window
	// holds the most marks
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
	start := 0
	if best >= 0 {
		start = backRunes(body, marks[best].Start, maxRunes/5)
		// prefer to start at a sentence start when one is near
		if i := strings.LastIndexAny(body[start:marks[best].Start], "。\n"); i >= 0 {
			start += i + len(body[start+i:][:runeLen(body[start+i:])])
		}
	}
	for start < len(body) && (body[start] == ' ' || body[start] == '\n' || body[start] == '\r' || body[start] == '\t') {
		start++
	}
	end := forwardRunes(body, start, maxRunes)
	for _, m := range marks {
		if m.Start < end && m.End > end {
			end = m.End // do not cut a match in two
		}
	}
	text := strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, body[start:end])
	shift := 0
	if start > 0 {
		text = ellipsis + text
		shift = len(ellipsis)
	}
	if end < len(body) {
		text += ellipsis
	}
	var out []Span
	for _, m := range marks {
		if m.End <= start || m.Start >= end {
			continue
		}
		out = append(out, Span{max(m.Start, start) - start + shift, min(m.End, end) - start + shift})
	}
	return Snippet{Text: text, Marks: out}
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
