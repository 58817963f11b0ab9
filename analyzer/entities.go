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

// ArticleEntities returns the people and organisations of an article whose
// title and body were analysed apart: Entities of each, each name once,
// and then, within the article:
//
//   - a name that is the start or the end of exactly one longer name of
//     the same kind refers to it and is left out: 野村 where 野村克也 is
//     named, ジョブズ where スティーブ・ジョブズ is (with two longer names,
//     野村克也 and 野村萬斎, 野村 stays: it may be either). Names that differ
//     only by a middle dot are one, written with the dot;
//   - an organisation that is the start or the end of a person's name is
//     that person (本田 where 本田圭佑 is named), and is left out;
//   - an organisation the dictionary knows better as a common noun is left
//     out (commonNounOrg: 自社, 毎日, 社会).
func ArticleEntities(title string, titleWords []Token, body string, bodyWords []Token) (people, orgs []string) {
	people, orgs = Entities(title, titleWords)
	bp, bo := Entities(body, bodyWords)
	people, orgs = append(people, bp...), append(orgs, bo...)
	people = mergeShortForms(people, true)
	kept := orgs[:0]
	for _, o := range orgs {
		if partOfAny(o, people) || commonNounOrg(o) {
			continue
		}
		kept = append(kept, o)
	}
	return people, mergeShortForms(kept, false)
}

// undotted is a name without its middle dots: スティーブ・ジョブズ and
// スティーブジョブズ are one name.
func undotted(s string) string { return strings.NewReplacer("・", "", "･", "").Replace(s) }

// mergeShortForms leaves out the names that are the start (or, with ends,
// the end) of exactly one longer name of the list, and keeps one of names
// that differ only by middle dots (the one with them), in order of first
// mention.
func mergeShortForms(names []string, ends bool) []string {
	byKey := map[string]string{}
	var keys []string
	for _, n := range names {
		k := undotted(n)
		if old, ok := byKey[k]; !ok {
			keys = append(keys, k)
			byKey[k] = n
		} else if strings.Count(n, "・")+strings.Count(n, "･") > strings.Count(old, "・")+strings.Count(old, "･") {
			byKey[k] = n
		}
	}
	var out []string
	for _, k := range keys {
		longer := 0
		for _, l := range keys {
			if len(l) > len(k) && (strings.HasPrefix(l, k) || ends && strings.HasSuffix(l, k)) {
				longer++
			}
		}
		if longer != 1 {
			out = append(out, byKey[k])
		}
	}
	return out
}

// partOfAny reports whether s is the start or the end of a longer name of
// names.
func partOfAny(s string, names []string) bool {
	k := undotted(s)
	for _, n := range names {
		l := undotted(n)
		if len(l) > len(k) && (strings.HasPrefix(l, k) || strings.HasSuffix(l, k)) {
			return true
		}
	}
	return false
}

// commonNounOrg reports whether the system dictionary, which tags w as an
// organisation (IPA 名詞,固有名詞,組織), knows it better as a common noun:
//
//   - it also has w as a common noun (一般, サ変接続, 副詞可能, 形容動詞語幹)
//     of a lower cost than the organisation, that is, more usual (毎日,
//     社会, アクティブ);
//   - or w is a prefix (接頭詞) and 社, a company referred to and not named
//     (自社, 同社, 他社, 各社, 当社).
func commonNounOrg(w string) bool {
	d := systemDictionary()
	k := d.kagome
	entries := func(s string) (pos []string, weights []int) {
		for _, id := range k.Index.Search(s) {
			i := int(id)
			// Search answers 0 for a word it does not have: only entries of
			// the word itself count
			if i <= 0 || i >= len(k.POSTable.POSs) || i >= len(k.Morphs) || d.baseForm(i) != s {
				continue
			}
			var parts []string
			for _, p := range k.POSTable.POSs[i] {
				if int(p) < len(k.POSTable.NameList) {
					parts = append(parts, k.POSTable.NameList[p])
				}
			}
			pos = append(pos, strings.Join(parts, ","))
			weights = append(weights, int(k.Morphs[i].Weight))
		}
		return pos, weights
	}
	pos, weights := entries(w)
	org, common := -1, -1
	for i, p := range pos {
		switch {
		case isOrgTag(p):
			if org < 0 || weights[i] < org {
				org = weights[i]
			}
		case isCommonNounTag(p):
			if common < 0 || weights[i] < common {
				common = weights[i]
			}
		}
	}
	if org >= 0 && common >= 0 && common < org {
		return true
	}
	if r := []rune(w); len(r) == 2 && r[1] == '社' {
		prefix, _ := entries(string(r[0]))
		for _, p := range prefix {
			if strings.HasPrefix(p, "接頭詞") {
				return true
			}
		}
	}
	return false
}

func isCommonNounTag(pos string) bool {
	for _, t := range []string{"名詞,一般", "名詞,サ変接続", "名詞,副詞可能", "名詞,形容動詞語幹"} {
		if strings.HasPrefix(pos, t) {
			return true
		}
	}
	return false
}
