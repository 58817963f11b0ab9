package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/internal/reader"
)

// storyDir holds a small story told in several articles, written for
// these tests: glosses (呉泳銘（エディ・ウー）, 呉泳銘（ごえいめい）,
// アリババグループ（Alibaba Group）, 日本電信電話（NTT）), articles that use
// only one of the names, a rewritten copy, a name the dictionaries read
// (孫正義), and unrelated articles.
const storyDir = "../testdata/knowledge/story"

func storyArticles(t *testing.T) []Article {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(storyDir, "*.md"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no story articles in %s: %v", storyDir, err)
	}
	var out []Article
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		as, err := reader.Parse(name, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			out = append(out, Article{ID: filepath.Base(name), Title: a.Title, Body: a.Body, Published: a.Published, Category: a.Category, Source: a.Source})
		}
	}
	return out
}

func openStory(t *testing.T) (*Index, string) {
	t.Helper()
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(context.Background(), storyArticles(t)...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func ask(t *testing.T, ix *Index, r Request) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("%q: %v", r.Query, err)
	}
	return res
}

// via returns the hits as id:match(:via), in rank order. The story and
// its copy are near-duplicates, of which either may be shown: both are
// named alibaba-ceo.md.
func via(r *Result) string {
	var out []string
	for _, h := range r.Hits {
		s := strings.Replace(h.ID, "alibaba-ceo-copy.md", "alibaba-ceo.md", 1) + ":" + h.Match
		if h.Via != "" {
			s += ":" + h.Via
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestAliasesFromGlosses(t *testing.T) {
	ix, _ := openStory(t)
	tests := []struct{ query, want string }{
		// the articles that write the name as asked first, then those
		// that write only its other name, which the JSON hit names
		{"呉泳銘", "wu-profile.md:word alibaba-ceo.md:word eddie-interview.md:alias:エディ・ウー"},
		{"エディ・ウー", "eddie-interview.md:word alibaba-ceo.md:word wu-profile.md:alias:呉泳銘"},
		{"日本電信電話", "ntt-long.md:word ntt-gloss.md:word ntt-short.md:alias:NTT"},
		{"NTT", "ntt-short.md:word ntt-gloss.md:word ntt-long.md:alias:日本電信電話"},
		// an unrelated word has no aliases
		{"カレー", "curry.md:word"},
	}
	for _, tt := range tests {
		res := ask(t, ix, Request{Query: tt.query, NoSnippets: tt.query == "NTT"})
		if got := via(res); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.query, got, tt.want)
		}
	}
	res := ask(t, ix, Request{Query: "呉泳銘", Explain: true})
	if len(res.Terms) != 1 || !slices.Contains(res.Terms[0].Aliases, "エディ・ウー") {
		t.Errorf("explain of 呉泳銘 names no alias エディ・ウー: %+v", res.Terms)
	}

	list, err := ix.Aliases("呉泳銘")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Alias{}
	for _, ta := range list {
		for _, a := range ta.Aliases {
			got[a.Alias] = a
		}
	}
	for alias, kind := range map[string]string{"エディ・ウー": "katakana", "ごえいめい": "reading"} {
		a, ok := got[alias]
		if !ok || a.Kind != kind || a.Support != 2 || !slices.Equal(a.Articles, []string{"alibaba-ceo-copy.md", "alibaba-ceo.md"}) {
			t.Errorf("alias %s of 呉泳銘: got %+v, want kind %s, support 2 from both versions of the story", alias, a, kind)
		}
	}
	all, err := ix.Aliases("")
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, ta := range all {
		terms = append(terms, ta.Term)
	}
	for _, want := range []string{"アリババグループ", "Alibaba Group", "日本電信電話", "NTT", "呉泳銘"} {
		if !slices.Contains(terms, want) {
			t.Errorf("Aliases() lists %q; want %s among them", terms, want)
		}
	}
}

func TestSearchByReading(t *testing.T) {
	ix, _ := openStory(t)
	tests := []struct{ query, want string }{
		// from the reading glossed in the story: the articles that write
		// the reading itself first
		{"ごえいめい", "alibaba-ceo.md:word wu-profile.md:reading:呉泳銘"},
		// from the dictionaries' readings of the names the articles use,
		// in kana or in romaji
		{"そんまさよし", "son.md:reading:孫正義"},
		{"ソンマサヨシ", "son.md:reading:孫正義"},
		{"son masayoshi", "son.md:reading:孫正義"},
		// a reading of no name the articles use
		{"さとうたろう", ""},
	}
	for _, tt := range tests {
		if got := via(ask(t, ix, Request{Query: tt.query})); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.query, got, tt.want)
		}
	}
}

