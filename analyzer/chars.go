package analyzer

import "unicode"

// charClass is the script class of a normalised rune. The recall analysis
// forms bigrams over runs of Japanese classes, keeps runs of letters and runs
// of digits as words, skips spaces and breaks phrases at symbols.
type charClass uint8

const (
	classSpace    charClass = iota // white space: ignored between characters
	classSymbol                    // punctuation and symbols: a phrase break
	classLetter                    // letters of spaced scripts (Latin, Greek, Hangul, ...)
	classDigit                     // decimal digits
	classHiragana                  // hiragana
	classKatakana                  // katakana and the long-vowel mark
	classKanji                     // CJK ideographs and 々〆〇
)

func (c charClass) String() string {
	switch c {
	case classSpace:
		return "space"
	case classSymbol:
		return "symbol"
	case classLetter:
		return "letter"
	case classDigit:
		return "digit"
	case classHiragana:
		return "hiragana"
	case classKatakana:
		return "katakana"
	case classKanji:
		return "kanji"
	}
	return "unknown"
}

// japanese reports whether the class is written without spaces and so is
// indexed as overlapping bigrams.
func (c charClass) japanese() bool { return c >= classHiragana }

// word reports whether the class forms space-delimited words (letters, digits).
func (c charClass) word() bool { return c == classLetter || c == classDigit }

func classOf(r rune) charClass {
	switch {
	case r < 0x80:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return classLetter
		case '0' <= r && r <= '9':
			return classDigit
		case r == ' ', r == '\t', r == '\n', r == '\r', r == '\v', r == '\f':
			return classSpace
		}
		return classSymbol
	case 0x3041 <= r && r <= 0x3096, r == 0x309d, r == 0x309e:
		return classHiragana
	case isKatakana(r), r == 0x30fd, r == 0x30fe, 0x31f0 <= r && r <= 0x31ff:
		return classKatakana
	case 0x4e00 <= r && r <= 0x9fff, 0x3400 <= r && r <= 0x4dbf, 0xf900 <= r && r <= 0xfaff,
		0x20000 <= r && r <= 0x3ffff, r == 0x3005, r == 0x3006, r == 0x3007:
		return classKanji
	case unicode.IsSpace(r):
		return classSpace
	case unicode.IsDigit(r):
		return classDigit
	case unicode.IsLetter(r), unicode.Is(unicode.Mn, r):
		return classLetter
	}
	return classSymbol
}

// isKatakana reports full-width katakana letters and the long-vowel mark ー.
func isKatakana(r rune) bool { return 0x30a1 <= r && r <= 0x30fa || r == 0x30fc }

// isKana reports hiragana and katakana letters (not marks).
func isKana(r rune) bool { return 0x3041 <= r && r <= 0x3096 || 0x30a1 <= r && r <= 0x30fa }

// foldKana returns the large form of a small katakana vowel (ァ→ア), which
// writers use interchangeably in loan words (ウェブ/ウエブ, ウィルス/ウイルス).
func foldKana(r rune) rune {
	switch r {
	case 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ':
		return r + 1
	}
	return r
}
