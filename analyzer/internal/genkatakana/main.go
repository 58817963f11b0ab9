// Command genkatakana prints the tables that package analyzer takes from
// UniDic (kagome-dict/uni, unidic-mecab 2.1.2), one a run:
//
//	genkatakana -table katakana    every katakana word of two or more
//	                               characters, sorted, one a line
//	genkatakana -table variants    the other spellings of each spelling
//	genkatakana -table loanwords   the katakana words of each English word
//	genkatakana -table sources     the English words of each katakana word
//	genkatakana -table common      katakana nouns common enough to be split
//	                               off a word the dictionaries lack
//
// It is a module of its own so that newsearch does not depend on UniDic's
// 45 MB dictionary.
//
// Variants. UniDic gives every entry a lemma (語彙素): テレフォン, テレホン
// and テレフォーン all have the lemma テレホン-telephone; 申込, 申込み and
// 申し込み the lemma 申し込み. A lemma's spellings are one line of the table
// (the lemma's own spelling first), but only those that are plainly the
// same word written another way:
//
//   - katakana nouns whose pronunciation skeleton (see skeleton) is that of
//     the lemma's reading, or one letter from it in a skeleton of four or
//     more letters. UniDic files some other words under a lemma: エール
//     under エアー-air, パルティード under パーティー-party, ウィンドウズ
//     under ウインドー-window; their skeletons are further off;
//   - kanji nouns of two or more kanji that differ only in their kana
//     (okurigana: 申込, 申込み, 申し込み), the kanji in the same order.
//
// Lines: a spelling, a tab, and the other spellings of its lemmas
// separated by spaces; sorted, so that the analyzer can search the table
// without loading it into a map.
//
// Loanwords. A loanword's lemma names its source (テレホン-telephone,
// フォント-font). Lines: the English word in lower case, a tab, and the
// katakana spellings of every lemma with that source whose commonest sense
// it is (each lemma's variants as above), separated by spaces. The sources
// table is the other way round, every sense: a katakana spelling, a tab,
// its English words. Sources that are not written in Latin
// letters (アリ-外国) are left out; a note in brackets after a source
// (パン-pan（鍋）) is dropped.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/uni"
)

// Columns of UniDic's contents in kagome-dict/uni (its features after the
// four part-of-speech columns).
const (
	colLForm = uni.LForm - uni.POSHierarchy
	colLemma = uni.Lemma - uni.POSHierarchy
)

type entry struct {
	surface string
	pos     string // first part-of-speech column: 名詞, 動詞, ...
	common  bool   // a common noun (普通名詞), not a name
	cost    int16  // UniDic's word cost: lower is more frequent
	lform   string // the lemma's reading, in katakana
	lemma   string // テレホン-telephone, 申し込み
}

