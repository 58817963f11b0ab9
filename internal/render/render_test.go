package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

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

// A snippet wraps to the terminal by display width (a kanji is two
// columns), each line indented under the title, marks closed at the end of
// a line and opened on the next; a Latin word is not cut.
func TestSnippetsWrapByDisplayWidth(t *testing.T) {
	text := "ソフトバンクモバイルはiPhone 4ユーザーを対象とした新しいキャンペーンを１２月１日から開始する。「iPhone家族無料キャンペーン」は対象の家族に向けたものだ。"
	i := strings.Index(text, "キャンペーン")
	res := &index.Result{Query: "キャンペーン", Total: 1, Hits: []index.Hit{{ID: "a", Title: "見出し",
		Snippet: index.Snippet{Text: text, Marks: []index.Span{{Start: i, End: i + len("キャンペーン")}}}}}}
	for _, width := range []int{40, 41, 60} {
		var b bytes.Buffer
		Text(&b, res, 0, "relevance", Style{Width: width})
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		var snippet []string
		for _, l := range lines {
			if strings.HasPrefix(l, "     ") && !strings.HasPrefix(l, "     a") {
				snippet = append(snippet, l)
			}
		}
		if len(snippet) < 2 {
			t.Fatalf("width %d: the snippet is not wrapped:\n%s", width, b.String())
		}
		var joined strings.Builder
		for _, l := range snippet {
			if w := runewidth.StringWidth(l); w > width {
				t.Errorf("width %d: line %q is %d columns wide", width, l, w)
			}
			if strings.HasPrefix(l, "      ") || !strings.HasPrefix(l, "     ") {
				t.Errorf("width %d: line %q is not indented by 5", width, l)
			}
			if strings.Count(l, "[") != strings.Count(l, "]") {
				t.Errorf("width %d: line %q leaves a mark open", width, l)
			}
			l = strings.TrimPrefix(l, "     ")
			if joined.Len() > 0 && strings.HasSuffix(joined.String(), "iPhone") {
				joined.WriteString(" ") // the space the break took
			}
			joined.WriteString(l)
		}
		got := strings.NewReplacer("[", "", "]", "").Replace(joined.String())
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Errorf("width %d: the lines put together are %q, want the snippet", width, got)
		}
		for _, l := range snippet {
			if strings.HasPrefix(strings.TrimSpace(l), "Phone") || strings.HasPrefix(strings.TrimSpace(l), "。") || strings.HasPrefix(strings.TrimSpace(l), "、") {
				t.Errorf("width %d: line %q starts inside a word or with closing punctuation", width, l)
			}
		}
	}
}

// A bold title stays bold after a highlight: \x1b[0m ended both.
func TestTitleStaysBoldAfterAMark(t *testing.T) {
	title := "新型スマホを発表　スマホ市場に挑む"
	var marks []index.Span
	for at := 0; ; {
		i := strings.Index(title[at:], "スマホ")
		if i < 0 {
			break
		}
		marks = append(marks, index.Span{Start: at + i, End: at + i + len("スマホ")})
		at += i + len("スマホ")
	}
	res := &index.Result{Query: "スマホ", Total: 1, Hits: []index.Hit{{ID: "a", Title: title, TitleMarks: marks}}}
	var b bytes.Buffer
	Text(&b, res, 0, "relevance", Style{Color: true})
	line := strings.Split(b.String(), "\n")[2]
	// after each mark's end, bold again before the text goes on
	for _, part := range strings.Split(line, markOff)[1:] {
		if part != "" && !strings.HasPrefix(part, boldOn) {
			t.Errorf("text after a mark is not bold: %q in %q", part, line)
		}
	}
	if !strings.Contains(line, markOn+"スマホ"+markOff+boldOn+"を発表") {
		t.Errorf("title line %q", line)
	}
}

func TestPlural(t *testing.T) {
	res := &index.Result{Query: "x", Total: 1}
	var b bytes.Buffer
	Text(&b, res, 0, "relevance", Style{})
	if !strings.HasPrefix(b.String(), "1 article matches x") {
		t.Errorf("one hit: %q", b.String())
	}
	res.Total = 2
	b.Reset()
	Text(&b, res, 0, "relevance", Style{})
	if !strings.HasPrefix(b.String(), "2 articles match x") {
		t.Errorf("two hits: %q", b.String())
	}
	if Plural(0, "file") != "0 files" || Plural(1, "file") != "1 file" {
		t.Errorf("Plural: %q %q", Plural(0, "file"), Plural(1, "file"))
	}
}
