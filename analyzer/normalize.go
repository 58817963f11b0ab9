package analyzer

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normText is normalised text with a map from every normalised byte back to
// the original bytes it came from. A token that covers normalised bytes
// [s, e) covers original bytes [start[s], end[e-1]).
//
// Normalisation is NFKC (full-width ASCII to half-width, half-width katakana
// to full-width, ㈱ to (株)), lower case, control characters to spaces,
// dash-like characters after katakana to the long-vowel mark ー, and the kana
// iteration marks ゝゞヽヾ spelled out. Invalid UTF-8 becomes U+FFFD.
type normText struct {
	text  []byte
	start []int32 // original byte offset where the source of text[i] begins
	end   []int32 // original byte offset where the source of text[i] ends
	prev  rune    // last rune written, for context-dependent folds
	buf   []byte  // scratch space for NFKC of one segment
}

func (n *normText) reset(capacity int) {
	if cap(n.text) < capacity {
		n.text = make([]byte, 0, capacity)
		n.start = make([]int32, 0, capacity)
		n.end = make([]int32, 0, capacity)
	}
	n.text, n.start, n.end = n.text[:0], n.start[:0], n.end[:0]
	n.prev = 0
}

// origSpan maps the normalised byte range [s, e) to original byte offsets.
func (n *normText) origSpan(s, e int) (int, int) {
	return int(n.start[s]), int(n.end[e-1])
}

// normalize writes the normalised form of src into n.
//
// Most news text is ASCII, kana and kanji that NFKC leaves as they are; those
// characters are copied directly (with the folds of writeRune) as long as no
// combining mark follows them. Everything else goes through NFKC one segment
// (a character and its combining marks) at a time, so offsets stay as fine as
// the input.
func (n *normText) normalize(src string) {
	n.reset(len(src) + len(src)/8 + 16)
	for i := 0; i < len(src); {
		r, size := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(src[i:])
		}
		if nfkcStable(r) && boundaryAt(src, i+size) {
			if r < utf8.RuneSelf {
				n.writeASCII(src, byte(r), i)
			} else {
				n.writeRune(src, r, i, i+size)
			}
			i += size
			continue
		}
		end := i + norm.NFKC.NextBoundaryInString(src[i:], true)
		if end <= i {
			end = i + size
		}
		n.buf = norm.NFKC.AppendString(n.buf[:0], src[i:end])
		if letterSymbol(r, n.buf) {
			// ™ ℡ ㏍ are symbols that NFKC spells with letters: they would
			// glue onto the word before them (iPhone™ as iphonetm)
			n.writeRune(src, r, i, end)
			i = end
			continue
		}
		for b := 0; b < len(n.buf); {
			r, size := utf8.DecodeRune(n.buf[b:])
			n.writeRune(src, r, i, end)
			b += size
		}
		i = end
	}
}

// letterSymbol reports a symbol (Unicode So) whose NFKC form has Latin
// letters: ™ (TM), ℡ (TEL), ㏍ (KK), ℠. It stays the symbol it is. ㈱, whose
// NFKC form (株) has no Latin letter, is normalised as usual.
func letterSymbol(r rune, nfkc []byte) bool {
	if r < 0x2100 || !unicode.Is(unicode.So, r) {
		return false
	}
	for _, c := range nfkc {
		if 'a' <= c|0x20 && c|0x20 <= 'z' {
			return true
		}
	}
	return false
}

// nfkcStable reports characters that NFKC maps to themselves and that never
// combine with a character before them: ASCII, kana, kanji and the common
// Japanese punctuation.
func nfkcStable(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return true
	case 0x3041 <= r && r <= 0x3096, 0x30a1 <= r && r <= 0x30fa, r == 0x30fc, r == 0x30fb,
		0x4e00 <= r && r <= 0x9fff, 0x3400 <= r && r <= 0x4dbf,
		0x3001 <= r && r <= 0x3003, 0x3005 <= r && r <= 0x3007, 0x3008 <= r && r <= 0x3011:
		return true
	}
	return false
}

