package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index/qparse"
)

// testArticles are short articles written for these tests.
var testArticles = []Article{
	{ID: "a/name", Title: "アリババ、新体制を発表", Category: "it", Source: "テック通信",
		Published: time.Date(2023, 9, 10, 9, 0, 0, 0, jst), Tags: []string{"AI", "クラウド"},
		Body: "アリババグループは、呉泳銘氏が最高経営責任者に就任すると発表した。呉泳銘CEOはAIを中心に据える方針だ。"},
	{ID: "a/tokyo", Title: "東京都が補正予算", Category: "politics", Source: "都政ニュース",
		Published: time.Date(2012, 2, 1, 9, 0, 0, 0, jst),
		Body:      "東京都は1日、防災対策の補正予算案を発表した。都内の学校に非常用電源を置く。"},
	{ID: "a/kyoto", Title: "京都の寺でライトアップ", Category: "life", Source: "関西ウォッチ",
		Published: time.Date(2012, 2, 15, 18, 0, 0, 0, jst),
		Body:      "京都の寺院で夜間のライトアップが始まった。観光客がスマホで写真を撮っていた。"},
	{ID: "a/width", Title: "ＮＴＴドコモ、ｽﾏﾎの新機種", Category: "it", Source: "テック通信",
		Published: time.Date(2012, 3, 5, 10, 0, 0, 0, jst), Tags: []string{"スマホ"},
		Body: "ＮＴＴドコモは、ｽﾏｰﾄﾌｫﾝの新機種を発表した。㈱ドコモ・テクノロジの技術を使い、ＡＩで電池を節約する。サーバー側の処理も速くなった。"},
	{ID: "a/variant", Title: "サーバ管理の新ツール", Category: "it", Source: "テック通信",
		Published: time.Date(2012, 3, 20, 10, 0, 0, 0, jst),
		Body:      "社内サーバの管理を楽にするツールが出た。ユーザ登録は不要で、タブレットからも使える。"},
}

func openTest(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), testArticles...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(r *Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return strings.Join(out, " ")
}

