package analyzer

import (
	"strings"
	"unicode/utf8"

	"github.com/ikawaha/kagome/v2/tokenizer"
	"github.com/ikawaha/kagome/v2/tokenizer/lattice"
)

// Kanji compounds. The IPA dictionary has many compounds as one word
// (大震災, 巨人軍, 衆議院議員); a reader sees 震災 in 大震災 and 巨人 in 巨人軍.
// kagome's search mode splits such compounds into their parts, but over a
// whole text it also changes how other words are cut (and costs a third
// more time). So the text is segmented in normal mode, and a word of three
// or more kanji alone is segmented again in search mode: where that splits
// it, the gram analysis puts word boundaries between the parts. The word
// analysis keeps the compound.

// minKanjiCompound is the shortest kanji word tried as a compound: search
// mode penalises kanji words longer than two characters.
const minKanjiCompound = 3

type part struct{ start, end int } // byte offsets into a word

// kanjiParts returns the parts of a kanji compound, or nil.
func (a *Analyzer) kanjiParts(t *lattice.Node) []part {
	if a.mode == Search || t.Class == lattice.USER || utf8.RuneCountInString(t.Surface) < minKanjiCompound {
		return nil
	}
	for _, r := range t.Surface {
		if classOf(r) != classKanji {
			return nil
		}
	}
	if v, ok := a.compounds.Load(t.Surface); ok {
		return v.([]part)
	}
	var parts []part
	toks := a.tk.Analyze(t.Surface, tokenizer.Search)
	if len(toks) > 1 {
		for _, x := range toks {
			parts = append(parts, part{x.Position, x.Position + len(x.Surface)})
		}
	}
	// t.Surface points into a pooled buffer: the key must be a copy
	a.compounds.Store(strings.Clone(t.Surface), parts)
	return parts
}
