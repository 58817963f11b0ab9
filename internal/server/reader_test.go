package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/index"
)

// The article behind a hit, at a URL of its own, with the query's matches.
func TestArticleWithHighlights(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	var a articleJSON
	if status := get(t, ts, "/api/articles/tech/alibaba-ceo.txt?q="+url.QueryEscape("呉泳銘 クラウド"), &a); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	marked := func(text string, spans []index.Span) []string {
		var out []string
		for _, s := range spans {
			out = append(out, text[s.Start:s.End])
		}
		return out
	}
	if got := marked(a.Title, a.TitleHighlights); strings.Join(got, " ") != "呉泳銘" {
		t.Errorf("title highlights %q, want 呉泳銘", got)
	}
	body := marked(a.Body, a.Highlights)
	names, cloud := 0, 0
	for _, m := range body {
		switch m {
		case "呉泳銘":
			names++
		case "クラウド":
			cloud++
		default:
			t.Errorf("body highlight %q is neither word of the query", m)
		}
	}
	if names != strings.Count(a.Body, "呉泳銘") || cloud == 0 {
		t.Errorf("body highlights %q: want every 呉泳銘 (%d) and クラウド", body, strings.Count(a.Body, "呉泳銘"))
	}
	var e errorJSON
	if status := get(t, ts, "/api/articles/tech/alibaba-ceo.txt?q=%22x", &e); status != http.StatusBadRequest || e.Error.Code != "syntax" {
		t.Errorf("a bad q: status %d %+v, want 400 syntax", status, e.Error)
	}
	if status := get(t, ts, "/api/articles/tech/alibaba-ceo.txt?x=1", &e); status != http.StatusBadRequest || e.Error.Param != "x" {
		t.Errorf("an unknown parameter: status %d %+v, want 400 naming it", status, e.Error)
	}
	// the page answers at /articles/ID, so that the link can be shared and reloaded
	resp, err := ts.Client().Get(ts.URL + "/articles/tech/alibaba-ceo.txt?q=" + url.QueryEscape("呉泳銘"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("/articles/ID: status %d %s, want the page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestSuggestAPI(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	var got suggestJSON
	if status := get(t, ts, "/api/suggest?q="+url.QueryEscape("呉泳"), &got); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	found := false
	for _, s := range got.Suggestions {
		found = found || s.Text == "呉泳銘"
	}
	if !found {
		t.Errorf("suggestions for 呉泳: %+v, want 呉泳銘", got.Suggestions)
	}
	var none suggestJSON
	if status := get(t, ts, "/api/suggest?q=", &none); status != http.StatusOK || none.Suggestions == nil || len(none.Suggestions) != 0 {
		t.Errorf("empty q: status %d %+v, want an empty list", status, none)
	}
	var e errorJSON
	if status := get(t, ts, "/api/suggest?q=a&limit=0", &e); status != http.StatusBadRequest || e.Error.Param != "limit" {
		t.Errorf("limit=0: status %d %+v, want 400 naming limit", status, e.Error)
	}
}

// A search that finds nothing suggests the query with its mistyped words
// replaced; categories come with the names to show them by.
func TestZeroHitsCorrectionAndCategoryNames(t *testing.T) {
	dir := t.TempDir()
	if err := indexFolder(dir, "../../testdata/articles"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, index.CategoryNamesFile), []byte("tech\tテクノロジー\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ts := start(t, dir, Config{})
	var got struct {
		Total      int               `json:"total"`
		Correction *index.Correction `json:"correction"`
		Names      map[string]string `json:"category_names"`
	}
	if status := get(t, ts, "/api/search?q="+url.QueryEscape("アリバハ"), &got); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if got.Total != 0 || got.Correction == nil || got.Correction.Query != "アリババ" {
		t.Errorf("アリバハ: %d hits, correction %+v; want none and アリババ suggested", got.Total, got.Correction)
	}
	got.Correction = nil
	if status := get(t, ts, "/api/search?q="+url.QueryEscape("呉泳銘"), &got); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if got.Names["tech"] != "テクノロジー" || got.Correction != nil {
		t.Errorf("呉泳銘: category names %v, correction %+v; want tech named テクノロジー, no correction", got.Names, got.Correction)
	}
	var st struct {
		Names map[string]string `json:"category_names"`
	}
	get(t, ts, "/api/stats", &st)
	if st.Names["tech"] != "テクノロジー" {
		t.Errorf("stats: category names %v, want tech named", st.Names)
	}
}
