// Package knowledge learns from the articles an index holds what no
// dictionary says: the other names of an entity, glossed by the writers
// (呉泳銘（エディ・ウー）, 日本電信電話（NTT）, 呉泳銘（ごえいめい）), and which
// articles are near-duplicates of each other (MinHash signatures).
//
// Mining is precision first: a gloss is taken only where its two sides can
// be checked against each other (a katakana name against a Latin one by
// their consonants, an acronym against the initials of its expansion, a
// reading against the number of characters it reads) or where the writer
// says so (A（以下B）). A parenthesis also holds dates, prices, sources,
// an actor after a role, a team after a player: none of those passes.
package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsearch/newsearch/analyzer"
)

// Kind says how an alias relates to its term.
type Kind string

// Kinds of aliases.
const (
	// Reading: the alias is how the term is read, in kana (呉泳銘: ごえいめい).
	Reading Kind = "reading"
	// Latin: the alias is the term in Latin letters (アリババグループ: Alibaba Group).
	Latin Kind = "latin"
	// Katakana: the alias is the term in katakana (呉泳銘: エディ・ウー).
	Katakana Kind = "katakana"
	// Abbreviation: the alias is a short form (日本電信電話: NTT).
	Abbreviation Kind = "abbreviation"
	// User: the pair comes from the user's aliases file.
	User Kind = "user"
)

// Pair is one gloss: Term as the article writes it first, Alias as it
// glosses it.
type Pair struct {
	Term, Alias string
	Kind        Kind
}

// Bounds of a gloss.
const (
	maxGlossRunes = 40 // inside the parentheses
	maxTermRunes  = 24 // the term glossed
	maxRunTokens  = 8  // words walked back from the parenthesis
)

// Mine returns the aliases glossed in text, given its word analysis (by
// analyzer.Analyzer.Words), each pair once.
func Mine(text string, words []analyzer.Token) []Pair {
	var out []Pair
	seen := map[Pair]bool{}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '（' && r != '(' {
			i += size
			continue
		}
		inner, end, ok := closing(text, i+size)
		if !ok {
			i += size
			continue
		}
		for _, p := range glossAt(text, words, i, i+size, end, inner) {
			p.Term, p.Alias = clean(p.Term), clean(p.Alias)
			if p.Term == "" || p.Alias == "" || Key(p.Term) == Key(p.Alias) || seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
		i += size
	}
	return out
}

// closing returns the text between an opening parenthesis (ending at
// from) and its closing one, and where that ends; not ok when there is
// none within maxGlossRunes or another parenthesis opens first.
func closing(text string, from int) (inner string, end int, ok bool) {
	n := 0
	for j := from; j < len(text) && n <= maxGlossRunes; {
		r, size := utf8.DecodeRuneInString(text[j:])
		switch r {
		case '）', ')':
			return text[from:j], j + size, j > from
		case '（', '(', '\n', '。':
			return "", 0, false
		}
		j += size
		n++
	}
	return "", 0, false
}

// clean normalises one side of a pair for keeping: NFKC, spaces single,
// quotes and brackets around it dropped.
func clean(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, "「」『』\"“”'")
	return strings.TrimSpace(s)
}

// Key is how terms and aliases are looked up: NFKC, lower case, without
// spaces, middle dots and long-vowel marks at a katakana word's end, so
// that エディ・ウー and エディウー, Alibaba Group and alibabagroup meet.
func Key(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '　', '・', '･', '=', '゠', '-', '‐', '.', '\'', '「', '」', '"':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// script classes of a gloss's text.
type script int

const (
	scriptOther script = iota
	scriptHiragana
	scriptKatakana
	scriptLatin
	scriptKanji // kanji, perhaps with kana (a name, a compound)
)

// scriptOf classifies text, ignoring spaces and middle dots inside.
func scriptOf(s string) script {
	s = norm.NFKC.String(s)
	var hira, kata, latin, kanji, letters int
	for _, r := range s {
		switch {
		case r == ' ' || r == '　' || r == '・':
			continue
		case 0x3041 <= r && r <= 0x3096:
			hira++
		case 0x30a1 <= r && r <= 0x30fa || r == 'ー':
			kata++
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".&'-", r)):
			latin++
			if unicode.IsLetter(r) {
				letters++
			}
		case unicode.Is(unicode.Han, r) || r == '々':
			kanji++
		default:
			return scriptOther
		}
	}
	switch {
	case hira > 0 && kata == 0 && latin == 0 && kanji == 0:
		return scriptHiragana
	case kata > 0 && hira == 0 && latin == 0 && kanji == 0:
		return scriptKatakana
	case latin > 0 && letters >= 2 && hira == 0 && kata == 0 && kanji == 0:
		return scriptLatin
	case kanji > 0 && latin == 0:
		return scriptKanji
	}
	return scriptOther
}

