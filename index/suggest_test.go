package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// suggestArticles are written for the suggestion and highlight tests.
var suggestArticles = []Article{
	{ID: "s/1", Title: "スマートフォンの新機種を野村克也氏が語る", Body: "野村克也氏はスマートフォンの使い方について話した。野村氏は毎日使うという。"},
	{ID: "s/2", Title: "スマートフォン市場が拡大", Body: "ソニーとパナソニックがスマートフォン市場に新製品を出す。"},
	{ID: "s/3", Title: "スマートウォッチの時代", Body: "ソニーは腕時計型の端末を発表した。スマートフォンと連携する。"},
	{ID: "s/4", Title: "iPhoneの新しいアプリ", Body: "iPhone向けの京都大学発のアプリが人気だ。京都で開発された。"},
}

func openSuggestTest(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), suggestArticles...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSuggest(t *testing.T) {
	ix := openSuggestTest(t)
	ctx := context.Background()
	got, err := ix.Suggest(ctx, "スマート", 5)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range got {
		texts = append(texts, s.Text+"/"+s.Kind)
	}
	// スマートフォン in 3 titles first, as written (the index holds スマートフオン)
	if len(got) == 0 || got[0].Text != "スマートフォン" || got[0].Kind != SuggestWord || got[0].Count != 2 {
		t.Errorf("Suggest(スマート) = %v, want スマートフォン (a word of 2 titles) first", got)
	}
	if !strings.Contains(strings.Join(texts, " "), "スマートウォッチ/word") {
		t.Errorf("Suggest(スマート) = %v, want スマートウォッチ too", texts)
	}
	got, err = ix.Suggest(ctx, "野村", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Text != "野村克也" || got[0].Kind != SuggestPerson {
		t.Errorf("Suggest(野村) = %v, want the person 野村克也", got)
	}
	got, err = ix.Suggest(ctx, "iph", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Text != "iPhone" {
		t.Errorf("Suggest(iph) = %v, want iPhone as written", got)
	}
	if got, _ := ix.Suggest(ctx, "ずっとない", 5); len(got) != 0 {
		t.Errorf("Suggest(ずっとない) = %v, want nothing", got)
	}
}

func TestCorrect(t *testing.T) {
	ix := openSuggestTest(t)
	ctx := context.Background()
	for _, tc := range []struct{ q, want, word, fix string }{
		{"パナソニク 市場 category:x", "パナソニック 市場 category:x", "パナソニク", "パナソニック"},
		{"iPhnoe 京都", "iPhone 京都", "iPhnoe", "iPhone"},
		{"スマートフホン", "スマートフォン", "スマートフホン", "スマートフォン"}, // スマート|フォン to the dictionary
	} {
		c, err := ix.Correct(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if c == nil || c.Query != tc.want || c.Words[tc.word] != tc.fix {
			t.Errorf("Correct(%q) = %+v, want %q (%s for %s)", tc.q, c, tc.want, tc.fix, tc.word)
		}
	}
	for _, q := range []string{"パナソニック", "京都", `"パナソニク"`, "", "category:x", "-パナソニク"} {
		if c, err := ix.Correct(ctx, q); c != nil || err != nil {
			t.Errorf("Correct(%q) = %+v, %v; want nothing to correct", q, c, err)
		}
	}
}

func TestMarks(t *testing.T) {
	ix := openSuggestTest(t)
	ctx := context.Background()
	a, err := ix.Get(ctx, "s/4")
	if err != nil {
		t.Fatal(err)
	}
	title, body, err := ix.Marks(ctx, "s/4", "京都 アプリ")
	if err != nil {
		t.Fatal(err)
	}
	marked := func(text string, marks []Span) string {
		return markup(text, marks, "[", "]", func(s string) string { return s })
	}
	if got, want := marked(a.Title, title), "iPhoneの新しい[アプリ]"; got != want {
		t.Errorf("title marked %q, want %q", got, want)
	}
	if got, want := marked(a.Body, body), "iPhone向けの[京都]大学発の[アプリ]が人気だ。[京都]で開発された。"; got != want {
		t.Errorf("body marked %q, want %q", got, want)
	}
	// an article that has only part of the query: what it has is marked
	_, body, err = ix.Marks(ctx, "s/4", "京都 ソニー")
	if err != nil {
		t.Fatal(err)
	}
	if got := marked(a.Body, body); !strings.Contains(got, "[京都]で") {
		t.Errorf("relaxed: body marked %q, want 京都 marked", got)
	}
	if _, _, err := ix.Marks(ctx, "no/such", "京都"); !errors.Is(err, ErrArticleNotFound) {
		t.Errorf("Marks of an unknown article: %v, want ErrArticleNotFound", err)
	}
	if _, _, err := ix.Marks(ctx, "s/4", `"京都`); err == nil {
		t.Errorf("Marks with a syntax error: no error")
	}
}

func TestCategoryNames(t *testing.T) {
	dir := t.TempDir()
	names, err := CategoryNames(dir)
	if err != nil || names["it-life-hack"] != "ITライフハック" || names["dokujo-tsushin"] != "独女通信" {
		t.Fatalf("CategoryNames without a file = %v, %v; want the livedoor sections", names, err)
	}
	if err := os.WriteFile(filepath.Join(dir, CategoryNamesFile), []byte("# names\ntech\tテクノロジー\nit-life-hack\tIT\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names, err = CategoryNames(dir)
	if err != nil || names["tech"] != "テクノロジー" || names["it-life-hack"] != "IT" {
		t.Errorf("CategoryNames = %v, %v; want the file's names first", names, err)
	}
	if err := os.WriteFile(filepath.Join(dir, CategoryNamesFile), []byte("tech テクノロジー\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CategoryNames(dir); err == nil || !strings.Contains(err.Error(), CategoryNamesFile+":1") {
		t.Errorf("a line without a tab: %v, want an error naming the file and line", err)
	}
}
