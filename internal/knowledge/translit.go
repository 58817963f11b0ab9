package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Whether a Latin name and a katakana one are the same name: their
// consonant skeletons agree. A loanword keeps the consonants of its source
// and supplies vowels (Crucial: クルーシャル, both K R S R), so the skeleton
// of each side is its consonants in classes that transliteration confuses
// (k/g/c, s/z/j/ch/sh, t/d, m/n, b/p/f/v, r/l), vowels, y and w left out
// and a class repeated once. Two names agree when most of the longer
// skeleton is matched in order, the first consonants alike.

// Consonant classes, as bits: a letter that can be read two ways has both.
const (
	cK uint8 = 1 << iota
	cS
	cT
	cN
	cP
	cH
	cR
)

// kanaClass is the consonant class of each katakana letter (0: a vowel,
// y, w, a small letter, ー or ッ).
var kanaClass = func() map[rune]uint8 {
	m := map[rune]uint8{}
	set := func(letters string, c uint8) {
		for _, r := range letters {
			m[r] = c
		}
	}
	set("カキクケコガギグゲゴヵヶ", cK)
	set("サシスセソザジズゼゾ", cS)
	set("タテトダデド", cT)
	set("チツヂヅ", cS|cT)
	set("ナニヌネノマミムメモン", cN)
	set("ハヒヘホ", cH)
	set("フ", cP|cH)
	set("バビブベボパピプペポヴ", cP)
	set("ラリルレロ", cR)
	return m
}()

// toKatakana returns hiragana as katakana; other runes unchanged.
func toKatakana(r rune) rune {
	if 0x3041 <= r && r <= 0x3096 {
		return r + 0x60
	}
	return r
}

// kanaSkeleton returns the consonant skeleton of kana text.
func kanaSkeleton(s string) []uint8 {
	var out []uint8
	for _, r := range s {
		c := kanaClass[toKatakana(r)]
		if c != 0 && (len(out) == 0 || out[len(out)-1] != c) {
			out = append(out, c)
		}
	}
	return out
}

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// latinSkeleton returns the consonant skeleton of Latin text (letters
// only; anything else separates words).
func latinSkeleton(s string) []uint8 {
	s = strings.ToLower(s)
	var out []uint8
	add := func(c uint8) {
		if c != 0 && (len(out) == 0 || out[len(out)-1] != c) {
			out = append(out, c)
		}
	}
	at := func(i int) byte {
		if i >= 0 && i < len(s) {
			return s[i]
		}
		return 0
	}
	letter := func(b byte) bool { return 'a' <= b && b <= 'z' }
	for i := 0; i < len(s); i++ {
		b, next := s[i], at(i+1)
		switch b {
		case 'b', 'f', 'v':
			add(cP)
		case 'p':
			if next == 'h' {
				i++
			}
			add(cP)
		case 'c':
			switch {
			case next == 'h':
				i++
				add(cS | cK)
			case next == 'k':
				i++
				add(cK)
			case next == 'e' || next == 'i' || next == 'y':
				add(cS)
			default:
				add(cK)
			}
		case 'd':
			add(cT | cS)
		case 't':
			if next == 'h' {
				i++
			}
			add(cT | cS)
		case 'g':
			switch {
			case next == 'h':
				i++
				add(cK)
			case next == 'e' || next == 'i' || next == 'y':
				add(cK | cS)
			default:
				add(cK)
			}
		case 'h':
			// sounded at the start of a word or between vowels (Yahoo)
			if (!letter(at(i-1)) || isVowel(at(i-1))) && isVowel(next) {
				add(cH)
			}
		case 'j', 's', 'z':
			if b == 's' && next == 'h' {
				i++
			}
			add(cS)
		case 'k', 'q':
			if next == 'h' {
				i++
			}
			add(cK)
		case 'l', 'r':
			add(cR)
		case 'm', 'n':
			add(cN)
		case 'x':
			add(cK)
			add(cS)
		}
	}
	return out
}