// span is a candidate term before a parenthesis: text[start:end] and the
// words it is made of.
type span struct {
	start, end int
	words      []analyzer.Token
}

func (s span) text(t string) string { return t[s.start:s.end] }

// candidates returns the terms that may be glossed by a parenthesis at
// open: the words that end there, walked back while they are adjacent
// (Latin words may be spaced, katakana words joined by ・), longest first,
// each a suffix of the run. A term quoted as 「A」 right before the
// parenthesis is the only candidate.
func candidates(text string, words []analyzer.Token, open int) []span {
	before := text[:open]
	if q, size := utf8.DecodeLastRuneInString(before); q == '」' || q == '』' {
		opener := map[rune]string{'」': "「", '』': "『"}[q]
		i := strings.LastIndex(before[:len(before)-size], opener)
		if i < 0 || utf8.RuneCountInString(before[i:]) > maxTermRunes+2 {
			return nil
		}
		start, end := i+len(opener), len(before)-size
		var ws []analyzer.Token
		for _, w := range words {
			if w.Start >= start && w.End <= end {
				ws = append(ws, w)
			}
		}
		return []span{{start, end, ws}}
	}
	if strings.HasSuffix(before, " ") {
		open-- // Latin text puts a space before its parenthesis
	}
	k := -1
	for j := len(words) - 1; j >= 0; j-- {
		if words[j].End == open {
			k = j
			break
		}
		if words[j].End < open {
			break
		}
	}
	if k < 0 {
		return nil
	}
	first := k
	for first > 0 && k-first+1 < maxRunTokens {
		gap := text[words[first-1].End:words[first].Start]
		cur, prev := text[words[first].Start:words[first].End], text[words[first-1].Start:words[first-1].End]
		if gap == "" || gap == " " && latinWord(words[first].Term) && latinWord(words[first-1].Term) ||
			gap == "・" && katakanaWord(cur) ||
			(gap == " " || gap == "　") && kanjiWord(cur) && kanjiWord(prev) { // 深山 美希子
			first--
			continue
		}
		break
	}
	if continues(text, words[first].Start) {
		return nil // the term is cut out of a longer word: BOY’S LOVE
	}
	var out []span
	for j := first; j <= k; j++ {
		s := span{words[j].Start, open, words[j : k+1]}
		if utf8.RuneCountInString(s.text(text)) <= maxTermRunes && !continues(text, s.start) && !digits(words[j].Term) {
			out = append(out, s)
		}
	}
	return out
}

// continues reports whether the text before start goes on in the script
// of the rune at start: a term cut out of a longer word (研究所 of
// 医学研究所, a katakana word's end) is no term.
func continues(text string, start int) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:start])
	cur, _ := utf8.DecodeRuneInString(text[start:])
	class := func(r rune) int {
		switch {
		case unicode.Is(unicode.Han, r) || r == '々':
			return 1
		case 0x30a1 <= r && r <= 0x30fa || r == 'ー':
			return 2
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)), 0xff10 <= r && r <= 0xff5a:
			return 3
		}
		return 0
	}
	if start == 0 || class(cur) == 0 {
		return false
	}
	if strings.ContainsRune("’'‐-.&", prev) {
		// a word cut at its apostrophe or hyphen: BOY’S LOVE
		before, _ := utf8.DecodeLastRuneInString(text[:start-utf8.RuneLen(prev)])
		return class(before) == 3
	}
	return class(prev) == class(cur)
}