func main() {
	table := flag.String("table", "katakana", "table to print: katakana, variants, loanwords, sources or common")
	flag.Parse()
	d := uni.Dict()
	var lines []string
	switch *table {
	case "katakana":
		lines = katakanaWords(d)
	case "variants":
		lines = variantLines(entries(d))
	case "loanwords":
		lines = loanwordLines(entries(d), true)
	case "sources":
		lines = sourceLines(loanwordLines(entries(d), false))
	case "common":
		lines = commonNouns(d)
	default:
		fmt.Fprintf(os.Stderr, "genkatakana: unknown table %q (want katakana, variants or loanwords)\n", *table)
		os.Exit(2)
	}
	bw := bufio.NewWriter(os.Stdout)
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// walk calls f with every surface form in the dictionary's double-array
// trie and its entry IDs, following only bytes for which follow is true.
func walk(d *dict.Dict, follow func(byte) bool, f func(surface string, ids []int)) {
	da := d.Index.Da
	var rec func(s int, prefix []byte)
	rec = func(s int, prefix []byte) {
		if t := int(da[s].Base); len(prefix) > 0 && t >= 0 && t < len(da) && int(da[t].Check) == s && da[t].Base <= 0 {
			id := int(-da[t].Base)
			ids := []int{id}
			for i := 1; i <= int(d.Index.Dup[int32(id)]); i++ {
				ids = append(ids, id+i)
			}
			f(string(prefix), ids)
		}
		for c := 1; c < 256; c++ {
			if !follow(byte(c)) {
				continue
			}
			t := int(da[s].Base) + c
			if t <= 0 || t >= len(da) || int(da[t].Check) != s {
				continue
			}
			rec(t, append(prefix[:len(prefix):len(prefix)], byte(c)))
		}
	}
	rec(0, nil)
}

// katakanaWords lists every katakana word of two or more characters.
func katakanaWords(d *dict.Dict) []string {
	// katakana (U+30A1..U+30FC) is UTF-8 E3 82|83 xx
	follow := func(c byte) bool { return c == 0xe3 || 0x80 <= c && c <= 0xbf }
	var out []string
	walk(d, follow, func(w string, _ []int) {
		if utf8.ValidString(w) && katakana(w) && utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	})
	sort.Strings(out)
	return out
}

// maxCommonCost is the highest word cost (UniDic's, lower is more frequent)
// of a common noun: ユーザー 1277, ブログ 1834, アプリ 2194, but ピック 2478,
// キュア 2325, ローズ 2960.
const maxCommonCost = 2200

// commonNouns lists the katakana nouns of three or more characters whose
// cheapest entry is a noun of cost maxCommonCost or less, sorted: the words
// the analyzer splits off a katakana stretch whose rest neither dictionary
// knows (ガラケー|ユーザー), where a rare word (キュア, ピック) would cut a
// foreign name apart (エフセ|キュア).
func commonNouns(d *dict.Dict) []string {
	follow := func(c byte) bool { return c == 0xe3 || 0x80 <= c && c <= 0xbf }
	var out []string
	walk(d, follow, func(w string, ids []int) {
		if !utf8.ValidString(w) || !katakana(w) || utf8.RuneCountInString(w) < 3 {
			return
		}
		best, noun := int16(1<<14), false
		for _, id := range ids {
			m := d.Morphs[id]
			if m.Weight < best {
				best = m.Weight
				p := d.POSTable.POSs[id]
				noun = len(p) > 0 && d.POSTable.NameList[p[0]] == "名詞"
			}
		}
		if noun && best <= maxCommonCost {
			out = append(out, w)
		}
	})
	sort.Strings(out)
	return out
}

// entries returns every entry of the dictionary.
func entries(d *dict.Dict) []entry {
	var out []entry
	walk(d, func(byte) bool { return true }, func(w string, ids []int) {
		if !utf8.ValidString(w) {
			return
		}
		for _, id := range ids {
			c := d.Contents[id]
			if len(c) <= colLemma {
				continue
			}
			pos, common := "", false
			if p := d.POSTable.POSs[id]; len(p) > 1 {
				pos, common = d.POSTable.NameList[p[0]], d.POSTable.NameList[p[1]] == "普通名詞"
			}
			out = append(out, entry{surface: w, pos: pos, common: common, cost: d.Morphs[id].Weight, lform: c[colLForm], lemma: c[colLemma]})
		}
	})
	return out
}

// lexeme identifies a UniDic lemma: its spelling, reading and part of
// speech, and whether it is a common noun.
type lexeme struct {
	lemma, lform, pos string
	common            bool
}

// groups returns the spellings of each noun lemma that are plainly the same
// word (see the package comment), for lemmas with two or more of them.
func groups(es []entry) map[lexeme][]string {
	// each value holds one or two lines: the katakana spellings, the kanji ones
	all := map[lexeme]map[string]bool{}
	for _, e := range es {
		if e.pos != "名詞" && e.pos != "形状詞" {
			continue
		}
		k := lexeme{e.lemma, e.lform, e.pos, e.common}
		if all[k] == nil {
			all[k] = map[string]bool{}
		}
		all[k][e.surface] = true
	}
	// heads are the spellings of lemmas (テレホン of テレホン-telephone), with
	// the lemmas they head
	heads := map[string][]lexeme{}
	for k := range all {
		heads[lemmaSpelling(k)] = append(heads[lemmaSpelling(k)], k)
	}
	out := map[lexeme][]string{}
	for k, surfaces := range all {
		// katakana spellings and kanji spellings are separate groups: 携帯
		// does not stand for ケータイ, nor 間抜け for マヌケ, in a search
		var kata, kanji []string
		for s := range surfaces {
			switch {
			case !sameWord(k, s), headOfOther(heads[s], k):
			case katakana(s):
				kata = append(kata, s)
			default:
				kanji = append(kanji, s)
			}
		}
		head := lemmaSpelling(k)
		for _, keep := range [][]string{kata, kanji} {
			if len(keep) < 2 {
				continue
			}
			sort.Slice(keep, func(i, j int) bool {
				if (keep[i] == head) != (keep[j] == head) {
					return keep[i] == head
				}
				return keep[i] < keep[j]
			})
			out[k] = append(out[k], strings.Join(keep, " "))
		}
	}
	return out
}

// headOfOther reports whether a spelling that heads the lemmas hs heads one
// that is another word than k: one that sounds otherwise (レザー-leather is
// not レーザー-laser, which UniDic also spells レザー), or comes from another
// source (ホーク-hawk is not フォーク-fork). A lemma of the same sound
// without a source (ケータイ beside 携帯, the name ショウ beside ショー-show)
// is taken for the same word.
func headOfOther(hs []lexeme, k lexeme) bool {
	for _, h := range hs {
		if h == k || lemmaSpelling(h) == lemmaSpelling(k) {
			continue
		}
		if skeleton(h.lform, true) != skeleton(k.lform, true) {
			return true
		}
		if a, b := source(h.lemma), source(k.lemma); a != "" && b != "" && a != b {
			return true
		}
	}
	return false
}

// lemmaSpelling is the lemma without its source: テレホン for
// テレホン-telephone.
func lemmaSpelling(k lexeme) string {
	s, _, _ := strings.Cut(k.lemma, "-")
	return s
}

// sameWord reports whether surface is plainly a spelling of the lemma k.
func sameWord(k lexeme, surface string) bool {
	if katakana(surface) {
		return katakana(k.lform) && sameSound(surface, k.lform, k.common && source(k.lemma) != "")
	}
	kanji := kanjiOf(surface)
	if utf8.RuneCountInString(kanji) < 2 || !kanjiKana(surface) {
		return false
	}
	lemma := lemmaSpelling(k)
	return kanjiKana(lemma) && kanjiOf(lemma) == kanji
}

// minLengthApart is the length in syllables from which two spellings may
// differ in how long a vowel or consonant is (マシーン, マシン): in shorter
// words that is often another word (タグ and タッグ). From minLongWord
// syllables they may also differ in one more sound (エンタテインメント,
// エンタテイメント).
const (
	minLengthApart = 3
	minLongWord    = 7
)

// sameSound reports katakana spellings of one sound: one skeleton, or one
// skeleton but for a final long vowel (エア, エアー), or, in words of
// minLengthApart or more characters, one skeleton without lengths. Words
// of one or two syllables are often other words when spelt otherwise (ビラ
// and ヴィラ, ケー and ケイ, チョー and チョウ): they only take a final long
// vowel, or, for a common loanword (loan: ショー-show), one skeleton.
func sameSound(a, b string, loan bool) bool {
	sa, sb := skeleton(a, true), skeleton(b, true)
	if min(morae(a), morae(b)) <= 2 {
		fa, fb := foldSmall(a), foldSmall(b)
		return fa+"ー" == fb || fb+"ー" == fa || loan && sa == sb
	}
	if sa == sb || trimLong(sa) == trimLong(sb) {
		return true
	}
	ca, cb := skeleton(a, false), skeleton(b, false)
	switch m := min(morae(a), morae(b)); {
	case m >= minLongWord:
		return editDistance(ca, cb) <= 1
	case m >= minLengthApart:
		return ca == cb
	}
	return false
}

// morae counts the syllables of a katakana word: its characters but the
// small ones.
func morae(w string) int {
	n := 0
	for _, r := range w {
		if smallVowel[r] == 0 && smallY[r] == "" {
			n++
		}
	}
	return n
}

// foldSmall writes small vowels large, as the analysis does.
func foldSmall(w string) string {
	return strings.Map(func(r rune) rune {
		if v := smallVowel[r]; v != 0 && r != 'ヮ' {
			return r + 1
		}
		return r
	}, w)
}

// trimLong drops a final long vowel from a skeleton.
func trimLong(s string) string {
	if n := len(s); n >= 3 && isVowel(s[n-1]) && s[n-2] == s[n-1] {
		return s[:n-1]
	}
	return s
}

func variantLines(es []entry) []string {
	others := map[string]map[string]bool{}
	for _, lines := range groups(es) {
		for _, line := range lines {
			g := strings.Fields(line)
			for _, a := range g {
				for _, b := range g {
					if a != b {
						if others[a] == nil {
							others[a] = map[string]bool{}
						}
						others[a][b] = true
					}
				}
			}
		}
	}
	return table(others)
}

// table writes key, tab, values for every key, sorted.
func table(m map[string]map[string]bool) []string {
	var out []string
	for k, set := range m {
		var vs []string
		for v := range set {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		out = append(out, k+"\t"+strings.Join(vs, " "))
	}
	sort.Strings(out)
	return out
}

// sourceLines turns loanword lines round: katakana, tab, English words.
func sourceLines(loan []string) []string {
	m := map[string]map[string]bool{}
	for _, line := range loan {
		en, ks, _ := strings.Cut(line, "\t")
		for _, k := range strings.Fields(ks) {
			if m[k] == nil {
				m[k] = map[string]bool{}
			}
			m[k][en] = true
		}
	}
	return table(m)
}

// loanwordLines returns the loanword lines; with dominant, an English word
// is given only the katakana words whose most frequent sense it is (the
// cheapest entry with a source): male does not stand for メール, whose
// commonest sense is mail, nor mouth for マウス.
func loanwordLines(es []entry, dominant bool) []string {
	gs := groups(es)
	cheapest := map[string]int16{}
	for _, e := range es {
		if c, ok := cheapest[e.surface]; source(e.lemma) != "" && (!ok || e.cost < c) {
			cheapest[e.surface] = e.cost
		}
	}
	bySource := map[string]map[string]bool{}
	for _, e := range es {
		if !katakana(e.surface) || e.pos != "名詞" && e.pos != "形状詞" || dominant && e.cost != cheapest[e.surface] {
			continue
		}
		k := lexeme{e.lemma, e.lform, e.pos, e.common}
		src := source(e.lemma)
		if src == "" || !sameWord(k, e.surface) {
			continue
		}
		if bySource[src] == nil {
			bySource[src] = map[string]bool{}
		}
		bySource[src][e.surface] = true
		for _, line := range gs[k] {
			if katakana(strings.Fields(line)[0]) {
				for _, s := range strings.Fields(line) {
					bySource[src][s] = true
				}
			}
		}
	}
	return table(bySource)
}

// source returns the Latin-letter source word of a loanword's lemma in
// lower case (テレホン-telephone: telephone), or "".
func source(lemma string) string {
	_, src, ok := strings.Cut(lemma, "-")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(src, "（("); i >= 0 {
		src = src[:i]
	}
	src = strings.TrimSpace(src)
	if src == "" {
		return ""
	}
	for i, r := range src {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && (r == ' ' || r == '-' || r == '\'' || r == '.' || r == '&' || '0' <= r && r <= '9'):
		default:
			return ""
		}
	}
	return strings.ToLower(src)
}

func katakana(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(0x30a1 <= r && r <= 0x30fa || r == 0x30fc) {
			return false
		}
	}
	return true
}

func isKanji(r rune) bool {
	return unicode.Is(unicode.Han, r) || r == '々' || r == '〆'
}

// kanjiKana reports text of kanji and hiragana with at least one kanji.
func kanjiKana(s string) bool {
	k := false
	for _, r := range s {
		switch {
		case isKanji(r):
			k = true
		case 0x3041 <= r && r <= 0x3096:
		default:
			return false
		}
	}
	return k
}

func kanjiOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isKanji(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
