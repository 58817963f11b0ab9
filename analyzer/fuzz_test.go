package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsearch/newsearch/analyzer"
)

// FuzzAnalyze checks that no text makes the analyzer panic, and that for
// valid UTF-8 every token of both analyses keeps the promises highlights
// depend on: 0 <= Start < End <= len(text), text[Start:End] is valid UTF-8,
// positions start at 1 and never decrease. Words and Grams alone must give
// what Analyze gives. Seeded from testdata/analyzer and texts that stress
// normalisation (characters NFKC expands or joins), chunking and scripts.
func FuzzAnalyze(f *testing.F) {
	inputs, _ := filepath.Glob("../testdata/analyzer/*.txt")
	for _, in := range inputs {
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"", " ", "呉泳銘", "京都と東京都", "ＮＴＴドコモのｽﾏﾎ", "サーバー、サーバ、ｻｰﾊﾞｰ",
		"㍿㌔㍻ﾊﾟﾋﾟﾌﾟ", "ﷺ", "ｶﾞｷﾞｸﾞ", "ァィゥェォ", "ーーー", "コーヒーー", "ア゙",
		"A\u0301\u0308ｂ\u200dc", "👨‍👩‍👧‍👦🇯🇵", "\ufeff\r\n\t\u3000", "Windows 7、iPhone 4S、Mac OS X 10.7",
		"１２３４５６７８９０ 1,234.56円 ½ ⅓ Ⅻ ①②", "<b>タグ</b>&amp;", "\x00\x01\x7f",
		strings.Repeat("漢", 1030), strings.Repeat("あ", 2049) + "。", strings.Repeat("ア", 1025) + " 次",
		strings.Repeat("a", 5000), "\xff\xfe不正\xe6\x97", "日本語\xed\xa0\x80",
	} {
		f.Add(s)
	}
	a := analyzer.Default()
	f.Fuzz(func(t *testing.T, text string) {
		r := a.Analyze(text) // no panic, whatever the bytes
		if !utf8.ValidString(text) {
			return
		}
		check := func(kind string, tokens []analyzer.Token) {
			prev := 0
			for i, tok := range tokens {
				if tok.Start < 0 || tok.Start >= tok.End || tok.End > len(text) {
					t.Fatalf("%s %d %q: span [%d, %d) outside [0, %d) of %q", kind, i, tok.Term, tok.Start, tok.End, len(text), text)
				}
				if s := text[tok.Start:tok.End]; !utf8.ValidString(s) {
					t.Fatalf("%s %d %q: span [%d, %d) = %q cuts a character of %q", kind, i, tok.Term, tok.Start, tok.End, s, text)
				}
				if tok.Position < 1 || tok.Position < prev {
					t.Fatalf("%s %d %q: position %d after %d in %q", kind, i, tok.Term, tok.Position, prev, text)
				}
				prev = tok.Position
			}
		}
		check("word", r.Words)
		check("gram", r.Grams)
		if w := a.Words(text); !same(w, r.Words) {
			t.Fatalf("Words(%q) differs from Analyze(...).Words", text)
		}
		if g := a.Grams(text); !same(g, r.Grams) {
			t.Fatalf("Grams(%q) differs from Analyze(...).Grams", text)
		}
	})
}

func same(a, b []analyzer.Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