func digits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

func kanjiWord(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && r != '々' {
			return false
		}
	}
	return s != ""
}

func latinWord(s string) bool {
	for _, r := range s {
		if r >= 0x80 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

func katakanaWord(s string) bool {
	for _, r := range s {
		if !(0x30a1 <= r && r <= 0x30fa || r == 'ー') {
			return false
		}
	}
	return s != ""
}

// ikaPrefix reports the writer's own declaration of an alias, A（以下B）, and
// returns B.
func ikaPrefix(inner string) (string, bool) {
	s := strings.TrimSpace(norm.NFKC.String(inner))
	if !strings.HasPrefix(s, "以下") {
		return "", false
	}
	s = strings.TrimLeft(strings.TrimPrefix(s, "以下"), "、,:： ")
	for _, suffix := range []string{"と表記する", "と表記", "と略す", "と略記", "と呼ぶ", "と記す"} {
		s = strings.TrimSuffix(s, suffix)
	}
	s = strings.Trim(s, "「」『』\"“”")
	if utf8.RuneCountInString(s) < 2 || strings.ContainsAny(s, "、。,「」") {
		return "", false
	}
	return s, true
}

// glossAt returns the pairs of the parenthesis that opens at open (its
// text starting at from) and holds inner.
func glossAt(text string, words []analyzer.Token, open, from, end int, inner string) []Pair {
	cands := candidates(text, words, open)
	if len(cands) == 0 {
		return nil
	}
	if b, ok := ikaPrefix(inner); ok {
		return ika(text, cands, b)
	}
	b := strings.TrimSpace(inner)
	var inside []analyzer.Token
	for _, w := range words {
		if w.Start >= from && w.End <= end {
			inside = append(inside, w)
		}
	}
	switch scriptOf(b) {
	case scriptHiragana:
		return readingGloss(text, cands, b)
	case scriptKatakana:
		return katakanaGloss(text, cands, b)
	case scriptLatin:
		return latinGloss(text, cands, b)
	case scriptKanji:
		return expansionGloss(text, cands, b, inside)
	}
	return nil
}

// ika takes A（以下B）: the writer names B an alias of A. A is the longest
// candidate, a noun phrase; neither may hold the other (以下、小沢 for
// 小沢一郎 adds nothing a search does not find), and a B in kanji must be
// made of A's characters in A's order, as a Japanese short form is
// (東京大学: 東大), not a word of its own (本訴訟, 同社).
func ika(text string, cands []span, b string) []Pair {
	c := cands[0]
	a := c.text(text)
	ka, kb := Key(a), Key(b)
	if !nouns(c.words) || strings.Contains(ka, kb) || strings.Contains(kb, ka) || utf8.RuneCountInString(a) < 2 {
		return nil
	}
	kind := Abbreviation
	switch scriptOf(b) {
	case scriptHiragana:
		kind = Reading
	case scriptKatakana:
		kind = Katakana
	case scriptLatin:
		if !IsAcronym(b) {
			kind = Latin
		}
	default:
		if utf8.RuneCountInString(b) >= utf8.RuneCountInString(a) || !subsequence(kb, ka) {
			return nil
		}
	}
	return []Pair{{a, b, kind}}
}

// subsequence reports whether the letters of short that are not Latin
// occur in long in the same order.
func subsequence(short, long string) bool {
	rest := long
	for _, r := range short {
		if r < 0x80 {
			continue
		}
		i := strings.IndexRune(rest, r)
		if i < 0 {
			return false
		}
		rest = rest[i+utf8.RuneLen(r):]
	}
	return true
}

// nouns reports whether words are all nouns (and at least one).
func nouns(ws []analyzer.Token) bool {
	for _, w := range ws {
		if !strings.HasPrefix(w.POS, "名詞") {
			return false
		}
	}
	return len(ws) > 0
}

// kanjiNouns reports whether words are nouns written in kanji (no number,
// no suffix such as 氏 or 代目), and returns their runes.
func kanjiNouns(text string, ws []analyzer.Token) (int, bool) {
	n := 0
	for _, w := range ws {
		if !strings.HasPrefix(w.POS, "名詞") || strings.HasPrefix(w.POS, "名詞,数") || strings.HasPrefix(w.POS, "名詞,接尾") {
			return 0, false
		}
		for _, r := range text[w.Start:w.End] {
			if !unicode.Is(unicode.Han, r) && r != '々' {
				return 0, false
			}
			n++
		}
	}
	return n, len(ws) > 0
}

// hasPerson reports a word tagged as a person's name.
func hasPerson(ws []analyzer.Token) bool {
	for _, w := range ws {
		if strings.HasPrefix(w.POS, "名詞,固有名詞,人名") {
			return true
		}
	}
	return false
}

// morae counts the morae of kana text: small ゃゅょ and vowels join the
// kana before them.
func morae(s string) int {
	n := 0
	for _, r := range s {
		r = toKatakana(r)
		switch {
		case strings.ContainsRune("ャュョァィゥェォヮ", r):
		case 0x30a1 <= r && r <= 0x30fa:
			n++
		}
	}
	return n
}

// readingGloss takes a kanji term glossed in hiragana: its reading. The
// term is the longest run of kanji nouns before the parenthesis (no
// fallback to a shorter one: 医学研究所（てもみん） is no reading of
// 研究所). The reading must have from one to four morae a kanji (at least
// one and a half for four kanji or more: 大量殺戮（さつりく） reads only
// 殺戮), no long-vowel mark (hiragana readings write long vowels out; a
// nickname does not), start with a kana a word can start with, and, where
// the dictionaries read the name in full, be one of their readings
// (小木博明（おぎやはぎ） names his duo).
func readingGloss(text string, cands []span, b string) []Pair {
	c := cands[0]
	n, ok := kanjiNouns(text, c.words)
	if !ok || n < 2 {
		return nil
	}
	a := c.text(text)
	reading := strings.NewReplacer(" ", "", "　", "", "・", "").Replace(norm.NFKC.String(b))
	if strings.ContainsRune(reading, 'ー') {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(reading)
	if strings.ContainsRune("んっゃゅょぁぃぅぇぉを", first) {
		return nil
	}
	m := morae(reading)
	if m < n || m > 4*n || n >= 4 && 2*m < 3*n {
		return nil
	}
	if strings.ContainsAny(reading, "ぁぃぅぇぉ") || !hasPerson(c.words) && !strings.ContainsAny(a, " 　") && inflects(reading) {
		// まぁず, ありえる, かけられ: a pun or a phrase, not a word's
		// reading (a name's reading may well sound like a verb: ゆい)
		return nil
	}
	if strings.ContainsAny(a, " 　") && len(strings.Fields(norm.NFKC.String(a))) != len(strings.FieldsFunc(norm.NFKC.String(b), func(r rune) bool { return r == ' ' || r == '・' })) {
		return nil
	}
	if rs := analyzer.NameReadings(a, true); rs != nil {
		key, _ := analyzer.KanaKey(reading)
		found := false
		for _, r := range rs {
			if k, _ := analyzer.KanaKey(r); k == key {
				found = true
			}
		}
		if !found {
			return nil
		}
	}
	return []Pair{{a, b, Reading}}
}

// inflects reports whether kana text reads as a verb or an adjective: a
// reading is a noun's.
func inflects(kana string) bool {
	for _, w := range analyzer.Default().Words(kana) {
		if strings.HasPrefix(w.POS, "動詞") || strings.HasPrefix(w.POS, "形容詞") {
			return true
		}
	}
	return false
}

// foreignName reports a person's name in kanji that the dictionaries read
// as no Japanese name: a surname and one or two kanji the dictionary does
// not know as a given name (呉|泳|銘, 金|正|恩). A katakana gloss of such a
// name is how it is said (エディ・ウー); of a Japanese name it is most often
// an actor after a role, or a nickname.
func foreignName(text string, ws []analyzer.Token) bool {
	if len(ws) < 2 || len(ws) > 3 || !strings.HasPrefix(ws[0].POS, "名詞,固有名詞,人名,姓") {
		return false
	}
	for _, w := range ws[1:] {
		if strings.HasPrefix(w.POS, "名詞,固有名詞,人名") || utf8.RuneCountInString(text[w.Start:w.End]) != 1 ||
			!unicode.Is(unicode.Han, []rune(text[w.Start:w.End])[0]) {
			return false
		}
	}
	return true
}

// katakanaGloss takes a term glossed in katakana: a Latin name whose
// consonants the katakana spells (the longest that does), a kanji name
// whose reading the dictionaries give as the katakana, or a foreign name
// in kanji glossed as it is said (with a middle dot between its parts).
func katakanaGloss(text string, cands []span, b string) []Pair {
	for _, c := range cands {
		a := c.text(text)
		if IsAcronym(a) && AcronymOfKatakana(a, analyzer.KatakanaParts(b)) {
			return []Pair{{b, a, Abbreviation}} // FP（ファイナンシャル・プランナー）
		}
		if scriptOf(a) == scriptLatin && Transliterates(a, b) {
			return []Pair{{a, b, Katakana}}
		}
	}
	c := cands[0]
	a := c.text(text)
	if _, ok := kanjiNouns(text, c.words); !ok {
		return nil
	}
	key, _ := analyzer.KanaKey(b)
	for _, person := range []bool{true, false} {
		for _, r := range analyzer.NameReadings(a, person) {
			if k, _ := analyzer.KanaKey(r); k == key {
				return []Pair{{a, b, Reading}}
			}
		}
	}
	if strings.ContainsAny(b, "・") && foreignName(text, c.words) {
		return []Pair{{a, b, Katakana}}
	}
	return nil
}

// latinGloss takes a term glossed in Latin letters: an acronym of the
// term's words, or the term spelt in Latin letters (a katakana term whose
// consonants agree, a kanji name whose reading it spells in romaji).
func latinGloss(text string, cands []span, b string) []Pair {
	for _, c := range cands {
		if a := c.text(text); IsAcronym(a) && AcronymOfLatin(a, b) {
			return []Pair{{b, a, Abbreviation}} // PC（Personal Computer）
		}
	}
	if IsAcronym(b) {
		if p, ok := acronymOf(text, cands, b); ok {
			return []Pair{p}
		}
		// an acronym may also spell a reading (広電: KODEN)
	}
	for _, c := range cands {
		a := c.text(text)
		if katakanaWord(strings.NewReplacer("・", "", " ", "").Replace(a)) && Transliterates(b, a) {
			return []Pair{{a, b, Latin}}
		}
	}
	c := cands[0]
	a := c.text(text)
	if _, ok := kanjiNouns(text, c.words); ok {
		for _, person := range []bool{true, false} {
			for _, r := range analyzer.NameReadings(a, person) {
				if SameRomaji(b, r) {
					return []Pair{{a, b, Latin}}
				}
			}
		}
	}
	return nil
}

// acronymOf finds the expansion of an acronym among the candidates: Latin
// words whose initials it is, katakana words whose initials it can be,
// or a long noun compound in kanji that names no person (電気自動車（EV）:
// at least two kanji a letter; an organisation, tagged so, at any length).
func acronymOf(text string, cands []span, acronym string) (Pair, bool) {
	for _, c := range cands {
		a := c.text(text)
		switch scriptOf(a) {
		case scriptLatin:
			if AcronymOfLatin(acronym, a) {
				return Pair{a, acronym, Abbreviation}, true
			}
		case scriptKatakana:
			if AcronymOfKatakana(acronym, analyzer.KatakanaParts(a)) {
				return Pair{a, acronym, Abbreviation}, true
			}
		}
	}
	c := cands[0]
	a := c.text(text)
	if !compound(c.words) || !adjacent(c.words) || hasPerson(c.words) || scriptOf(a) != scriptKanji || len(c.words) < 2 && !org(c.words) || quoted(text, c) {
		return Pair{}, false
	}
	if acronymOfMixed(acronym, text, c.words) {
		return Pair{a, acronym, Abbreviation}, true
	}
	letters := 0
	for _, r := range acronym {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	runes := utf8.RuneCountInString(a)
	if org(c.words[len(c.words)-1:]) && runes >= letters || runes >= 2*letters && mostlyKanji(a) {
		return Pair{a, acronym, Abbreviation}, true
	}
	return Pair{}, false
}

// acronymOfMixed reports whether acronym abbreviates a compound of
// katakana and kanji words (東京|ビデオ|フェスティバル: TVF), a letter a
// word: each katakana word's initial must be its letter, a kanji word
// (whose English the acronym spells) may be any, and two katakana words
// at least must agree.
func acronymOfMixed(acronym, text string, ws []analyzer.Token) bool {
	var parts []string
	for _, w := range ws {
		t := text[w.Start:w.End]
		if katakanaWord(t) {
			parts = append(parts, analyzer.KatakanaParts(t)...)
		} else {
			parts = append(parts, t)
		}
	}
	a := strings.ToLower(strings.ReplaceAll(acronym, "&", ""))
	if len(parts) != len(a) {
		return false
	}
	agree := 0
	for i, p := range parts {
		if !katakanaWord(p) {
			continue
		}
		if !strings.ContainsRune(initials(p), rune(a[i])) {
			return false
		}
		agree++
	}
	return agree >= 2
}

// mostlyKanji reports whether at least half of s is kanji: a compound of
// katakana words is checked by its initials instead (国際サービスガイドブック
// is no expansion of PDF).
func mostlyKanji(s string) bool {
	k, n := 0, 0
	for _, r := range s {
		n++
		if unicode.Is(unicode.Han, r) || r == '々' {
			k++
		}
	}
	return 2*k >= n
}

// adjacent reports whether words follow each other with nothing between
// them: no particle, verb or symbol dropped from the word analysis.
func adjacent(ws []analyzer.Token) bool {
	for i := 1; i < len(ws); i++ {
		if ws[i].Start != ws[i-1].End {
			return false
		}
	}
	return true
}

// compound reports whether words make a noun compound: nouns, none of
// them a number, a suffix (等, さん), a pronoun or a dependent noun.
func compound(ws []analyzer.Token) bool {
	for _, w := range ws {
		if !strings.HasPrefix(w.POS, "名詞") {
			return false
		}
		for _, bad := range []string{"名詞,数", "名詞,接尾", "名詞,代名詞", "名詞,非自立"} {
			if strings.HasPrefix(w.POS, bad) {
				return false
			}
		}
	}
	return len(ws) > 0
}

// quoted reports a term written in quotes: 「番組名」（TBS） names its
// broadcaster, not its short form.
func quoted(text string, c span) bool {
	r, _ := utf8.DecodeRuneInString(text[c.end:])
	return r == '」' || r == '』'
}

// org reports a word tagged as an organisation's name.
func org(ws []analyzer.Token) bool {
	for _, w := range ws {
		if strings.HasPrefix(w.POS, "名詞,固有名詞,組織") {
			return true
		}
	}
	return false
}

// expansionGloss takes an acronym followed by its expansion in kanji or
// katakana (NTT（日本電信電話）): the reverse of acronymOf.
func expansionGloss(text string, cands []span, b string, inside []analyzer.Token) []Pair {
	for _, c := range cands {
		a := c.text(text)
		if !IsAcronym(a) {
			continue
		}
		if !compound(inside) || !adjacent(inside) || hasPerson(inside) || len(inside) < 2 && !org(inside) || quoted(text, c) {
			return nil
		}
		runes := utf8.RuneCountInString(b)
		letters := utf8.RuneCountInString(a)
		if org(inside[len(inside)-1:]) && runes >= letters || runes >= 2*letters && mostlyKanji(b) {
			return []Pair{{b, a, Abbreviation}}
		}
	}
	return nil
}
