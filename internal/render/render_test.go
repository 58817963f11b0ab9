package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// Text an article brings (title, snippet, URL, ID, facets) reaches the
// terminal without control characters: an ESC or BEL in a file used to be
// printed as it was, and the terminal obeyed it (cleared the screen, set
// its title). Marks stay on the right text.
func TestTextPrintsNoControlCharactersFromArticles(t *testing.T) {
	title := "\x1b[2J\x1b[31m赤い見出し"
	i := strings.Index(title, "見出し")
	res := &index.Result{
		Query: "見出し\x07", Total: 1,
		Hits: []index.Hit{{
			ID: "e1\x1b[8m", Title: title, TitleMarks: []index.Span{{Start: i, End: i + len("見出し")}},
			URL: "https://x/\x1b[5m", Category: "cat\u009b31m", Source: "src\x7f",
			Published: time.Date(2012, 2, 20, 13, 0, 0, 0, time.UTC),
			Snippet:   index.Snippet{Text: "本文\x1b]0;pwned\x07です\nつぎ\tの行"},
		}},
		Facets: map[string][]index.Count{"tag": {{Value: "tag\x1b[1m", Count: 1}}, "month": {{Value: "2012-02\x1b", Count: 1}}},
	}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		Text(&b, res, 0, "relevance", Style{Color: color})
		out := b.String()
		if !color && !strings.Contains(out, "赤い[見出し]") {
			t.Errorf("the title's mark is lost:\n%s", out)
		}
		ours := strings.NewReplacer(markOn, "", markOff, "", dimOn, "", boldOn, "").Replace(out)
		for _, r := range ours {
			if r != '\n' && isControl(r) {
				t.Errorf("color %t: control character %U in the output:\n%q", color, r, out)
				break
			}
		}
		if !strings.Contains(out, "本文\uFFFD]0;pwned\uFFFDです つぎ の行") {
			t.Errorf("color %t: the snippet's controls are not replaced, or its line end and tab are not spaces:\n%q", color, out)
		}
	}
}
