package analyzer

import (
	_ "embed"
	"sort"
	"strings"
	"unicode/utf8"
)

// Spelling variants and loanword sources, from UniDic's lemmas (see
// internal/genkatakana for how they are chosen, and NOTICE-unidic.txt).
// A search uses them on the query: the index holds words as written, and a
// query word also looks for the other spellings of its word (メイル finds
// メール, 申込み finds 申し込み) and, as a translation, for the English word
// a katakana word comes from (マウス finds mouse) or the katakana words an
// English word was borrowed as (font finds フォント).
//
//go:generate sh -c "cd internal/genkatakana && go run . -table variants > ../../tables/variants.txt"
//go:generate sh -c "cd internal/genkatakana && go run . -table loanwords > ../../tables/loanwords.txt"
//go:generate sh -c "cd internal/genkatakana && go run . -table sources > ../../tables/sources.txt"
var (
	//go:embed tables/variants.txt
	variantTable lineTable
	//go:embed tables/loanwords.txt
	loanwordTable lineTable
	//go:embed tables/sources.txt
	sourceTable lineTable
)

// maxSpellings bounds the spellings a query word is searched by, itself
// included.
const maxSpellings = 16

// fields returns the space-separated values of key in a table.
func fields(t lineTable, key string) []string {
	v, ok := t.find(key)
	if !ok {
		return nil
	}
	return strings.Fields(v)
}

// spellingsOf returns the other spellings of the word w (normalised).
func spellingsOf(w string) []string { return fields(variantTable, w) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// normalized returns text normalised as the analysis sees it (NFKC, lower
// case, dashes after katakana as ー).
func normalized(text string) string {
	st := getState()
	defer putState(st)
	st.norm.normalize(text)
	return string(st.norm.text)
}

// Spellings returns other ways to write the query word text, normalised:
// the spellings UniDic files under the same lemma, of the whole text (申込み:
// 申し込み, 申込; メイル: メール) or, in a katakana compound, of its words
// (テレフォンカード: テレホンカード). The original is not among them. At most
// maxSpellings-1.
func Spellings(text string) []string {
	n := normalized(text)
	if n == "" {
		return nil
	}
	out := spellingsOf(n)
	// katakana stretches: each lexicon word of a stretch by its spellings
	parts := splitScripts(n)
	alts := []string{""}
	changed := false
	for _, p := range parts {
		var choices []string
		if p.katakana && utf8.RuneCountInString(p.text) >= 2 {
			choices = stretchSpellings(p.text)
		}
		if len(choices) > 0 {
			changed = true
		}
		next := make([]string, 0, len(alts)*(len(choices)+1))
		for _, a := range alts {
			next = append(next, a+p.text)
			for _, c := range choices {
				if len(next) < maxSpellings*2 {
					next = append(next, a+c)
				}
			}
		}
		alts = next
	}
	if changed {
		for _, a := range alts {
			if a != n && !contains(out, a) {
				out = append(out, a)
			}
		}
	}
	if len(out) > maxSpellings-1 {
		out = out[:maxSpellings-1]
	}
	return out
}

// spellingRules are the spellings writers use for one sound in loanwords
// that UniDic's lemmas do not cover: a word neither dictionary knows
// (スマフォ, スマホ). Of the corpus's 1,876 katakana runs that the lexicon
// cannot spell, the rules relate 3 pairs that both occur, all one word.
var spellingRules = [][2]string{{"ヴァ", "バ"}, {"ヴィ", "ビ"}, {"ヴェ", "ベ"}, {"ヴォ", "ボ"}, {"ヴ", "ブ"}, {"フォ", "ホ"}}

// ruleSpellings returns the spellings of a katakana stretch that the
// lexicon cannot spell by one of the spellingRules, either way, at one
// place, where the lexicon cannot spell the result either (a known word is
// left to UniDic's lemmas, which know フォルダ from ホルダー).
func ruleSpellings(s string) []string {
	var out []string
	for _, r := range spellingRules {
		for _, xy := range [][2]string{{r[0], r[1]}, {r[1], r[0]}} {
			for i := 0; ; {
				j := strings.Index(s[i:], xy[0])
				if j < 0 {
					break
				}
				i += j
				alt := s[:i] + xy[1] + s[i+len(xy[0]):]
				if _, known := katakanaWords([]rune(alt)); !known && !contains(out, alt) {
					out = append(out, alt)
				}
				i += len(xy[0])
			}
		}
	}
	return out
}

type scriptPart struct {
	text     string
	katakana bool
}

// splitScripts cuts normalised text into katakana stretches and the rest.
func splitScripts(n string) []scriptPart {
	var parts []scriptPart
	start, kata := 0, false
	for i, r := range n {
		k := isKatakana(r)
		if i > 0 && k != kata {
			parts = append(parts, scriptPart{n[start:i], kata})
			start = i
		}
		kata = k
	}
	return append(parts, scriptPart{n[start:], kata})
}

// stretchSpellings returns other spellings of a katakana stretch: of the
// whole, or word by word where the katakana lexicon splits it into words,
// or by rule where it cannot (ruleSpellings).
func stretchSpellings(s string) []string {
	out := spellingsOf(s)
	runes := []rune(s)
	cuts, ok := katakanaWords(runes)
	if !ok {
		return append(out, ruleSpellings(s)...)
	}
	var words []string
	from := 0
	for k := 1; k <= len(runes); k++ {
		if k == len(runes) || cuts[k] {
			words = append(words, string(runes[from:k]))
			from = k
		}
	}
	if len(words) < 2 {
		return out
	}
	alts := []string{""}
	for _, w := range words {
		choices := append([]string{w}, spellingsOf(w)...)
		next := make([]string, 0, len(alts)*len(choices))
		for _, a := range alts {
			for _, c := range choices {
				if len(next) < maxSpellings*2 {
					next = append(next, a+c)
				}
			}
		}
		alts = next
	}
	for _, a := range alts[1:] { // alts[0] is s itself
		if !contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Translations returns what the query word text may be written as in the
// other language: the katakana words borrowed from an English word (font:
// フォント), or the English words a katakana word was borrowed from (マウス:
// mouse, mouth; every entry of the word counts). Only a whole word is
// translated, not part of a compound. Lower case, normalised; nil when
// there are none.
func Translations(text string) []string {
	n := normalized(text)
	if n == "" {
		return nil
	}
	if latinWord(n) {
		return fields(loanwordTable, n)
	}
	if !allKatakana(n) {
		return nil
	}
	var out []string
	add := func(w string) {
		for _, en := range fields(sourceTable, w) {
			if !contains(out, en) {
				out = append(out, en)
			}
		}
	}
	add(n)
	for _, s := range spellingsOf(n) {
		add(s)
	}
	sort.Strings(out)
	return out
}

func latinWord(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z') {
			return false
		}
	}
	return s != ""
}

func allKatakana(s string) bool {
	for _, r := range s {
		if !isKatakana(r) {
			return false
		}
	}
	return s != ""
}
