package analyzer

// GramPhrase returns what a phrase query over a gram field must match to
// find text where it starts and ends on word boundaries: one list of
// alternative terms per position, an empty list where any term (or none)
// may stand. It is empty when text has nothing to search for.
//
// Each run of Japanese characters becomes its bigrams: the first must carry
// the left boundary mark, the last the right one, those between may carry
// any. A run of one character must be a word on its own (its unigram).
// Letters and digits must match exactly.
func (a *Analyzer) GramPhrase(text string) [][]string {
	return GramPhraseOf(a.Grams(text))
}

// GramPhraseOf is GramPhrase over tokens from Grams.
func GramPhraseOf(grams []Token) [][]string {
	if len(grams) == 0 {
		return nil
	}
	first, last := grams[0].Position, grams[len(grams)-1].Position
	byPos := make([][]Token, last-first+1)
	for _, t := range grams {
		byPos[t.Position-first] = append(byPos[t.Position-first], t)
	}
	bigramAt := func(p int) (Token, bool) {
		if p < 0 || p >= len(byPos) {
			return Token{}, false
		}
		for _, t := range byPos[p] {
			if t.Kind == Bigram {
				return t, true
			}
		}
		return Token{}, false
	}
	out := make([][]string, 0, len(byPos))
	for p, toks := range byPos {
		if bg, ok := bigramAt(p); ok {
			chars, _, _ := SplitGram(bg.Term)
			_, prevIsBigram := bigramAt(p - 1)
			_, nextIsBigram := bigramAt(p + 1)
			out = append(out, marked(chars, !prevIsBigram, !nextIsBigram))
			continue
		}
		if _, ok := bigramAt(p - 1); ok {
			// the last character of a run: covered by the bigram before it
			out = append(out, nil)
			continue
		}
		var alts []string
		for _, t := range toks {
			switch t.Kind {
			case Alnum:
				alts = append(alts, t.Term)
			case Unigram:
				chars, _, _ := SplitGram(t.Term)
				alts = append(alts, LeftMark+chars+RightMark)
			}
		}
		out = append(out, alts)
	}
	for len(out) > 0 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// marked returns the variants of a bigram's term that a query position
// accepts: with the left mark required, the right mark required, or either
// free.
func marked(chars string, needLeft, needRight bool) []string {
	var out []string
	for _, left := range []bool{true, false} {
		for _, right := range []bool{true, false} {
			if (needLeft && !left) || (needRight && !right) {
				continue
			}
			t := chars
			if left {
				t = LeftMark + t
			}
			if right {
				t += RightMark
			}
			out = append(out, t)
		}
	}
	return out
}

// WordPhrase returns the word terms of text for a phrase query over a word
// field: one term per position, "" where a stop word was dropped.
func (a *Analyzer) WordPhrase(text string) []string {
	words := a.Words(text)
	if len(words) == 0 {
		return nil
	}
	first := words[0].Position
	out := make([]string, words[len(words)-1].Position-first+1)
	for _, w := range words {
		out[w.Position-first] = w.Term
	}
	return out
}
