package analyzer

// GramPhrase returns what a phrase query over a gram field must match to
// find text where it starts and ends on word boundaries: one list of
// alternative terms per position, an empty list where any term (or none)
// may stand. It is empty when text has nothing to search for.
//
// Japanese characters are matched by their bigrams: the first bigram of the
// phrase must carry the left boundary mark and the last the right one; the
// marks of those between do not matter. A single character between other
// script must be a word on its own (its unigram). Letters and digits must
// match exactly.
func (a *Analyzer) GramPhrase(text string) [][]string {
	return GramPhraseOf(a.Grams(text))
}

// GramPhraseOf is GramPhrase over tokens from Grams.
func GramPhraseOf(grams []Token) [][]string {
	if len(grams) == 0 {
		return nil
	}
	first := grams[0].Position
	n := grams[len(grams)-1].Position - first + 1
	type slot struct {
		chars string // a bigram's characters
		alts  []string
	}
	slots := make([]slot, n)
	for _, t := range grams {
		sl := &slots[t.Position-first]
		switch t.Kind {
		case Bigram:
			sl.chars, _, _ = SplitGram(t.Term)
		case Unigram:
			chars, _, _ := SplitGram(t.Term)
			sl.alts = append(sl.alts, LeftMark+chars+RightMark)
		case Alnum, Symbol:
			sl.alts = append(sl.alts, t.Term)
		}
	}
	out := make([][]string, n)
	for p := range slots {
		switch {
		case slots[p].chars != "":
			out[p] = []string{slots[p].chars} // marks settled below
		case p > 0 && slots[p-1].chars != "":
			// the last character of a bigram run: covered by the bigram before
		default:
			out[p] = slots[p].alts
		}
	}
	for len(out) > 0 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	lead := 0 // a particle first (の首相) leaves nothing to match there
	for lead < len(out) && len(out[lead]) == 0 {
		lead++
	}
	out, slots = out[lead:], slots[lead:]
	for p := range out {
		if slots[p].chars != "" {
			out[p] = marked(slots[p].chars, p == 0, p == len(out)-1)
		}
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
	return WordPhraseOf(a.Words(text))
}

// WordPhraseOf is WordPhrase over tokens from Words.
func WordPhraseOf(words []Token) []string {
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
