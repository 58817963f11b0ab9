package corpusgen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Needle words: invented names in three scripts, none of which occurs in
// the livedoor corpus or in any generated article except where planted.
// They are interleaved by script so that NeedleCounts gives each script
// rare and frequent words.
var needleWords = []string{
	"翠嶺精機", "ザルヴェニカ", "Qorvex9T",
	"鴇羽蒼史", "ミロトパス", "Zeltra5",
	"琥珀谷通信", "クェンタリオ", "Vornix-7Q",
	"藍鉄重工", "ヴィスペラ", "Kivarra3",
	"雫森透真", "オルゴニア", "Xyphon-3R",
	"鶯沢精工", "ドラヴィクス", "Plenqo5S",
	"瑠璃岬", "ペリュシオン", "Trundel88",
	"翡翠沼町", "ネブラルカ", "Jexa4P",
	"燈籠坂研", "ゾフィエット", "Wobbit-2K",
	"霙谷", "キュリアント", "Quillon7",
	"銀杏坂亘", "バルムンディ", "Zarkov-X9",
	"鴉森紬", "フェルミナス", "Brimlet6",
	"蒼穹電脳", "ヴァルトロメ", "Fyxel-12",
	"櫻霞堂", "シェラザーク", "Gorvath3",
	"紫苑峡", "ティルナノワ", "Nuvexa-5L",
	"碧洋汽船", "モルガディオ", "Yorpex8",
	"朧月庵", "グラナヴェル",
}

// needleCounts are the numbers of articles per block of Config.NeedleBlock
// (a million by default) that carry a needle: needle j is in
// needleCounts[j%10] of them.
var needleCounts = [10]int{1, 2, 3, 5, 10, 20, 50, 100, 200, 300}

// needle is one planted word.
type needle struct {
	word   string
	folded string // fold(word): what must not occur elsewhere
	script script
	count  int // articles per block
}

// Needle describes a planted word for a benchmark.
type Needle struct {
	Word string
	// PerBlock is the number of articles that carry it in each block of
	// Config.NeedleBlock articles.
	PerBlock int
}

// fold is the form in which needle words are compared: NFKC, lower case,
// as search engines (newsearch, Groonga's NormalizerAuto) see the text. A
// needle counts as present when its folded form is a substring of the
// folded text, which covers any tokenisation (bigrams included).
func fold(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

var foldedNeedles = func() []string {
	out := make([]string, len(needleWords))
	for i, w := range needleWords {
		out[i] = fold(w)
	}
	return out
}()

// hasNeedle reports whether s contains any needle word (folded).
func hasNeedle(s string) bool {
	f := fold(s)
	for _, w := range foldedNeedles {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// needleFinder finds the needle words in folded text with one pass: a
// bitmap of the needles' first three bytes filters the positions where one
// may start (two bytes would not do: all katakana share them).
type needleFinder struct {
	first []uint64 // bit (b0<<16 | b1<<8 | b2) set for each needle's first bytes
	words []string
}

func newNeedleFinder(words []string) *needleFinder {
	f := &needleFinder{first: make([]uint64, 1<<24/64), words: words}
	for _, w := range words {
		k := uint32(w[0])<<16 | uint32(w[1])<<8 | uint32(w[2])
		f.first[k>>6] |= 1 << (k & 63)
	}
	return f
}

// find sets found[j] for every needle j that occurs in text.
func (f *needleFinder) find(text string, found []bool) {
	for i := 0; i+2 < len(text); i++ {
		k := uint32(text[i])<<16 | uint32(text[i+1])<<8 | uint32(text[i+2])
		if f.first[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for j, w := range f.words {
			if !found[j] && strings.HasPrefix(text[i:], w) {
				found[j] = true
			}
		}
	}
}

// glued reports whether some occurrence of w in text runs on into a
// character of the same script before or after it.
func glued(text, w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	last, _ := utf8.DecodeLastRuneInString(w)
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if before, _ := utf8.DecodeLastRuneInString(text[:at]); at > 0 && sameScript(before, first) {
			return true
		}
		if after, _ := utf8.DecodeRuneInString(text[at+len(w):]); at+len(w) < len(text) && sameScript(last, after) {
			return true
		}
		i = at + len(w)
	}
}

// sameScript reports whether a and b would run together into one word:
// both kanji, both katakana (ー included), or both Latin letters or digits.
func sameScript(a, b rune) bool {
	kata := func(r rune) bool { return unicode.Is(unicode.Katakana, r) || r == 'ー' }
	latin := func(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	switch {
	case unicode.Is(unicode.Han, a):
		return unicode.Is(unicode.Han, b)
	case kata(a):
		return kata(b)
	case latin(a):
		return latin(b)
	}
	return false
}