// boundaryAt reports whether src[i:] starts a new NFKC segment: the end, a
// stable character, or any character NFKC does not attach to the one before.
func boundaryAt(src string, i int) bool {
	if i >= len(src) || src[i] < utf8.RuneSelf {
		return true
	}
	if r, _ := utf8.DecodeRuneInString(src[i:]); nfkcStable(r) {
		return true
	}
	return norm.NFKC.PropertiesString(src[i:]).BoundaryBefore()
}

// writeASCII writes one ASCII byte: lower case, controls as spaces, a hyphen
// between katakana as ー.
func (n *normText) writeASCII(src string, c byte, i int) {
	switch {
	case 'A' <= c && c <= 'Z':
		c += 'a' - 'A'
	case c < ' ' && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
		c = ' '
	case c == '-' && isKatakana(n.prev) && isKatakana(nextRune(src, i+1)):
		n.writeRune(src, 'ー', i, i+1)
		return
	}
	n.text = append(n.text, c)
	n.start = append(n.start, int32(i))
	n.end = append(n.end, int32(i+1))
	n.prev = rune(c)
}

// writeRune appends one normalised rune whose source is src[from:to].
func (n *normText) writeRune(src string, r rune, from, to int) {
	switch {
	case r == utf8.RuneError:
		// keep U+FFFD: a visible stand-in for bytes that were not UTF-8
	case r == '-' && isKatakana(n.prev) && isKatakana(nextRune(src, to)):
		r = 'ー'
	case isDash(r) && isKatakana(n.prev):
		r = 'ー'
	case r == 'ゝ' || r == 'ヽ':
		if isKana(n.prev) {
			r = n.prev
		}
	case r == 'ゞ' || r == 'ヾ':
		if isKana(n.prev) {
			r = voiced(n.prev)
		}
	case isInvisible(r):
		return
	case r < 0x3000:
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			r = ' '
		} else {
			r = unicode.ToLower(r)
		}
	}
	if r == 'ー' && n.prev == 'ー' && len(n.end) >= len("ー") {
		// ーー is an emphatic ー: one mark, whose span covers both
		for i := len(n.end) - len("ー"); i < len(n.end); i++ {
			n.end[i] = int32(to)
		}
		return
	}
	var tmp [utf8.UTFMax]byte
	size := utf8.EncodeRune(tmp[:], r)
	n.text = append(n.text, tmp[:size]...)
	for range size {
		n.start = append(n.start, int32(from))
		n.end = append(n.end, int32(to))
	}
	n.prev = r
}

// nextRune returns the rune at src[i:], or 0 at the end. Half-width katakana
// counts as katakana: NFKC turns it into full-width.
func nextRune(src string, i int) rune {
	if i >= len(src) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	if 0xff66 <= r && r <= 0xff9d {
		return 'ア'
	}
	return r
}

// isDash reports dash-like characters that writers use for the katakana
// long-vowel mark: hyphens, dashes, the minus sign and the box-drawing line.
func isDash(r rune) bool {
	switch r {
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x2500, 0x2501:
		return true
	}
	return false
}

// isInvisible reports characters that carry no text: zero-width spaces and
// joiners, the byte-order mark, the soft hyphen and variation selectors.
func isInvisible(r rune) bool {
	switch {
	case r == 0x00ad, r == 0xfeff, 0x200b <= r && r <= 0x200f, 0x2060 <= r && r <= 0x2064:
		return true
	case 0xfe00 <= r && r <= 0xfe0f, 0xe0100 <= r && r <= 0xe01ef:
		return true
	}
	return false
}

// voiced returns the voiced (dakuten) form of a kana, or the kana itself.
func voiced(r rune) rune {
	for _, row := range voicedRows {
		if row.first <= r && r <= row.last {
			if (r-row.first)%row.step == 0 {
				return r + 1
			}
			return r
		}
	}
	switch r {
	case 'う':
		return 'ゔ'
	case 'ウ':
		return 'ヴ'
	}
	return r
}

// voicedRows are the kana rows where a plain kana is followed by its voiced
// form (and, for は-row, the semi-voiced form) in Unicode order.
var voicedRows = [...]struct{ first, last, step rune }{
	{'か', 'ぢ', 2}, {'つ', 'ど', 2}, {'は', 'ぽ', 3},
	{'カ', 'ヂ', 2}, {'ツ', 'ド', 2}, {'ハ', 'ポ', 3},
}
