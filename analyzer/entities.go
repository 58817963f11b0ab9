package analyzer

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Entities returns the people and organisations named in text, given its
// word analysis, each name once, in order of first mention.
//
// Names come from the IPA part-of-speech tags (固有名詞,人名 and
// 固有名詞,組織), joined where the dictionary cut one name into several
// words (本田|圭|佑), and from runs the dictionary does not know as a name: a
// surname followed by single-kanji words (呉|泳|銘), katakana names joined by
// ・, and unknown words directly followed by a title such as 氏 or 社長.
func Entities(text string, words []Token) (people, orgs []string) {
	seenP, seenO := map[string]bool{}, map[string]bool{}
	add := func(list *[]string, seen map[string]bool, name string) {
		name = strings.TrimSpace(norm.NFKC.String(name))
		if utf8.RuneCountInString(name) < 2 || seen[name] || !hasJapaneseOrUpper(name) {
			return
		}
		seen[name] = true
		*list = append(*list, name)
	}
	adjacent := func(i int) bool {
		return i < len(words) && i > 0 && words[i].Start == words[i-1].End && words[i].Position == words[i-1].Position+1
	}
	for i := 0; i < len(words); {
		w := words[i]
		switch {
		case isPersonTag(w.POS):
			j := i + 1
			for j < len(words) && (adjacent(j) && isPersonTag(words[j].POS) || dotJoined(text, words, j)) {
				j++
			}
			// given-name kanji the dictionary does not know as a name:
			// 呉|泳|銘, 澤|穂|希, 長友|佑|都
			if isKanjiWord(words[j-1].Term) && (strings.HasSuffix(words[j-1].POS, ",姓") || j > i+1) {
				k := j
				for k < len(words) && k-j < 2 && adjacent(k) && isSingleKanjiNoun(words[k]) && !isTitle(words[k].Term) {
					k++
				}
				if k > j && (k == len(words) || !adjacent(k) || !isNoun(words[k].POS) || isTitle(words[k].Term)) {
					j = k
				}
			}
			// A full name (姓 and 名), a name joined by ・, or a name with a
			// title after it (氏, 選手, 社長, ...); a lone given name or
			// surname is too ambiguous to count (ジョン, スマート, 本田).
			titled := j < len(words) && adjacent(j) && isTitle(words[j].Term)
			if j > i+1 || titled {
				add(&people, seenP, text[w.Start:words[j-1].End])
			}
			i = j
		case isOrgTag(w.POS) && !w.Unknown:
			j := i + 1
			for j < len(words) && adjacent(j) && isOrgTag(words[j].POS) && !words[j].Unknown {
				j++
			}
			add(&orgs, seenO, text[w.Start:words[j-1].End])
			i = j
		case w.Unknown && isKatakanaWord(w.Term):
			j := i + 1
			for j < len(words) && adjacent(j) && dotJoined(text, words, j) {
				j++
			}
			if j > i+1 || (j < len(words) && adjacent(j) && isTitle(words[j].Term)) {
				add(&people, seenP, text[w.Start:words[j-1].End])
			}
			i = j
		default:
			i++
		}
	}
	return people, orgs
}

// dotJoined reports whether words[j] is a katakana word separated from the
// word before it by a middle dot only: スティーブ・ジョブズ.
func dotJoined(text string, words []Token, j int) bool {
	if j == 0 || j >= len(words) || words[j].Position != words[j-1].Position+2 {
		return false
	}
	gap := text[words[j-1].End:words[j].Start]
	return (gap == "・" || gap == "･") && isKatakanaWord(words[j].Term) && isKatakanaWord(words[j-1].Term)
}

func isPersonTag(pos string) bool { return strings.HasPrefix(pos, "名詞,固有名詞,人名") }
func isOrgTag(pos string) bool    { return strings.HasPrefix(pos, "名詞,固有名詞,組織") }
func isNoun(pos string) bool      { return strings.HasPrefix(pos, "名詞") }

func isSingleKanjiNoun(t Token) bool {
	r, size := utf8.DecodeRuneInString(t.Term)
	return size == len(t.Term) && classOf(r) == classKanji && isNoun(t.POS)
}

func isKanjiWord(s string) bool {
	for _, r := range s {
		if classOf(r) != classKanji {
			return false
		}
	}
	return s != ""
}

func isKatakanaWord(s string) bool {
	n := 0
	for _, r := range s {
		if classOf(r) != classKatakana {
			return false
		}
		n++
	}
	return n >= 2
}

// titles are words that follow a person's name in news prose.
var titles = map[string]bool{
	"氏": true, "さん": true, "選手": true, "監督": true, "社長": true, "会長": true,
	"ceo": true, "代表": true, "首相": true, "大統領": true, "議員": true, "容疑者": true,
}

func isTitle(term string) bool { return titles[term] }

func hasJapaneseOrUpper(s string) bool {
	for _, r := range s {
		if classOf(r).japanese() || 'A' <= r && r <= 'Z' {
			return true
		}
	}
	return false
}
