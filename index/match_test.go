package index

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// matchArticles are short articles written for the tests of how queries
// match: spellings, translations, Latin words, relaxing.
var matchArticles = []Article{
	{ID: "m/together", Title: "新端末を発表", Body: "Google Androidの新しい端末が出た。"},
	{ID: "m/apart", Title: "検索と端末", Body: "Googleの検索事業は好調だ。一方、Android向けのアプリも増えた。"},
	{ID: "m/apart2", Title: "地図", Body: "Googleが地図を更新した。Android版も同じだ。"},
	{ID: "m/apart3", Title: "広告", Body: "Googleは広告を見直す。Androidの広告も対象だ。"},
	{ID: "m/apart4", Title: "決算", Body: "Googleの決算は増益だった。Android端末の販売も伸びた。"},
	{ID: "m/apart5", Title: "開発者", Body: "Googleは開発者向けの催しを開く。Androidの新版も披露する。"},
	{ID: "m/mail", Title: "連絡の手段", Body: "メールの送信が速くなった。"},
	{ID: "m/meil", Title: "昔の言い方", Body: "メイルで連絡した。"},
	{ID: "m/font", Title: "書体の配布", Body: "新しいフォントを無料で配布する。"},
	{ID: "m/font-en", Title: "英語の記事", Body: "The font is free. 新しい書体の話だ。"},
	{ID: "m/windows", Title: "対応OS", Body: "Windows 7とOffice 2010に対応した。"},
	{ID: "m/gates", Title: "講演", Body: "ビル・ゲイツ氏が講演した。"},
}

func openMatchTest(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), matchArticles...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// matches returns the hits as id:match, in rank order.
func matches(r *Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID+":"+h.Match)
	}
	return strings.Join(out, " ")
}

func TestMatchKinds(t *testing.T) {
	ix := openMatchTest(t)
	tests := []struct{ query, want string }{
		// the spelling as written first, then another spelling of the word
		{"メイル", "m/meil:word m/mail:variant"},
		{"メール", "m/mail:word m/meil:variant"},
		// the word as written first, then its translation
		{"font", "m/font-en:word m/font:translation"},
		{"フォント", "m/font:word m/font-en:translation"},
		// the dot is optional between katakana names
		{"ビルゲイツ", "m/gates:gram"},
		// filters only
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Request{Query: tt.query, Limit: 20, Sort: ByRelevance})
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		if got := matches(res); got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.query, got, tt.want)
		}
		// without snippets the kinds are found by searching again
		plain, err := ix.Search(context.Background(), Request{Query: tt.query, Limit: 20, NoSnippets: true})
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		if got := matches(plain); got != tt.want {
			t.Errorf("%q without snippets: got %s, want %s", tt.query, got, tt.want)
		}
		for _, h := range res.Hits {
			if h.Score <= 0 && h.Match == MatchWord { // body grams carry no frequencies: other kinds may score 0
				t.Errorf("%q: %s scores %v", tt.query, h.ID, h.Score)
			}
		}
	}
	// sorted by date, the kinds are still told
	res, err := ix.Search(context.Background(), Request{Query: "font", Sort: ByDate})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, h := range res.Hits {
		kinds[h.ID] = h.Match
	}
	if kinds["m/font"] != MatchTranslation || kinds["m/font-en"] != MatchWord {
		t.Errorf("font by date: %v", kinds)
	}
}

