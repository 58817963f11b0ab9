package analyzer

import "unicode/utf8"

// Span is the byte range [Start, End) of a text.
type Span struct{ Start, End int }

// GramSpans returns, for each position of the gram analysis of text, the
// original byte span of the character (or run of letters or digits) there:
// spans[p] for position p, zero at positions that hold nothing. folded is
// Result.Folded of the same analysis.
//
// Positions do not depend on the dictionary except through the folded
// marks, so this needs no kagome and costs about as much as normalisation:
// an index can drop the offsets of gram tokens, keep positions and the few
// folded offsets, and find a match's text again from the stored article.
func GramSpans(text string, folded []int) []Span {
	if text == "" {
		return nil
	}
	st := getState()
	defer putState(st)
	st.norm.normalize(text)
	g := &st.grams
	g.reset(st, nil)
	g.replay = true
	if len(folded) > 0 {
		g.replayFold = make(map[int]bool, len(folded))
		for _, f := range folded {
			g.replayFold[f] = true
		}
	}
	g.addToken(0, len(st.norm.text), false)
	g.flush()
	spans := g.spans
	g.spans, g.replayFold, g.replay = nil, nil, false
	return spans
}

// GramTermSpan returns the original span of a gram term found at position
// pos, given GramSpans: a bigram covers its position and the next.
func GramTermSpan(spans []Span, term string, pos int) (Span, bool) {
	if pos <= 0 || pos >= len(spans) || spans[pos].End == 0 {
		return Span{}, false
	}
	s := spans[pos]
	chars, _, _ := SplitGram(term)
	if n := runeCount(chars); n == 2 && classOf(firstRune(chars)).japanese() && pos+1 < len(spans) {
		s.End = spans[pos+1].End
	}
	return s, true
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// GramSpansUpTo is GramSpans for positions up to maxPos+1 only: it reads
// as little of text as it needs, so finding an early match in a long
// article stays cheap.
func GramSpansUpTo(text string, folded []int, maxPos int) []Span {
	limit := (maxPos + 64) * 4
	for limit < len(text) {
		cut := limit
		for cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut++
		}
		// the unit at the cut may be cut short: only positions before it count
		if spans := GramSpans(text[:cut], folded); len(spans) > maxPos+2 {
			return spans[:maxPos+2]
		}
		limit *= 2
	}
	return GramSpans(text, folded)
}
