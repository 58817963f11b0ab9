package reader

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Encodings that decode can choose, by name.
const (
	encUTF8      = "utf-8"
	encUTF16     = "utf-16"
	encShiftJIS  = "shift_jis"
	encEUCJP     = "euc-jp"
	encISO2022JP = "iso-2022-jp"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode returns data as UTF-8 text with "\n" line endings, detecting its
// encoding as the package doc describes. It fails only for binary data.
func decode(data []byte) (string, error) {
	text, _, err := decodeDetect(data)
	if err != nil {
		return "", err
	}
	return normalizeNewlines(text), nil
}

// decodeDetect is decode without the line ending change; it also returns
// the name of the encoding it chose.
func decodeDetect(data []byte) (string, string, error) {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		// UTF-16 is full of NUL bytes, so it must be decoded before the
		// binary check, which then looks at the decoded text.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "", fmt.Errorf("invalid UTF-16: %w", err)
		}
		if err := checkBinary(out); err != nil {
			return "", "", err
		}
		return string(out), encUTF16, nil
	}
	if err := checkBinary(data); err != nil {
		return "", "", err
	}
	if bytes.HasPrefix(data, bomUTF8) {
		return strings.ToValidUTF8(string(data[len(bomUTF8):]), "\uFFFD"), encUTF8, nil
	}
	// ISO-2022-JP is 7-bit, so it is also valid UTF-8: look for its escape
	// sequences first.
	if isISO2022JP(data) {
		if out, err := japanese.ISO2022JP.NewDecoder().Bytes(data); err == nil {
			return string(out), encISO2022JP, nil
		}
	}
	if utf8.Valid(data) {
		return string(data), encUTF8, nil
	}
	if text, name, ok := decodeJapanese(data); ok {
		return text, name, nil
	}
	return strings.ToValidUTF8(string(data), "\uFFFD"), encUTF8, nil
}

// decodeJapanese decodes data that is not valid UTF-8 as Shift_JIS or
// EUC-JP, if either yields plausible Japanese.
//
// Both encodings use the same high bytes, so most Japanese text in one also
// decodes without error in the other, but into nonsense: EUC-JP read as
// Shift_JIS is mostly half-width katakana, and Shift_JIS read as EUC-JP is
// mostly invalid; UTF-8 or Latin-1 read as either is full of invalid bytes
// and rare kanji. Real Japanese, by contrast, is mostly hiragana, katakana,
// Japanese punctuation and the 2,965 common kanji of JIS X 0208 level 1. So
// each candidate is scored by the share of its non-ASCII characters that
// are of those kinds, each undecodable byte counting against it heavily,
// and the best wins if at least half its characters are plausible. This
// needs no statistical model, and decides correctly even for a line or two
// of text, which a frequency-based detector cannot.
func decodeJapanese(data []byte) (string, string, bool) {
	type candidate struct {
		name string
		enc  encoding.Encoding
	}
	best, bestName, bestScore := "", "", 0.5
	for _, c := range []candidate{{encShiftJIS, japanese.ShiftJIS}, {encEUCJP, japanese.EUCJP}} {
		out, err := c.enc.NewDecoder().Bytes(data)
		if err != nil {
			continue
		}
		text := string(out)
		if s := plausibility(text); s > bestScore {
			best, bestName, bestScore = text, c.name, s
		}
	}
	return best, bestName, bestName != ""
}

// plausibility returns how much text looks like Japanese: the share of its
// non-ASCII runes that are kana, Japanese punctuation, full-width ASCII or
// common kanji, less four times the share of U+FFFD (undecodable bytes).
// Half-width katakana count half: old Shift_JIS text uses them, but so
// does EUC-JP misread as Shift_JIS. It is at most 1, and 0 for text
// without non-ASCII runes.
func plausibility(text string) float64 {
	var good, bad float64
	total := 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			continue
		}
		total++
		switch {
		case r == utf8.RuneError:
			bad += 4
		case r >= 0x3000 && r <= 0x303F, // CJK punctuation: 、。「」
			r >= 0x3041 && r <= 0x3096, // hiragana
			r >= 0x30A1 && r <= 0x30FC, // katakana and ー
			r >= 0xFF01 && r <= 0xFF5E, // full-width ASCII
			isCommonKanji(r):
			good++
		case r >= 0xFF61 && r <= 0xFF9F: // half-width katakana
			good += 0.5
		}
	}
	if total == 0 {
		return 0
	}
	return (good - bad) / float64(total)
}

// commonKanji holds the kanji of JIS X 0208 level 1, the set of common
// kanji that Japanese text mostly consists of. They are rows 16 to 47 of
// JIS X 0208, which EUC-JP encodes as 0xB0A1 to 0xCFD3.
var commonKanji = sync.OnceValue(func() map[rune]bool {
	set := make(map[rune]bool, 2965)
	dec := japanese.EUCJP.NewDecoder()
	var buf []byte
	for hi := 0xB0; hi <= 0xCF; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			buf = append(buf, byte(hi), byte(lo))
		}
	}
	out, err := dec.Bytes(buf)
	if err != nil {
		panic("reader: cannot decode JIS X 0208 level 1: " + err.Error())
	}
	for _, r := range string(out) {
		if r != utf8.RuneError {
			set[r] = true
		}
	}
	return set
})

func isCommonKanji(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF && commonKanji()[r]
}

// isISO2022JP reports whether data is 7-bit and holds an escape sequence
// that switches to JIS X 0208 or JIS X 0201 katakana.
func isISO2022JP(data []byte) bool {
	found := false
	for i, b := range data {
		if b >= 0x80 {
			return false
		}
		if b == 0x1B && !found {
			rest := data[i+1:]
			found = bytes.HasPrefix(rest, []byte("$B")) ||
				bytes.HasPrefix(rest, []byte("$@")) ||
				bytes.HasPrefix(rest, []byte("(I"))
		}
	}
	return found
}

// maxControlShare is the share of control bytes above which a file counts
// as binary. Text has almost none; random bytes without NULs have about
// one in ten.
const maxControlShare = 0.05

// checkBinary returns an ErrBinary error if data has a NUL byte or more
// than maxControlShare control bytes other than tab, line feed, vertical
// tab, form feed, carriage return and escape (used by ISO-2022-JP).
func checkBinary(data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("%w (NUL byte at offset %d): not a text article", ErrBinary, i)
	}
	control := 0
	for _, b := range data {
		if (b < 0x20 && (b < '\t' || b > '\r') && b != 0x1B) || b == 0x7F {
			control++
		}
	}
	if control > 0 && float64(control) > maxControlShare*float64(len(data)) {
		return fmt.Errorf("%w (%d control bytes in %d): not a text article", ErrBinary, control, len(data))
	}
	return nil
}

// normalizeNewlines turns "\r\n" and lone "\r" into "\n".
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
