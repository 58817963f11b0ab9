package reader

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func mustEncode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

// TestDecodeDetect checks which encoding is chosen, especially for short
// texts, where Shift_JIS and EUC-JP are easiest to confuse.
func TestDecodeDetect(t *testing.T) {
	tests := []struct {
		name     string
		enc      encoding.Encoding // nil: text as UTF-8 bytes
		text     string
		wantEnc  string
		wantText string // "" means text
	}{
		{"ascii", nil, "Apple unveils new chips", encUTF8, ""},
		{"utf-8", nil, "新型スマホ発表", encUTF8, ""},
		{"sjis", japanese.ShiftJIS, "新型スマホを発表、価格は未定", encShiftJIS, ""},
		{"sjis kana only", japanese.ShiftJIS, "テスト", encShiftJIS, ""},
		{"sjis kanji only", japanese.ShiftJIS, "決算発表", encShiftJIS, ""},
		{"sjis half-width kana", japanese.ShiftJIS, "ｿﾌﾄｳｪｱの更新を配信", encShiftJIS, ""},
		{"sjis cp932 symbols", japanese.ShiftJIS, "①売上高は～100億円、㈱を含む", encShiftJIS, ""},
		{"euc-jp", japanese.EUCJP, "新型スマホを発表、価格は未定", encEUCJP, ""},
		{"euc-jp kana only", japanese.EUCJP, "テスト", encEUCJP, ""},
		{"euc-jp kanji only", japanese.EUCJP, "決算発表", encEUCJP, ""},
		{"iso-2022-jp", japanese.ISO2022JP, "新型スマホを発表", encISO2022JP, ""},
		{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "新型スマホ", encUTF16, ""},
		{"utf-16be", unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "新型スマホ", encUTF16, ""},
		{"latin-1", charmap.ISO8859_1, "café crème", encUTF8, "caf\uFFFD cr\uFFFDme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.text)
			if tt.enc != nil {
				data = mustEncode(t, tt.enc, tt.text)
			}
			want := tt.wantText
			if want == "" {
				want = tt.text
			}
			got, gotEnc, err := decodeDetect(data)
			if err != nil {
				t.Fatalf("decodeDetect(% x) error: %v", data, err)
			}
			if gotEnc != tt.wantEnc || got != want {
				t.Errorf("decodeDetect(% x) = %q, %s; want %q, %s", data, got, gotEnc, want, tt.wantEnc)
			}
		})
	}
}

// TestDecodeBrokenUTF8 checks that UTF-8 with a few broken bytes stays
// UTF-8 (with U+FFFD) rather than being read as Shift_JIS nonsense.
func TestDecodeBrokenUTF8(t *testing.T) {
	text := "国内の通信大手は、新しい料金プランを発表した。"
	for _, cut := range []int{3, 4, len(text) - 1} {
		data := []byte(text[:cut] + text[cut+1:]) // drop one byte of a character
		got, enc, err := decodeDetect(data)
		if err != nil {
			t.Fatal(err)
		}
		if enc != encUTF8 || !strings.Contains(got, "\uFFFD") || !strings.Contains(got, "発表") {
			t.Errorf("decodeDetect(text without byte %d) = %q, %s; want UTF-8 with U+FFFD", cut, got, enc)
		}
	}
}

func TestDecodeBinary(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"nul", []byte("abc\x00"), "binary file (NUL byte at offset 3)"},
		{"controls", []byte("a\x01b\x02c\x03d\x04"), "binary file (4 control bytes in 8)"},
		{"del", []byte("\x7f\x7f\x7fabc"), "binary file (3 control bytes in 6)"},
		{"utf-16 with nul", append([]byte{0xFF, 0xFE}, 'a', 0, 0, 0), "binary file (NUL byte at offset 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.data)
			if !errors.Is(err, ErrBinary) {
				t.Fatalf("decode(%q) error = %v, want ErrBinary", tt.data, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decode(%q) error = %q, want it to contain %q", tt.data, err, tt.want)
			}
		})
	}
}

// TestDecodeNotBinary checks that the control characters of ordinary text
// files do not make them binary.
func TestDecodeNotBinary(t *testing.T) {
	for _, s := range []string{
		"tab\tseparated\fform feed\vvertical tab\r\n",
		"one stray \x08 backspace in a long enough line of text to stay under five percent",
		"\x1b$B%F%9%H\x1b(B", // ISO-2022-JP escapes
	} {
		if _, err := decode([]byte(s)); err != nil {
			t.Errorf("decode(%q) error: %v", s, err)
		}
	}
}

func TestDecodeNewlines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\r\n", "a\nb\n"},
		{"a\rb\r", "a\nb\n"},
		{"a\r\n\r\nb", "a\n\nb"},
		{"a\n\rb", "a\n\nb"},
		{"\xEF\xBB\xBFa\r\nb", "a\nb"},
	}
	for _, tt := range tests {
		got, err := decode([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("decode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeHTMLCharset(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{
			"declared shift_jis",
			append([]byte(`<meta charset="shift_jis"><p>`), mustEncode(t, japanese.ShiftJIS, "新製品")...),
			"新製品",
		},
		{
			"declared euc-jp in http-equiv",
			append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"><p>`), mustEncode(t, japanese.EUCJP, "新製品")...),
			"新製品",
		},
		{
			"declared windows-1252",
			append([]byte(`<meta charset="windows-1252"><p>`), mustEncode(t, charmap.Windows1252, "café")...),
			"café",
		},
		{
			"undeclared windows-1252 as browsers read it",
			append([]byte(`<p>`), mustEncode(t, charmap.Windows1252, "café")...),
			"café",
		},
		{
			"declared shift_jis but really utf-8",
			[]byte(`<meta charset="shift_jis"><p>新製品`),
			"新製品",
		},
		{
			"declared utf-8 but really shift_jis",
			append([]byte(`<meta charset="utf-8"><p>`), mustEncode(t, japanese.ShiftJIS, "新製品を発表")...),
			"新製品を発表",
		},
		{
			"utf-8 after 1024 ascii bytes",
			[]byte(`<p>` + strings.Repeat("a", 1100) + "新製品"),
			"新製品",
		},
		{
			"bom beats the declaration",
			append([]byte("\xEF\xBB\xBF"+`<meta charset="shift_jis"><p>`), "新製品"...),
			"新製品",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeHTML(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("decodeHTML(% x) = %q, want it to end with %q", tt.data, got, tt.want)
			}
		})
	}
}
