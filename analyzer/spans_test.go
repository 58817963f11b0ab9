package analyzer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGramSpansReplay checks that GramSpans finds, without kagome, the span
// of every gram token the full analysis produced.
func TestGramSpansReplay(t *testing.T) {
	texts := []string{
		"サーバーとコンピューターウイルス、ｻｰﾊﾞｰ―管理",
		"iPhone 4Sを買った。Windows 8でサーバー管理",
		"呉泳銘はアリババのCEO（㈱）ＡＩ　ｽﾏﾎ",
		"すごーーい！　ヘアコスメメーカーのスイーツ",
		"",
	}
	files, _ := filepath.Glob("../testdata/articles/*/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	a := Default()
	for _, text := range texts {
		r := a.Analyze(text)
		spans := GramSpans(text, r.Folded)
		for _, g := range r.Grams {
			got, ok := GramTermSpan(spans, g.Term, g.Position)
			if !ok || got.Start != g.Start || got.End != g.End {
				t.Errorf("%q: gram %q at %d: GramSpans gives %v (ok %v), analysis gave [%d,%d)", text[:min(len(text), 40)], g.Term, g.Position, got, ok, g.Start, g.End)
			}
		}
	}
}
