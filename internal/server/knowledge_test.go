package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/internal/render"
)

// storyIndex indexes the story of testdata/knowledge (glosses, a
// rewritten copy, unrelated articles) into a new index.
func storyIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	if err := indexFolder(dir, "../../testdata/knowledge/story"); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestKnowledgeAPI(t *testing.T) {
	dir := storyIndex(t)
	_, ts := start(t, dir, Config{})

	// an alias, named by the hit
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID         string   `json:"id"`
			Match      string   `json:"match"`
			Via        string   `json:"via"`
			Duplicates []string `json:"duplicates"`
		} `json:"hits"`
	}
	if st := get(t, ts, "/api/search?"+url.Values{"q": {"呉泳銘"}, "facet": {"none"}}.Encode(), &res); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	dups, alias := 0, false
	for _, h := range res.Hits {
		dups += len(h.Duplicates)
		alias = alias || h.ID == "eddie-interview.md" && h.Match == "alias" && h.Via == "エディ・ウー"
	}
	if res.Total != 3 || dups != 1 || !alias {
		t.Errorf("呉泳銘: %+v; want 3 hits, the story's copy folded, eddie-interview.md by alias via エディ・ウー", res)
	}
	// collapse=false shows the copy
	if st := get(t, ts, "/api/search?"+url.Values{"q": {"呉泳銘"}, "facet": {"none"}, "collapse": {"false"}}.Encode(), &res); st != http.StatusOK || res.Total != 4 {
		t.Errorf("collapse=false: status %d, total %d, want 4", st, res.Total)
	}
	var bad struct {
		Error render.Error `json:"error"`
	}
	if st := get(t, ts, "/api/search?q=a&collapse=maybe", &bad); st != http.StatusBadRequest || bad.Error.Code != render.CodeBadParameter || bad.Error.Param != "collapse" {
		t.Errorf("collapse=maybe: status %d %+v, want 400, bad_parameter collapse", st, bad.Error)
	}

	// related articles
	var rel struct {
		ID   string `json:"id"`
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if st := get(t, ts, "/api/articles/alibaba-ceo.md/related?limit=3", &rel); st != http.StatusOK || len(rel.Hits) == 0 || rel.ID != "alibaba-ceo.md" {
		t.Errorf("related: status %d, %+v", st, rel)
	}
	for _, h := range rel.Hits {
		if h.ID == "alibaba-ceo-copy.md" || h.ID == "alibaba-ceo.md" {
			t.Errorf("related to alibaba-ceo.md lists %s", h.ID)
		}
	}
	if st := get(t, ts, "/api/articles/nothing.md/related", &bad); st != http.StatusNotFound {
		t.Errorf("related of an unknown article: status %d, want 404", st)
	}
	if st := get(t, ts, "/api/articles/alibaba-ceo.md/related?limit=0", &bad); st != http.StatusBadRequest {
		t.Errorf("limit=0: status %d, want 400", st)
	}

	// the aliases, and the user's file read without a restart
	var list []struct {
		Term    string `json:"term"`
		Aliases []struct {
			Alias, Kind string
			Support     int
		} `json:"aliases"`
	}
	if st := get(t, ts, "/api/aliases?term=NTT", &list); st != http.StatusOK || len(list) != 1 || list[0].Aliases[0].Alias != "日本電信電話" || list[0].Aliases[0].Kind != "abbreviation" {
		t.Errorf("aliases of NTT: status %d, %+v", st, list)
	}
	if err := os.WriteFile(filepath.Join(dir, "aliases.txt"), []byte("!NTT = 日本電信電話\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := get(t, ts, "/api/aliases?term=NTT", &list); st != http.StatusOK || len(list) != 0 {
		t.Errorf("aliases of NTT blocked by the user: status %d, %+v", st, list)
	}
	if st := get(t, ts, "/api/search?"+url.Values{"q": {"NTT"}, "facet": {"none"}}.Encode(), &res); st != http.StatusOK || res.Total != 2 {
		t.Errorf("NTT with the pair blocked (a cached answer would say 3): status %d, total %d, want 2", st, res.Total)
	}
}

// The page: a hit with its copy folded says 他 1 件の類似記事 and すべて表示
// shows the copy; a hit found by another name says which; the article's
// page lists 関連記事, without the article's copy, each opening here.
func TestKnowledgeOnThePage(t *testing.T) {
	p := openPage(t, storyIndex(t))
	p.open("/?q=" + url.QueryEscape("呉泳銘"))
	dups := eval[string](p, "read the folded duplicates", `[...document.querySelectorAll("#hits .dups")].map(d => d.textContent).join("|")`)
	if !strings.Contains(dups, "他 1 件の類似記事") {
		t.Errorf("folded duplicates: %q, want 他 1 件の類似記事", dups)
	}
	via := eval[string](p, "read the other names", `[...document.querySelectorAll("#hits li.hit")].filter(li => li.querySelector(".via")).map(li => li.dataset.id + ":" + li.querySelector(".via").textContent).join("|")`)
	if !strings.Contains(via, "eddie-interview.md:「エディ・ウー」として一致") {
		t.Errorf("hits found by another name: %q", via)
	}
	p.click("#hits .dups .showall")
	if v, n := p.shown("every duplicate shown"); v.Get("collapse") != "false" || n != 4 {
		t.Errorf("after すべて表示: URL %v, count %d; want collapse=false and 4", v, n)
	}
	p.open("/articles/alibaba-ceo.md")
	p.wait("the related articles drawn", `document.querySelectorAll("#reader-related li").length > 0`)
	rel := eval[[]string](p, "read the related articles", `[...document.querySelectorAll("#reader-related li")].map(li => li.dataset.id + " " + li.querySelector("a").getAttribute("href"))`)
	for _, r := range rel {
		id, href, _ := strings.Cut(r, " ")
		if id == "alibaba-ceo-copy.md" || id == "alibaba-ceo.md" {
			t.Errorf("関連記事 of alibaba-ceo.md lists %s", id)
		}
		if !strings.HasPrefix(href, "/articles/") {
			t.Errorf("関連記事 %s leads to %q, want its page here", id, href)
		}
	}
	if h := eval[string](p, "read the heading", `document.querySelector("#reader-related h3").textContent`); h != "関連記事" {
		t.Errorf("the related list's heading is %q", h)
	}
}