// similarSkeletons reports whether two skeletons agree: their first
// consonants alike, at least two consonants each, and a common subsequence
// that is all of a short skeleton, at least minShare of a longer one.
func similarSkeletons(a, b []uint8, minShare float64) bool {
	if len(a) < 2 || len(b) < 2 || a[0]&b[0] == 0 {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1]&b[j-1] != 0:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	lcs := prev[len(b)]
	if longest := max(len(a), len(b)); longest <= shortSkeleton {
		return lcs == longest // a short name: every consonant
	}
	return float64(lcs) >= minShare*float64(max(len(a), len(b)))
}

// shortSkeleton is the longest skeleton whose every consonant must agree.
const shortSkeleton = 4

// transliterationShare is how much of the longer skeleton a Latin name and
// its katakana must share.
const transliterationShare = 0.8

// Transliterates reports whether katakana text kana is a transliteration
// of Latin text latin (Alibaba Group: アリババグループ), or the reverse.
func Transliterates(latin, kana string) bool {
	return sameOnset(latin, kana) && similarSkeletons(latinSkeleton(latin), kanaSkeleton(kana), transliterationShare)
}

// sameOnset reports whether both names start alike, with a vowel or with
// a consonant (h, w and y count as either): Tech Fes is not エデュテックフェス.
func sameOnset(latin, kana string) bool {
	l := strings.ToLower(strings.TrimLeftFunc(latin, func(r rune) bool { return !unicode.IsLetter(r) }))
	k, _ := utf8.DecodeRuneInString(kana)
	if l == "" || k == utf8.RuneError {
		return false
	}
	kanaVowel := strings.ContainsRune("アイウエオ", toKatakana(k))
	switch {
	case strings.IndexByte("hwy", l[0]) >= 0, strings.ContainsRune("ヤユヨワ", toKatakana(k)):
		return true // either way: Unica ユニカ, Yahoo ヤフー
	case kanaVowel && strings.IndexByte("flmnsxr", l[0]) >= 0:
		return true // a letter's name: S-MAX エスマックス
	}
	return isVowel(l[0]) == kanaVowel
}

// romaji of each katakana letter (Hepburn); digraphs with small ャュョ and
// the small vowels are handled in Romaji.
var kanaRomaji = func() map[rune]string {
	rows := []struct{ kana, roma string }{
		{"アイウエオ", "a i u e o"}, {"カキクケコ", "ka ki ku ke ko"}, {"ガギグゲゴ", "ga gi gu ge go"},
		{"サシスセソ", "sa shi su se so"}, {"ザジズゼゾ", "za ji zu ze zo"}, {"タチツテト", "ta chi tsu te to"},
		{"ダヂヅデド", "da ji zu de do"}, {"ナニヌネノ", "na ni nu ne no"}, {"ハヒフヘホ", "ha hi fu he ho"},
		{"バビブベボ", "ba bi bu be bo"}, {"パピプペポ", "pa pi pu pe po"}, {"マミムメモ", "ma mi mu me mo"},
		{"ヤユヨ", "ya yu yo"}, {"ラリルレロ", "ra ri ru re ro"}, {"ワヲン", "wa o n"}, {"ヴ", "vu"},
		{"ァィゥェォ", "a i u e o"},
	}
	m := map[rune]string{}
	for _, row := range rows {
		romas := strings.Fields(row.roma)
		i := 0
		for _, r := range row.kana {
			m[r] = romas[i]
			i++
		}
	}
	return m
}()