func TestLatinWords(t *testing.T) {
	ix := openMatchTest(t)
	tests := []struct{ query, want string }{
		// two names that the articles write apart (one in six together):
		// both words, together first
		{"Google Android", "m/together m/apart m/apart2 m/apart3 m/apart4 m/apart5"},
		// a number binds to the word before it: one name
		{"Windows 7", "m/windows"},
		{"Windows7", "m/windows"},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Request{Query: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		// the first hit as given, the rest in any order
		got, want := strings.Fields(ids(res)), strings.Fields(tt.want)
		if len(got) != len(want) || got[0] != want[0] || res.Relaxed {
			t.Errorf("%q: got %q (relaxed %v), want %q", tt.query, got, res.Relaxed, tt.want)
		}
	}
	// Windows 7 and Windows7 are one phrase, searched once
	res, err := ix.Search(context.Background(), Request{Query: "Windows 7", Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Terms) != 1 || len(res.Terms[0].Variants) != 0 {
		t.Errorf("Windows 7 explained as %+v, want one term without variants", res.Terms)
	}
}

func TestRelaxing(t *testing.T) {
	ix := openMatchTest(t)
	ctx := context.Background()
	tests := []struct {
		query, want, note string
		notice            Notice // without its Message
	}{
		// a name that is not there: its words apart
		{"Office 2013", "m/windows", `no article has all of "Office", "2013"`, Notice{Code: NoticeRelaxedWords, Words: []string{"Office", "2013"}, Min: 1}},
		// words that never meet: any of them
		{"Android メイル", "m/together m/apart m/apart2 m/apart3 m/apart4 m/apart5 m/meil m/mail", `no article has all of "Android", "メイル"`,
			Notice{Code: NoticeRelaxedWords, Words: []string{"Android", "メイル"}, Min: 1}},
		// a quoted phrase: its words apart
		{`"Android Google"`, "m/together m/apart m/apart2 m/apart3 m/apart4 m/apart5", `no article has "Android Google" as written`,
			Notice{Code: NoticeRelaxedPhrases, Words: []string{"Android Google"}}},
	}
	for _, tt := range tests {
		res, err := ix.Search(ctx, Request{Query: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Fields(ids(res))
		want := strings.Fields(tt.want)
		if !res.Relaxed || len(got) != len(want) || !strings.Contains(strings.Join(res.Notes, " "), tt.note) {
			t.Errorf("%q: got %v relaxed=%v notes=%q, want %v relaxed with a note %q", tt.query, got, res.Relaxed, res.Notes, want, tt.note)
		}
		if n := len(res.Notices); n == 0 || !sameNotice(res.Notices[n-1], tt.notice) || res.Notices[n-1].Message != res.Notes[len(res.Notes)-1] {
			t.Errorf("%q: notices %+v, want the last %+v with the last note as its message", tt.query, res.Notices, tt.notice)
		}
		for _, h := range res.Hits {
			if h.Match != MatchRelaxed {
				t.Errorf("%q: %s matched by %s, want %s", tt.query, h.ID, h.Match, MatchRelaxed)
			}
		}
		strict, err := ix.Search(ctx, Request{Query: tt.query, Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		if strict.Total != 0 || strict.Relaxed {
			t.Errorf("%q strict: %d hits, relaxed %v; want none", tt.query, strict.Total, strict.Relaxed)
		}
	}
	// nothing to relax: one word, or words that occur nowhere, or a filter
	for _, q := range []string{"京都", "京都 大阪", "Android category:none"} {
		res, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 || res.Relaxed {
			t.Errorf("%q: %d hits, relaxed %v; want none", q, res.Total, res.Relaxed)
		}
	}
}

func TestLeftOutNotes(t *testing.T) {
	ix := openMatchTest(t)
	res, err := ix.Search(context.Background(), Request{Query: "Googleの"})
	if err != nil {
		t.Fatal(err)
	}
	if ids(res) == "" || !strings.Contains(strings.Join(res.Notes, " "), `"の"`) {
		t.Errorf("Googleの: hits %q, notes %q; want hits and a note about の", ids(res), res.Notes)
	}
	if want := (Notice{Code: NoticeLeftOut, Words: []string{"Googleの"}, Left: []string{"の"}}); len(res.Notices) != 1 || !sameNotice(res.Notices[0], want) {
		t.Errorf("Googleの: notices %+v, want %+v", res.Notices, want)
	}
	res, err = ix.Search(context.Background(), Request{Query: "から"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Notice{Code: NoticeNothingToSearch, Words: []string{"から"}}); res.Total != 0 || len(res.Notices) != 1 || !sameNotice(res.Notices[0], want) {
		t.Errorf("から: %d hits, notices %+v; want none and %+v", res.Total, res.Notices, want)
	}
}

// sameNotice compares notices but for their English message.
func sameNotice(a, b Notice) bool {
	return a.Code == b.Code && slices.Equal(a.Words, b.Words) && slices.Equal(a.Left, b.Left) && a.Min == b.Min
}
