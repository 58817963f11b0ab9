package index

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// A body of prose, then a livedoor-style list of related articles.
const listedBody = `新しいスマホの発表会が東京で開かれた。各社の担当者が登壇し、秋に出る機種の特徴を説明した。
会場では多くの来場者が実機に触れていた。

■関連記事
・スマホの電池を長持ちさせるこつ
・格安スマホの選び方【特集】
・タブレットの新機種まとめ`

func TestBoilerplate(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string // the texts found to be boilerplate
	}{
		{"a heading and its list", listedBody, []string{"■関連記事\n・スマホの電池を長持ちさせるこつ\n・格安スマホの選び方【特集】\n・タブレットの新機種まとめ"}},
		{"a marked heading and titles without marks",
			"本文です。記事の内容がここに書かれている。\n\n■関連リンク\nスマホの新機種が登場！\n話題のアプリを紹介\n\nおわり。",
			[]string{"■関連リンク\nスマホの新機種が登場！\n話題のアプリを紹介"}},
		{"a content heading before prose is not boilerplate",
			"■スマホの読書アプリを活用する\nスマートフォン対応の電子書籍サービスが急速に充実してきた。紙の書籍より安価に手に入る。",
			nil},
		{"URLs alone", "本文。\nhttp://example.com/a\nhttps://example.com/b\n", []string{"http://example.com/a\nhttps://example.com/b"}},
		{"one bullet line in prose is not a list", "本文。\n・ひとつだけの項目\n続きの文章です。", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, sp := range boilerplate(tc.body) {
				got = append(got, tc.body[sp.Start:sp.End])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("boilerplate:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A snippet never starts or ends inside a word: the issue saw …マホユーザーは.
func TestSnippetStartsAndEndsBetweenWords(t *testing.T) {
	body := "今年の春に発売されたスマートフォンの売れ行きについて、調査会社がスマホユーザーは増え続けていると発表した。特に若い世代での伸びが大きいという。"
	at := strings.Index(body, "増え続け")
	for _, runes := range []int{20, 30, 40} {
		sn := makeSnippet(body, []Span{{at, at + len("増え")}}, runes, nil)
		text := strings.TrimSuffix(strings.TrimPrefix(sn.Text, ellipsis), ellipsis)
		start := strings.Index(body, text)
		if start < 0 {
			t.Fatalf("snippet %q is not from the body", sn.Text)
		}
		if !wordStart(body, start) || !wordEnd(body, start+len(text)) {
			t.Errorf("%d runes: snippet %q starts or ends inside a word", runes, sn.Text)
		}
		if got := sn.Text[sn.Marks[0].Start:sn.Marks[0].End]; got != "増え" {
			t.Errorf("%d runes: the mark covers %q", runes, got)
		}
	}
}

func TestWordBreaks(t *testing.T) {
	text := "スマホユーザーは新しい端末を行う。iPhone版、2012年の市場「調査」"
	for _, tc := range []struct {
		at         string // before this
		start, end bool   // may a snippet start, end there
	}{
		{"マホ", false, false}, {"ユーザー", false, false}, {"は新", false, true}, {"新しい", true, true}, {"しい", false, false},
		{"い端", false, false}, {"端末", true, true}, {"行う", true, true}, {"う。", false, false}, {"。", false, true},
		{"iPhone", true, true}, {"Phone", false, false}, {"版", false, false}, {"、", false, true}, {"2012", true, true},
		{"年の", false, false}, {"の市", false, false}, {"市場", true, true}, {"「", true, true}, {"調査", true, false},
	} {
		i := strings.Index(text, tc.at)
		if s, e := wordStart(text, i), wordEnd(text, i); s != tc.start || e != tc.end {
			t.Errorf("before %q: start %v end %v, want %v %v", tc.at, s, e, tc.start, tc.end)
		}
	}
}

// Words found by the index are also marked where they begin a longer word
// (京都 in 京都大学), never inside one (京都 in 東京都).
func TestCompoundMarks(t *testing.T) {
	text := "京都大学と東京都、スマホカバーと格安スマホ、ガラケースマホ"
	var got []string
	for _, m := range compoundMarks(text, []string{"京都", "スマホ"}, nil) {
		got = append(got, text[:m.Start]+"["+text[m.Start:m.End]+"]")
	}
	want := []string{"[京都]", "京都大学と東京都、[スマホ]", "京都大学と東京都、スマホカバーと格安[スマホ]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("compound marks:\n got %q\nwant %q", got, want)
	}
}

// The snippets of a search: every match marked in the title and the
// snippet, the window outside the list of related articles, and an
// article whose only matches in the body are in such a list shows its
// opening.
func TestSnippetsOfASearch(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	arts := []Article{
		{ID: "list-only", Title: "スマホで雨に備える", Body: "暑い夏が戻り、連日のように豪雨が都心を襲っている。高機能な携帯電話を使って、少しでも豪雨を避けよう。\n\n■関連記事\n・スマホで暑さを避ける\n・スマホの電池の話"},
		{ID: "compound", Title: "スマホカバーの流行とスマホの夏", Body: "京都大学の研究者が、スマホカバーの素材を調べた。京都で開かれた学会で発表した。"},
	}
	if err := ix.Add(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, Request{Query: "スマホ"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Hit{}
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	marked := func(text string, marks []Span) string {
		return markup(text, marks, "[", "]", func(s string) string { return s })
	}
	if h := byID["list-only"]; !strings.HasPrefix(h.Snippet.Text, "暑い夏が戻り") || strings.Contains(h.Snippet.Text, "関連記事") {
		t.Errorf("list-only: snippet %q, want the opening of the article, not its list of related articles", h.Snippet.Text)
	}
	h := byID["compound"]
	if got := marked(h.Title, h.TitleMarks); got != "[スマホ]カバーの流行と[スマホ]の夏" {
		t.Errorf("compound: title marked %q, want both スマホ marked", got)
	}
	if got := marked(h.Snippet.Text, h.Snippet.Marks); !strings.Contains(got, "[スマホ]カバーの素材") {
		t.Errorf("compound: snippet marked %q, want スマホ of スマホカバー marked", got)
	}
	res, err = ix.Search(ctx, Request{Query: "京都"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == "compound" {
			if got := marked(h.Snippet.Text, h.Snippet.Marks); !strings.Contains(got, "[京都]大学") || !strings.Contains(got, "[京都]で") {
				t.Errorf("京都: snippet marked %q, want 京都 marked in 京都大学 and alone", got)
			}
		}
	}
	if !utf8.ValidString(h.Snippet.Text) {
		t.Errorf("snippet %q is not valid UTF-8", h.Snippet.Text)
	}
}