// Romaji returns kana text in Hepburn romaji, lower case ("" if some rune
// is not kana): キョウト is kyouto, the long-vowel mark repeats the vowel.
func Romaji(kana string) string {
	rs := []rune(kana)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := toKatakana(rs[i])
		var next rune
		if i+1 < len(rs) {
			next = toKatakana(rs[i+1])
		}
		switch {
		case r == 'ー':
			s := b.String()
			if s == "" {
				return ""
			}
			b.WriteByte(s[len(s)-1])
			continue
		case r == 'ッ':
			if i+1 < len(rs) {
				if n := kanaRomaji[next]; n != "" {
					b.WriteByte(n[0])
				}
			}
			continue
		case r == '・' || r == ' ':
			b.WriteByte(' ')
			continue
		}
		s, ok := kanaRomaji[r]
		if !ok {
			return ""
		}
		switch next {
		case 'ャ', 'ュ', 'ョ':
			v := map[rune]string{'ャ': "a", 'ュ': "u", 'ョ': "o"}[next]
			switch {
			case strings.HasSuffix(s, "hi") || s == "ji":
				s = s[:len(s)-1] + v // sha, cha, ja
			case strings.HasSuffix(s, "i"):
				s = s[:len(s)-1] + "y" + v // kya, nya
			}
			i++
		case 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ':
			// シェ she, ティ ti, ファ fa, ウィ wi
			switch {
			case s == "u":
				s = "w"
			case len(s) > 1:
				s = s[:len(s)-1]
			}
			s += kanaRomaji[next]
			i++
		}
		b.WriteString(s)
	}
	return b.String()
}

// foldRomaji folds spellings of romaji that writers use freely: long
// vowels (ou, oo, uu, ei kept), m before b, p and m written n, case, and
// anything that is not a letter.
func foldRomaji(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' {
			b.WriteRune(r)
		}
	}
	t := b.String()
	t = strings.NewReplacer("ou", "o", "oo", "o", "uu", "u", "aa", "a", "ii", "i", "oh", "o").Replace(t)
	t = strings.NewReplacer("mb", "nb", "mp", "np", "mm", "nm").Replace(t)
	return t
}

// SameRomaji reports whether Latin text spells a kana reading in romaji
// (山善, ヤマゼン: YAMAZEN).
func SameRomaji(latin, reading string) bool {
	r := Romaji(reading)
	return r != "" && len(r) >= 3 && foldRomaji(latin) == foldRomaji(r)
}

// initials returns the Latin letters a katakana word can start with in its
// source language (シ: s or c; ビ: b or v; フ: f or h).
func initials(word string) string {
	r, _ := utf8.DecodeRuneInString(word)
	r = toKatakana(r)
	extra := map[rune]string{
		'カ': "c", 'キ': "c", 'ク': "cq", 'ケ': "c", 'コ': "c", 'サ': "c", 'シ': "c", 'セ': "c", 'ス': "c", 'チ': "c",
		'バ': "v", 'ビ': "v", 'ブ': "v", 'ベ': "v", 'ボ': "v", 'ヴ': "b", 'フ': "h", 'ラ': "l", 'リ': "l", 'ル': "l",
		'レ': "l", 'ロ': "l", 'ジ': "g", 'ア': "u", 'イ': "e", 'エ': "a", 'オ': "a", 'ユ': "y", 'ウ': "w", 'ザ': "x",
		'ズ': "x", 'ゼ': "x", 'ゲ': "j", 'ギ': "j", 'ヤ': "j", 'テ': "t", 'ト': "t", 'ド': "d", 'デ': "d", 'ワ': "w",
	}
	ro := Romaji(string(r))
	if ro == "" {
		return ""
	}
	return ro[:1] + extra[r]
}

// stopInitial are English words an acronym usually leaves out.
var stopInitial = map[string]bool{"of": true, "and": true, "the": true, "for": true, "in": true, "on": true, "to": true, "a": true, "&": true}

// IsAcronym reports whether s is written like an abbreviation: two to six
// capital letters, perhaps with one digit or & inside (NTT, SCE, A&M).
func IsAcronym(s string) bool {
	n, others := 0, 0
	for i, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			n++
		case ('0' <= r && r <= '9' || r == '&') && i > 0:
			others++
		default:
			return false
		}
	}
	return n >= 2 && n <= 6 && others <= 1
}

