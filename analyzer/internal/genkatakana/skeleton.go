package main

import "strings"

// kana are the Latin spellings of the katakana syllables (kunrei-style, so
// that チ and ティ are both ti, ヂ and ジ both zi), with ヴ as b and フ as h:
// writers use ヴァ and バ, フォ and ホ for the same sound.
var kana = map[rune]string{
	'ア': "a", 'イ': "i", 'ウ': "u", 'エ': "e", 'オ': "o",
	'カ': "ka", 'キ': "ki", 'ク': "ku", 'ケ': "ke", 'コ': "ko",
	'ガ': "ga", 'ギ': "gi", 'グ': "gu", 'ゲ': "ge", 'ゴ': "go",
	'サ': "sa", 'シ': "si", 'ス': "su", 'セ': "se", 'ソ': "so",
	'ザ': "za", 'ジ': "zi", 'ズ': "zu", 'ゼ': "ze", 'ゾ': "zo",
	'タ': "ta", 'チ': "ti", 'ツ': "tu", 'テ': "te", 'ト': "to",
	'ダ': "da", 'ヂ': "zi", 'ヅ': "zu", 'デ': "de", 'ド': "do",
	'ナ': "na", 'ニ': "ni", 'ヌ': "nu", 'ネ': "ne", 'ノ': "no",
	'ハ': "ha", 'ヒ': "hi", 'フ': "hu", 'ヘ': "he", 'ホ': "ho",
	'バ': "ba", 'ビ': "bi", 'ブ': "bu", 'ベ': "be", 'ボ': "bo",
	'パ': "pa", 'ピ': "pi", 'プ': "pu", 'ペ': "pe", 'ポ': "po",
	'マ': "ma", 'ミ': "mi", 'ム': "mu", 'メ': "me", 'モ': "mo",
	'ヤ': "ya", 'ユ': "yu", 'ヨ': "yo",
	'ラ': "ra", 'リ': "ri", 'ル': "ru", 'レ': "re", 'ロ': "ro",
	'ワ': "wa", 'ヰ': "i", 'ヱ': "e", 'ヲ': "o", 'ン': "n",
	'ヴ': "bu", 'ヵ': "ka", 'ヶ': "ke",
}

// small vowels and small ya, yu, yo: they change the vowel of the
// syllable before them.
var smallVowel = map[rune]byte{'ァ': 'a', 'ィ': 'i', 'ゥ': 'u', 'ェ': 'e', 'ォ': 'o', 'ヮ': 'a'}
var smallY = map[rune]string{'ャ': "ya", 'ュ': "yu", 'ョ': "yo"}

// skeleton returns how a katakana word sounds, without the differences
// that spellings of one loanword have: small vowels (フォ and ホ, ティ and
// チ, ウィ and ウイ, ヴァ and バ) and how a long vowel is written (メイル and
// メール: meeru; ウインドウ and ウインドー: uindoo). With long, the length of
// vowels and doubled consonants (ッ) are kept (as a doubled vowel and Q);
// without, they are dropped too (ハロウィーン and ハロウィン: haroin), and ti
// and di are te and de but at the end. Two
// katakana words with one skeleton can still be different words (ディスク
// and デスク): a skeleton only confirms that two spellings UniDic files under
// one lemma are one word.
func skeleton(w string, long bool) string {
	var b []byte
	for _, r := range w {
		switch {
		case r == 'ー':
			if n := len(b); n > 0 && isVowel(b[n-1]) {
				b = append(b, b[n-1])
			}
		case r == 'ッ':
			b = append(b, 'Q')
		case smallVowel[r] != 0:
			v := smallVowel[r]
			if n := len(b); n >= 2 && isVowel(b[n-1]) && isConsonant(b[n-2]) {
				b[n-1] = v // フ+ァ: ha; テ+ィ: ti; ツ+ィ: ti
			} else {
				b = append(b, v) // ア+ァ, ウ+ィ (ui)
			}
		case smallY[r] != "":
			if n := len(b); n > 0 && b[n-1] == 'i' {
				b = b[:n-1] // キ+ャ: kya
			}
			b = append(b, smallY[r]...)
		default:
			s, ok := kana[r]
			if !ok {
				s = string(r)
			}
			b = append(b, s...)
		}
	}
	// a long e written ei, a long o written ou
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if n := len(out); n > 0 {
			switch p := out[n-1]; {
			case p == 'e' && c == 'i', p == 'o' && c == 'u':
				c = p
			}
			if !long && (c == 'Q' || isVowel(c) && out[n-1] == c) {
				continue
			}
		} else if !long && c == 'Q' {
			continue
		}
		out = append(out, c)
	}
	if !long {
		// ti and te, di and de but at the end (ディテール and ディティール,
		// アイデア and アイディア; not ハンディ and ハンデ)
		for i := 1; i < len(out)-1; i++ {
			if out[i] == 'i' && (out[i-1] == 't' || out[i-1] == 'd') {
				out[i] = 'e'
			}
		}
	}
	return string(out)
}

func isVowel(c byte) bool { return strings.IndexByte("aiueo", c) >= 0 }

func isConsonant(c byte) bool { return 'a' <= c && c <= 'z' && !isVowel(c) }

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