func TestNearDuplicatesFolded(t *testing.T) {
	ix, _ := openStory(t)
	res := ask(t, ix, Request{Query: "最高経営責任者"})
	if res.Total != 1 || len(res.Hits) != 1 || !slices.Equal(res.Hits[0].Duplicates, []string{"alibaba-ceo.md"}) && !slices.Equal(res.Hits[0].Duplicates, []string{"alibaba-ceo-copy.md"}) {
		t.Fatalf("the story and its copy: got total %d, hits %s %+v; want one hit with the other as its duplicate", res.Total, ids(res), res.Hits)
	}
	all := ask(t, ix, Request{Query: "最高経営責任者", NoCollapse: true})
	if all.Total != 2 || len(all.Hits) != 2 || len(all.Hits[0].Duplicates) != 0 {
		t.Errorf("NoCollapse: got total %d, hits %s; want both, with no duplicates", all.Total, ids(all))
	}
	// pages are cut from the folded list: every article once
	var paged []string
	for off := 0; off < 20; off++ {
		r := ask(t, ix, Request{Query: "アリババ OR 呉泳銘 OR エディ・ウー", Limit: 1, Offset: off, NoSnippets: true})
		if len(r.Hits) == 0 {
			break
		}
		paged = append(paged, r.Hits[0].ID)
	}
	whole := ask(t, ix, Request{Query: "アリババ OR 呉泳銘 OR エディ・ウー", Limit: 20, NoSnippets: true})
	if got, want := strings.Join(paged, " "), ids(whole); got != want || uint64(len(paged)) != whole.Total {
		t.Errorf("one hit a page: %s; all at once: %s (total %d)", got, want, whole.Total)
	}
	for _, id := range paged {
		if id == "alibaba-ceo.md" && slices.Contains(paged, "alibaba-ceo-copy.md") {
			t.Errorf("both the story and its copy are hits: %s", got(paged))
		}
	}
}

func got(s []string) string { return strings.Join(s, " ") }

func TestRelated(t *testing.T) {
	ix, _ := openStory(t)
	res, err := ix.Related(context.Background(), "alibaba-ceo.md", 5)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, h := range res.Hits {
		hits = append(hits, h.ID)
	}
	for _, want := range []string{"eddie-interview.md", "wu-profile.md"} {
		if !slices.Contains(hits, want) {
			t.Errorf("related to alibaba-ceo.md: %s; want %s among them", got(hits), want)
		}
	}
	for _, not := range []string{"alibaba-ceo.md", "alibaba-ceo-copy.md", "weather.md", "curry.md", "baseball.md"} {
		if slices.Contains(hits, not) {
			t.Errorf("related to alibaba-ceo.md: %s; %s is itself, its copy or unrelated", got(hits), not)
		}
	}
	if _, err := ix.Related(context.Background(), "no-such.md", 5); err == nil || !strings.Contains(err.Error(), "no such article") {
		t.Errorf("an unknown ID: got %v, want ErrArticleNotFound", err)
	}
}