// AcronymOfLatin reports whether acronym abbreviates the Latin words of
// expansion: its letters are the words' initials, with or without the
// small words (Social Networking Service: SNS; Bank of Japan: BOJ or BJ).
func AcronymOfLatin(acronym, expansion string) bool {
	words := strings.FieldsFunc(expansion, func(r rune) bool { return r == ' ' || r == '-' || r == '/' })
	var all, content strings.Builder
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(first) {
			return false
		}
		l := strings.ToLower(string(first))
		all.WriteString(l)
		if !stopInitial[strings.ToLower(w)] {
			content.WriteString(l)
		}
	}
	a := strings.ToLower(strings.ReplaceAll(acronym, "&", ""))
	return len(words) >= 2 && (a == all.String() || a == content.String())
}

// AcronymOfKatakana reports whether acronym abbreviates katakana words
// (the parts of a compound: フラストレーション|フリー|パッケージ: FFP), each
// letter in turn the initial its word can have.
func AcronymOfKatakana(acronym string, words []string) bool {
	a := strings.ToLower(strings.ReplaceAll(acronym, "&", ""))
	if len(words) != len(a) || len(words) < 2 {
		return false
	}
	for i, w := range words {
		if !strings.ContainsRune(initials(w), rune(a[i])) {
			return false
		}
	}
	return true
}

// romajiKana are the syllables KanaOfRomaji reads, longest first where one
// spelling starts another.
var romajiKana = func() map[string]string {
	m := map[string]string{}
	for r, roma := range kanaRomaji {
		if strings.ContainsRune("ァィゥェォ", r) {
			continue // small vowels
		}
		if _, ok := m[roma]; !ok || r < []rune(m[roma])[0] {
			m[roma] = string(r)
		}
	}
	for base, kana := range map[string]string{"ky": "キ", "gy": "ギ", "ny": "ニ", "hy": "ヒ", "by": "ビ", "py": "ピ", "my": "ミ", "ry": "リ", "sh": "シ", "ch": "チ", "j": "ジ"} {
		for v, small := range map[string]string{"a": "ャ", "u": "ュ", "o": "ョ"} {
			m[base+v] = kana + small
		}
	}
	for roma, kana := range map[string]string{"si": "シ", "ti": "チ", "tu": "ツ", "hu": "フ", "zi": "ジ", "di": "ディ", "wo": "ヲ", "ji": "ジ", "she": "シェ", "je": "ジェ", "che": "チェ", "fa": "ファ", "fi": "フィ", "fe": "フェ", "fo": "フォ"} {
		m[roma] = kana
	}
	return m
}()

// KanaOfRomaji reads Latin letters as romaji (son masayoshi: ソンマサヨシ),
// spaces ignored; not ok unless every letter is read, and there are at
// least two syllables.
func KanaOfRomaji(text string) (string, bool) {
	s := strings.ToLower(strings.Join(strings.Fields(text), ""))
	var b strings.Builder
	syllables := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 'a' || c > 'z' {
			return "", false
		}
		// a doubled consonant: ッ
		if i+1 < len(s) && s[i+1] == c && !isVowel(c) && c != 'n' {
			b.WriteString("ッ")
			i++
			continue
		}
		matched := false
		for l := 3; l >= 1; l-- {
			if i+l > len(s) {
				continue
			}
			if k, ok := romajiKana[s[i:i+l]]; ok {
				if s[i:i+l] == "n" && i+1 < len(s) && (isVowel(s[i+1]) && s[i+1] != 'y' || s[i+1] == 'y') {
					continue // na, nya: not ン
				}
				b.WriteString(k)
				i += l
				syllables++
				matched = true
				break
			}
		}
		if !matched {
			return "", false
		}
	}
	return b.String(), syllables >= 2
}