func TestSearchMatching(t *testing.T) {
	ix := openTest(t)
	tests := []struct {
		query, want string
	}{
		{"呉泳銘", "a/name"},                          // a name the dictionary cuts 呉|泳|銘
		{"京都", "a/kyoto"},                          // not 東京都
		{"東京都", "a/tokyo"},                         //
		{"スマホ", "a/width a/kyoto"},                 // ｽﾏﾎ is スマホ (title first)
		{"ｽﾏﾎ", "a/width a/kyoto"},                 //
		{"サーバー", "a/variant a/width"},              // サーバ and サーバー (title first)
		{"AI OR ＡＩ", "a/name a/width"},             // ＡＩ is AI
		{"ドコモ", "a/width"},                         //
		{"タブ", ""},                                 // not タブレット
		{"京都 -寺", ""},                              //
		{"スマホ OR 呉泳銘", "a/width a/kyoto a/name"},   // any order of the three is fine
		{"title:サーバ", "a/variant"},                 //
		{"category:politics", "a/tokyo"},           //
		{"date:2012-02", "a/tokyo a/kyoto"},        //
		{"発表 since:2012-03 until:2013", "a/width"}, //
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Request{Query: tt.query, Limit: 10})
		if err != nil {
			t.Errorf("%q: %v", tt.query, err)
			continue
		}
		got := ids(res)
		if strings.Contains(tt.query, "OR") || strings.HasPrefix(tt.query, "date:") {
			if len(strings.Fields(got)) != len(strings.Fields(tt.want)) || res.Total != uint64(len(strings.Fields(tt.want))) {
				t.Errorf("%q: got %q, want the set %q", tt.query, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestSnippetsMarkOriginalText(t *testing.T) {
	ix := openTest(t)
	tests := []struct{ query, id, mark string }{
		{"呉泳銘", "a/name", "呉泳銘"},
		{"スマートフォン", "a/width", "ｽﾏｰﾄﾌｫﾝ"},
		{"AI", "a/width", "ＡＩ"},
		{"サーバ", "a/width", "サーバー"},
		{"株", "a/width", "㈱"},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Request{Query: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		var hit *Hit
		for i := range res.Hits {
			if res.Hits[i].ID == tt.id {
				hit = &res.Hits[i]
			}
		}
		if hit == nil {
			t.Errorf("%q: %s not found (%s)", tt.query, tt.id, ids(res))
			continue
		}
		sn := hit.Snippet
		var marked []string
		for _, m := range sn.Marks {
			marked = append(marked, sn.Text[m.Start:m.End])
		}
		if len(marked) == 0 || marked[0] != tt.mark {
			t.Errorf("%q: marks %q in %q, want %q first", tt.query, marked, sn.Text, tt.mark)
		}
		if !strings.Contains(sn.HTML(), "<mark>"+tt.mark+"</mark>") {
			t.Errorf("%q: HTML %q lacks <mark>%s</mark>", tt.query, sn.HTML(), tt.mark)
		}
	}
}

func TestFacets(t *testing.T) {
	ix := openTest(t)
	res, err := ix.Search(context.Background(), Request{Query: "発表", Facets: AllFacets})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 {
		t.Fatalf("発表: %d hits (%s), want 3", res.Total, ids(res))
	}
	count := func(facet, value string) int {
		for _, c := range res.Facets[facet] {
			if c.Value == value {
				return c.Count
			}
		}
		return 0
	}
	for _, c := range []struct {
		facet, value string
		want         int
	}{
		{FacetCategory, "it", 2}, {FacetCategory, "politics", 1}, {FacetCategory, "life", 0},
		{FacetSource, "テック通信", 2}, {FacetTag, "AI", 1},
		{FacetMonth, "2012-02", 1}, {FacetMonth, "2012-03", 1}, {FacetMonth, "2023-09", 1},
		{FacetPerson, "呉泳銘", 1}, {FacetOrg, "ドコモ", 1},
	} {
		if got := count(c.facet, c.value); got != c.want {
			t.Errorf("facet %s %q: %d, want %d (%v)", c.facet, c.value, got, c.want, res.Facets[c.facet])
		}
	}
	months := res.Facets[FacetMonth]
	for i := 1; i < len(months); i++ {
		if months[i-1].Value >= months[i].Value {
			t.Errorf("months out of order: %v", months)
		}
	}
}

func TestSortAndPaging(t *testing.T) {
	ix := openTest(t)
	res, err := ix.Search(context.Background(), Request{Query: "発表", Sort: ByDateDesc, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); got != "a/name a/width" || res.Total != 3 {
		t.Errorf("newest first: %q of %d", got, res.Total)
	}
	res, err = ix.Search(context.Background(), Request{Query: "発表", Sort: ByDateDesc, Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); got != "a/tokyo" {
		t.Errorf("page 2: %q", got)
	}
}

func TestSyntaxErrors(t *testing.T) {
	ix := openTest(t)
	for _, q := range []string{`"unclosed`, `(京都`, `京都)`, `OR 京都`, `since:2012-13`, `title:`} {
		_, err := ix.Search(context.Background(), Request{Query: q})
		var se *qparse.Error
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a *qparse.Error", q, err)
			continue
		}
		if se.Column < 1 || se.Column > len([]rune(q))+1 {
			t.Errorf("%q: column %d", q, se.Column)
		}
	}
}

func TestGetAndFingerprints(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := testArticles[0]
	a.Origin, a.File, a.Fingerprint = "/news", "x/name.txt", "abc"
	if err := ix.Add(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	got, err := ix.Get(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title || got.Body != a.Body || !got.Published.Equal(a.Published) || strings.Join(got.Tags, ",") != "AI,クラウド" {
		t.Errorf("Get = %+v", got)
	}
	if _, err := ix.Get(context.Background(), "nope"); !errors.Is(err, ErrArticleNotFound) {
		t.Errorf("Get(nope) = %v, want ErrArticleNotFound", err)
	}
	fps, err := ix.Fingerprints(context.Background(), []string{a.ID, "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if fp := fps[a.ID]; fp.Origin != "/news" || fp.File != "x/name.txt" || fp.Fingerprint != "abc" || len(fps) != 1 {
		t.Errorf("Fingerprints = %v", fps)
	}
	ids, err := ix.IDsFrom(context.Background(), "/news", "x/name.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != a.ID {
		t.Errorf("IDsFrom = %v", ids)
	}
}

func TestReadersSeeCommits(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(context.Background(), testArticles[:2]...); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second writer: %v, want ErrLocked", err)
	}
	if err := w.Add(context.Background(), testArticles[2:]...); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Count(); n != 2 {
		t.Errorf("reader sees %d articles before the commit, want 2", n)
	}
	if r.Stale() {
		t.Error("reader is stale before the writer commits")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !r.Stale() {
		t.Error("reader is not stale after the writer committed")
	}
	r2, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if n, _ := r2.Count(); n != uint64(len(testArticles)) {
		t.Errorf("new reader sees %d articles, want %d", n, len(testArticles))
	}
}

// TestFacetsAfterMerge writes the articles one batch each, so that Close
// merges several segments into one, and checks what is read from doc
// values there (facets, date order, date range in Stats) against the
// articles themselves.
func TestFacetsAfterMerge(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all []Article
	for round := range 300 {
		for _, a := range testArticles {
			a.ID = fmt.Sprintf("%s/%d", a.ID, round)
			a.Published = a.Published.AddDate(0, 0, -round)
			all = append(all, a)
			if err := ix.Add(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), Request{Facets: AllFacets, Sort: ByDate, Limit: len(all)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{FacetCategory: {}, FacetSource: {}, FacetMonth: {}}
	for _, a := range all {
		want[FacetCategory][a.Category]++
		want[FacetSource][a.Source]++
		want[FacetMonth][a.Published.In(jst).Format("2006-01")]++
	}
	for facet, counts := range want {
		got := map[string]int{}
		for _, c := range res.Facets[facet] {
			got[c.Value] = c.Count
		}
		for v, n := range counts {
			if facet != FacetMonth && len(counts) > 10 {
				t.Fatalf("test needs at most 10 values of %s", facet)
			}
			if got[v] != n {
				t.Errorf("facet %s %q: %d, want %d", facet, v, got[v], n)
			}
		}
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Published.Before(res.Hits[i-1].Published) {
			t.Fatalf("sorted by date, hit %d (%s, %v) comes after %v", i, res.Hits[i].ID, res.Hits[i].Published, res.Hits[i-1].Published)
		}
	}
	first, last := all[0].Published, all[0].Published
	for _, a := range all {
		if a.Published.Before(first) {
			first = a.Published
		}
		if a.Published.After(last) {
			last = a.Published
		}
	}
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.FirstPublished.Equal(first) || !st.LastPublished.Equal(last) {
		t.Errorf("stats: published %v to %v, want %v to %v", st.FirstPublished, st.LastPublished, first, last)
	}
}
