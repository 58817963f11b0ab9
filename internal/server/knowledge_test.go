package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
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
		Error string `json:"error"`
	}
	if st := get(t, ts, "/api/search?q=a&collapse=maybe", &bad); st != http.StatusBadRequest || bad.Error == "" {
		t.Errorf("collapse=maybe: status %d %q, want 400", st, bad.Error)
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