func TestEntitiesAsThings(t *testing.T) {
	ix, _ := openStory(t)
	res := ask(t, ix, Request{Query: "アリババ OR 呉泳銘", Facets: []string{FacetPerson}, NoCollapse: true})
	var names []string
	for _, c := range res.Facets[FacetPerson] {
		names = append(names, c.Value)
		if c.Value == "呉泳銘" || c.Value == "エディ・ウー" {
			// the four articles that name him, under either name, each once
			if c.Count != 4 {
				t.Errorf("person %s counts %d articles, want 4", c.Value, c.Count)
			}
		}
	}
	if slices.Contains(names, "呉泳銘") == slices.Contains(names, "エディ・ウー") {
		t.Errorf("person facet %q: want 呉泳銘 and エディ・ウー as one person", names)
	}
	for _, name := range []string{"呉泳銘", "エディ・ウー"} {
		r := ask(t, ix, Request{Query: "person:" + name, NoCollapse: true})
		if got, want := ids(r), "alibaba-ceo-copy.md alibaba-ceo.md eddie-interview.md wu-profile.md"; sortedIDs(r) != want {
			t.Errorf("person:%s finds %s, want %s", name, got, want)
		}
	}
}

func sortedIDs(r *Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestAliasesGoWithTheirArticles(t *testing.T) {
	ix, dir := openStory(t)
	ctx := context.Background()
	if err := ix.Delete(ctx, "alibaba-ceo.md"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	list, _ := ix.Aliases("呉泳銘")
	if len(list) != 1 || list[0].Aliases[0].Support != 1 {
		t.Errorf("one of the two glossing articles deleted: %+v, want support 1", list)
	}
	// an article changed so that it no longer glosses the name takes its
	// support with it too
	copyOf := storyArticles(t)
	for _, a := range copyOf {
		if a.ID == "alibaba-ceo-copy.md" {
			a.Body = strings.NewReplacer("（エディ・ウー）", "", "（ごえいめい）", "").Replace(a.Body)
			if err := ix.Add(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if list, _ := r.Aliases("呉泳銘"); len(list) != 0 {
		t.Errorf("no article glosses 呉泳銘 any more, yet: %+v", list)
	}
	if got := via(ask(t, r, Request{Query: "呉泳銘"})); strings.Contains(got, "eddie-interview.md") {
		t.Errorf("呉泳銘 still finds eddie-interview.md by an alias no article gives: %s", got)
	}
	// and the copy is no longer a duplicate of a deleted article
	if res := ask(t, r, Request{Query: "最高経営責任者"}); len(res.Hits) != 1 || len(res.Hits[0].Duplicates) != 0 {
		t.Errorf("最高経営責任者: %+v", res.Hits)
	}
}

func TestUserAliasesFile(t *testing.T) {
	ix, dir := openStory(t)
	file := filepath.Join(dir, UserAliasesFile)
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("# the user's own\nカレー = ライスカレー, curry rice\n!呉泳銘 = エディ・ウー\n")
	if got := via(ask(t, ix, Request{Query: "呉泳銘"})); strings.Contains(got, "eddie-interview.md") {
		t.Errorf("a blocked pair still finds eddie-interview.md: %s", got)
	}
	if got, want := via(ask(t, ix, Request{Query: "ライスカレー"})), "curry.md:alias:カレー"; got != want {
		t.Errorf("ライスカレー with a user alias: got %s, want %s", got, want)
	}
	list, _ := ix.Aliases("カレー")
	if len(list) != 1 || len(list[0].Aliases) != 2 || list[0].Aliases[0].Kind != "user" {
		t.Errorf("Aliases(カレー): %+v", list)
	}
	// edited: read again at the next query, no re-index
	write("カレー = curry rice\n")
	if got := via(ask(t, ix, Request{Query: "ライスカレー"})); got != "" {
		t.Errorf("ライスカレー after the pair was removed: %s", got)
	}
	if got := via(ask(t, ix, Request{Query: "呉泳銘"})); !strings.Contains(got, "eddie-interview.md:alias") {
		t.Errorf("the block removed, 呉泳銘 misses eddie-interview.md: %s", got)
	}
	write("カレー\n")
	if _, err := ix.Search(context.Background(), Request{Query: "カレー"}); err == nil || !strings.Contains(err.Error(), "aliases.txt:1") {
		t.Errorf("a malformed line: got %v, want an error naming the file and line", err)
	}
}

// The writer's table is written as a base and the changes of each commit;
// a writer reads them back in order (deletions too); the base is written
// anew when the changes add up to half of it; the derived tables of a
// large table wait for a quarter of it to change, or for Close.
func TestKnowledgeLog(t *testing.T) {
	defer func(n int) { knowDerivedEvery = n }(knowDerivedEvery)
	knowDerivedEvery = 0 // every table is large
	ix, dir := openStory(t)
	ctx := context.Background()
	gen := func() string {
		b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, strings.TrimSpace(string(b)))
	}
	logs := func() int {
		l, err := knowLogs(gen())
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	pending := func() bool {
		_, err := os.Stat(filepath.Join(gen(), knowPendingFile))
		return err == nil
	}
	if logs() != 0 || pending() {
		t.Fatalf("first commit: %d change files, pending %v; want the base alone, derived", logs(), pending())
	}
	// one change: a change file; the derived tables wait (1 of 11 changed)
	if err := ix.Delete(ctx, "alibaba-ceo.md"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	if logs() != 1 || !pending() {
		t.Errorf("a deletion committed: %d change files, pending %v; want 1 and pending", logs(), pending())
	}
	if list, _ := ix.Aliases("呉泳銘"); len(list) != 1 || list[0].Aliases[0].Support != 2 {
		t.Errorf("derived tables made before the quarter: %+v", list)
	}
	if err := ix.Close(); err != nil { // final: derived from base and change
		t.Fatal(err)
	}
	if pending() {
		t.Error("closed: still pending")
	}
	r, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := r.Aliases("呉泳銘"); len(list) != 1 || list[0].Aliases[0].Support != 1 {
		t.Errorf("after Close: %+v, want support 1 (the deletion read from the change file)", list)
	}
	r.Close()
	// a new writer reads base and changes: another article, and the
	// deletion is still there; changes past half the table: a new base
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range storyArticles(t) {
		if a.ID == "alibaba-ceo.md" {
			continue
		}
		a.Body += "\n追記。"
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := logs(); n > 2 {
		t.Errorf("10 articles changed in 6 commits: %d change files; want a new base once they passed half the table", n)
	}
	by, err := readKnowTable(filepath.Join(gen(), knowFile))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := knowLogs(gen())
	for _, path := range l {
		if _, err := readKnowRecords(path, func(r knowRecord) {
			if r.K == nil {
				delete(by, r.ID)
			} else {
				by[r.ID] = r.K
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(by) != 10 || by["alibaba-ceo.md"] != nil {
		t.Errorf("table on disk: %d articles (deleted one there: %v), want the 10 left", len(by), by["alibaba-ceo.md"] != nil)
	}
	r, err = Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if list, _ := r.Aliases("呉泳銘"); len(list) != 1 || list[0].Aliases[0].Support != 1 {
		t.Errorf("after a second writer: %+v, want support 1", list)
	}
}

// NamesApart counts and filters by each name as indexed: 呉泳銘 and エディ・ウー
// apart, and person:エディ・ウー finds only the articles that write it.
func TestNamesApart(t *testing.T) {
	ix, _ := openStory(t)
	res := ask(t, ix, Request{Query: "アリババ OR 呉泳銘", Facets: []string{FacetPerson}, NoCollapse: true, NamesApart: true})
	var names []string
	for _, c := range res.Facets[FacetPerson] {
		names = append(names, c.Value)
	}
	if !slices.Contains(names, "呉泳銘") || !slices.Contains(names, "エディ・ウー") {
		t.Errorf("person facet with NamesApart %q: want 呉泳銘 and エディ・ウー apart", names)
	}
	merged := ask(t, ix, Request{Query: "person:エディ・ウー", NoCollapse: true})
	apart := ask(t, ix, Request{Query: "person:エディ・ウー", NoCollapse: true, NamesApart: true})
	if apart.Total == 0 || apart.Total >= merged.Total {
		t.Errorf("person:エディ・ウー: %d articles apart, %d merged; want fewer apart, and some", apart.Total, merged.Total)
	}
}
