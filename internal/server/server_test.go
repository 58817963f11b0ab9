package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
	"github.com/newsearch/newsearch/internal/render"
)

// The sample articles, indexed once for the package's tests.
var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{sampleDir, urlIndexDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// sampleIndex returns the directory of an index of testdata/articles.
// Tests only read it.
func sampleIndex(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		sampleDir, sampleErr = os.MkdirTemp("", "newsearch-server-test-")
		if sampleErr != nil {
			return
		}
		sampleErr = indexFolder(sampleDir, "../../testdata/articles")
	})
	if sampleErr != nil {
		t.Fatalf("index the sample articles: %v", sampleErr)
	}
	return sampleDir
}

func indexFolder(dir, folder string) error {
	ix, err := index.Open(dir)
	if err != nil {
		return err
	}
	sum, err := ingest.Run(context.Background(), ix, []string{folder}, ingest.Options{})
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err == nil && sum.Failed > 0 {
		err = fmt.Errorf("%d files failed: %v", sum.Failed, sum.Failures)
	}
	return err
}

// start serves the index in dir on a test server.
func start(t *testing.T, dir string, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	cfg.Dir = dir
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return srv, ts
}

// get fetches path and decodes the JSON answer into v (unless v is nil),
// returning the status.
func get(t *testing.T, ts *httptest.Server, path string, v any) int {
	t.Helper()
	return do(t, ts, http.MethodGet, path, v)
}

func do(t *testing.T, ts *httptest.Server, method, path string, v any) int {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); method != http.MethodHead && !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, want JSON; body %.200s", method, path, ct, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s %s: %v in %.300s", method, path, err, body)
		}
	}
	return resp.StatusCode
}

// searchJSON is the part of /api/search's answer the tests look at.
type searchJSON struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	Hits  []struct {
		ID        string    `json:"id"`
		Title     string    `json:"title"`
		Published time.Time `json:"published"`
		Category  string    `json:"category"`
		Snippet   string    `json:"snippet"`
	} `json:"hits"`
	Facets map[string][]index.Count `json:"facets"`
	Error  render.Error             `json:"error"`
}

func search(t *testing.T, ts *httptest.Server, params url.Values) (searchJSON, int) {
	t.Helper()
	var out searchJSON
	status := get(t, ts, "/api/search?"+params.Encode(), &out)
	return out, status
}

func TestSearchFindsTheNameAndMarksIt(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	got, status := search(t, ts, url.Values{"q": {"呉泳銘"}})
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200 (error %q)", status, got.Error.Message)
	}
	if got.Total != 1 || len(got.Hits) != 1 || got.Hits[0].ID != "tech/alibaba-ceo.txt" {
		t.Fatalf("got %d hits %+v, want tech/alibaba-ceo.txt alone", got.Total, got.Hits)
	}
	if !strings.Contains(got.Hits[0].Snippet, "<mark>呉泳銘</mark>") {
		t.Errorf("snippet %q does not mark 呉泳銘", got.Hits[0].Snippet)
	}
	for _, f := range index.AllFacets {
		if _, ok := got.Facets[f]; !ok {
			t.Errorf("facet %s missing by default; got %v", f, got.Facets)
		}
	}
}

func TestSearchParameters(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	all, _ := search(t, ts, url.Values{"limit": {"100"}, "facet": {"none"}})
	if all.Total < 5 {
		t.Fatalf("an empty query matched %d articles, want every sample article", all.Total)
	}

	t.Run("limit and offset page through", func(t *testing.T) {
		first, _ := search(t, ts, url.Values{"limit": {"2"}})
		second, _ := search(t, ts, url.Values{"limit": {"2"}, "offset": {"2"}})
		if len(first.Hits) != 2 || len(second.Hits) != 2 {
			t.Fatalf("got %d and %d hits, want 2 and 2", len(first.Hits), len(second.Hits))
		}
		if first.Hits[0].ID == second.Hits[0].ID || first.Hits[1].ID == second.Hits[0].ID {
			t.Errorf("offset 2 repeats a hit of the first page: %v then %v", first.Hits, second.Hits)
		}
	})
	t.Run("limit 0 counts without hits", func(t *testing.T) {
		got, status := search(t, ts, url.Values{"q": {"発表"}, "limit": {"0"}})
		some, _ := search(t, ts, url.Values{"q": {"発表"}, "limit": {"1"}})
		if status != http.StatusOK || got.Total == 0 || got.Total != some.Total || len(got.Hits) != 0 || len(got.Facets["category"]) == 0 {
			t.Errorf("limit=0: status %d, total %d (want %d), %d hits, facets %v; want the count and facets, no hits", status, got.Total, some.Total, len(got.Hits), got.Facets)
		}
		if len(some.Hits) != 1 || some.Hits[0].Snippet == "" {
			t.Errorf("limit=1 after limit=0: %+v, want a hit with its snippet (a cached answer of limit=0 must not be served)", some.Hits)
		}
	})
	t.Run("sort -date is newest first", func(t *testing.T) {
		got, _ := search(t, ts, url.Values{"sort": {"-date"}, "limit": {"100"}})
		for i := 1; i < len(got.Hits); i++ {
			if got.Hits[i].Published.After(got.Hits[i-1].Published) {
				t.Errorf("hit %d (%s) is newer than hit %d (%s)", i, got.Hits[i].Published, i-1, got.Hits[i-1].Published)
			}
		}
	})
	t.Run("facet names the facets counted", func(t *testing.T) {
		got, _ := search(t, ts, url.Values{"facet": {"category,month"}})
		if len(got.Facets) != 2 || got.Facets["category"] == nil || got.Facets["month"] == nil {
			t.Errorf("facets %v, want category and month only", got.Facets)
		}
		none, _ := search(t, ts, url.Values{"facet": {"none"}})
		if len(none.Facets) != 0 {
			t.Errorf("facet=none gave %v", none.Facets)
		}
	})
	t.Run("category filter narrows", func(t *testing.T) {
		got, _ := search(t, ts, url.Values{"q": {"category:tech"}, "limit": {"100"}})
		if got.Total == 0 || got.Total >= all.Total {
			t.Fatalf("category:tech matched %d of %d", got.Total, all.Total)
		}
		for _, h := range got.Hits {
			if h.Category != "tech" {
				t.Errorf("hit %s has category %q", h.ID, h.Category)
			}
		}
	})
	t.Run("since and until bound the dates", func(t *testing.T) {
		got, _ := search(t, ts, url.Values{"since": {"2023-01"}, "until": {"2023-12"}, "limit": {"100"}})
		if got.Total == 0 || got.Total >= all.Total {
			t.Fatalf("2023 matched %d of %d", got.Total, all.Total)
		}
		for _, h := range got.Hits {
			if h.Published.Year() != 2023 {
				t.Errorf("hit %s published %s, outside 2023", h.ID, h.Published)
			}
		}
	})
}

func TestSearchRejectsBadParameters(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	for _, tc := range []struct {
		name   string
		params url.Values
		want   string // in the error message
		code   string // the error's code
		param  string // the parameter it names (bad_parameter), or the syntax error's reason
		column int    // of a syntax error
	}{
		{"limit not a number", url.Values{"limit": {"abc"}}, "limit", render.CodeBadParameter, "limit", 0},
		{"limit negative", url.Values{"limit": {"-1"}}, "limit", render.CodeBadParameter, "limit", 0},
		{"limit too large", url.Values{"limit": {"1000000"}}, "limit", render.CodeBadParameter, "limit", 0},
		{"offset negative", url.Values{"offset": {"-1"}}, "offset", render.CodeBadParameter, "offset", 0},
		{"offset not a number", url.Values{"offset": {"1e3"}}, "offset", render.CodeBadParameter, "offset", 0},
		{"offset too deep", url.Values{"offset": {"100001"}}, "offset", render.CodeBadParameter, "offset", 0},
		{"unknown sort", url.Values{"sort": {"foo"}}, "sort", render.CodeBadParameter, "sort", 0},
		{"unknown facet", url.Values{"facet": {"foo"}}, "facet", render.CodeBadParameter, "facet", 0},
		{"unknown facet in a list", url.Values{"facet": {"category,foo"}}, "facet", render.CodeBadParameter, "facet", 0},
		{"unbalanced quote", url.Values{"q": {`"日本 代表`}}, "quote", render.CodeSyntax, "unterminated_quote", 1},
		{"unmatched paren", url.Values{"q": {"(iPad OR iPhone"}}, "query syntax", render.CodeSyntax, "unmatched_open", 1},
		{"bad date in the query", url.Values{"q": {"京都 since:2012-13"}}, "cannot read date", render.CodeSyntax, "bad_date", 4},
		{"query too long", url.Values{"q": {strings.Repeat("あ", MaxQueryRunes+1)}}, "limit is 1000", render.CodeSyntax, "too_long", MaxQueryRunes + 1},
		{"bad since", url.Values{"since": {"yesterday"}}, "since", render.CodeBadParameter, "since", 0},
		{"bad until", url.Values{"until": {"2012-13"}}, "until", render.CodeBadParameter, "until", 0},
		{"q twice", url.Values{"q": {"a", "b"}}, "once", render.CodeBadParameter, "q", 0},
		{"bad explain", url.Values{"explain": {"maybe"}}, "explain", render.CodeBadParameter, "explain", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, status := search(t, ts, tc.params)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; answer %+v", status, got)
			}
			e := got.Error
			if !strings.Contains(e.Message, tc.want) {
				t.Errorf("error %q does not mention %q", e.Message, tc.want)
			}
			detail := e.Param
			if e.Code == render.CodeSyntax {
				detail = e.Reason
			}
			if e.Code != tc.code || detail != tc.param || e.Column != tc.column {
				t.Errorf("error %+v: want code %q, %q and column %d", e, tc.code, tc.param, tc.column)
			}
		})
	}
	t.Run("a query of the longest length is fine", func(t *testing.T) {
		got, status := search(t, ts, url.Values{"q": {strings.Repeat("あ", MaxQueryRunes)}})
		if status != http.StatusOK {
			t.Errorf("status %d (%q), want 200", status, got.Error.Message)
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		var got errorJSON
		if status := get(t, ts, "/api/search?q=%ff%fe", &got); status != http.StatusBadRequest || got.Error.Message == "" || got.Error.Code != render.CodeBadParameter {
			t.Errorf("status %d error %+v, want 400 bad_parameter with a message", status, got.Error)
		}
	})
	t.Run("the error is an object", func(t *testing.T) {
		var raw map[string]map[string]any
		if status := get(t, ts, "/api/search?q=%22x", &raw); status != http.StatusBadRequest {
			t.Fatalf("status %d", status)
		}
		e := raw["error"]
		if e["code"] != "syntax" || e["column"] != 1.0 || e["message"] == "" {
			t.Errorf(`answer %v, want {"error": {"code": "syntax", "message": ..., "column": 1}}`, raw)
		}
	})
}

func TestArticle(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	for _, path := range []string{
		"/api/articles/tech/alibaba-ceo.txt",   // the slash as it is
		"/api/articles/tech%2Falibaba-ceo.txt", // or escaped
	} {
		var a articleJSON
		if status := get(t, ts, path, &a); status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, status)
		}
		if a.ID != "tech/alibaba-ceo.txt" || !strings.Contains(a.Title, "呉泳銘") || !strings.Contains(a.Body, "浙江省") {
			t.Errorf("GET %s: got %+v, want the whole Alibaba article", path, a)
		}
	}
	for _, path := range []string{"/api/articles/no/such.txt", "/api/articles/", "/api/articles/tech"} {
		var e errorJSON
		if status := get(t, ts, path, &e); status != http.StatusNotFound || e.Error.Message == "" {
			t.Errorf("GET %s: status %d error %q, want 404 with a message", path, status, e.Error.Message)
		}
	}
}

func TestStatsAndHealth(t *testing.T) {
	srv, ts := start(t, sampleIndex(t), Config{})
	var st index.Stats
	if status := get(t, ts, "/api/stats", &st); status != http.StatusOK {
		t.Fatalf("stats: status %d", status)
	}
	if st.Articles < 5 || len(st.Categories) == 0 || st.Generation != srv.Generation() {
		t.Errorf("stats %+v: want the sample articles, their categories and generation %s", st, srv.Generation())
	}
	// where the index lies on the server is not the client's business
	var raw map[string]any
	get(t, ts, "/api/stats", &raw)
	if dir, ok := raw["dir"]; ok {
		t.Errorf("/api/stats tells the index's path on the server: %v", dir)
	}
	var h struct {
		Status     string `json:"status"`
		Generation string `json:"generation"`
		Articles   uint64 `json:"articles"`
	}
	if status := get(t, ts, "/healthz", &h); status != http.StatusOK || h.Status != "ok" || h.Articles != st.Articles {
		t.Errorf("healthz: status %d %+v, want ok with %d articles", status, h, st.Articles)
	}
}

func TestUnknownPaths(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	for _, path := range []string{"/nope", "/api", "/api/nope", "/api/search/more", "/static/nope.js", "/static/", "/index.html", "/healthz/x"} {
		var e errorJSON
		if status := get(t, ts, path, &e); status != http.StatusNotFound || e.Error.Message == "" {
			t.Errorf("GET %s: status %d error %q, want 404 with a message", path, status, e.Error.Message)
		}
	}
}

func TestNoPathTraversal(t *testing.T) {
	srv, _ := start(t, sampleIndex(t), Config{})
	for _, path := range []string{
		"/static/../server.go", "/static/%2e%2e/server.go", "/static/..%2fserver.go",
		"/../../go.mod", "/static/../../../go.mod", "/api/articles/../../../../etc/passwd",
	} {
		// straight to the handler: an HTTP client would clean the path
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = &url.URL{Path: mustUnescape(t, path), RawPath: path}
		srv.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code == http.StatusOK || strings.Contains(body, "package server") || strings.Contains(body, "module ") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: status %d, body %.100q: a file outside the embedded page leaked", path, rec.Code, body)
		}
	}
}

func mustUnescape(t *testing.T, p string) string {
	s, err := url.PathUnescape(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWrongMethods(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	for _, path := range []string{"/api/search?q=x", "/api/articles/tech/alibaba-ceo.txt", "/api/stats", "/healthz", "/", "/static/app.js"} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("{}"))
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var e errorJSON
			err = json.NewDecoder(resp.Body).Decode(&e)
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed || err != nil || e.Error.Message == "" || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: status %d, Allow %q, error %q (%v); want 405 JSON with Allow: GET, HEAD",
					method, path, resp.StatusCode, resp.Header.Get("Allow"), e.Error.Message, err)
			}
		}
	}
	if status := do(t, ts, http.MethodHead, "/api/stats", nil); status != http.StatusOK {
		t.Errorf("HEAD /api/stats: status %d, want 200", status)
	}
}

func TestPage(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	for _, tc := range []struct{ path, contentType, contains string }{
		{"/", "text/html", "検索"},
		{"/?q=%E5%91%89%E6%B3%B3%E9%8A%98", "text/html", `id="q"`},
		{"/static/app.js", "text/javascript", "pushState"},
		{"/static/style.css", "text/css", "mark"},
		{"/static/favicon.svg", "image/svg+xml", "<svg"},
	} {
		resp, err := ts.Client().Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: status %d, Content-Type %q, body has %q: %v; want 200 %s", tc.path, resp.StatusCode,
				resp.Header.Get("Content-Type"), tc.contains, strings.Contains(string(body), tc.contains), tc.contentType)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q does not keep scripts to the page's own", tc.path, csp)
		}
		// a second visit revalidates and gets 304
		req, _ := http.NewRequest(http.MethodGet, ts.URL+tc.path, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		again, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		again.Body.Close()
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: status %d, want 304", tc.path, again.StatusCode)
		}
	}
}

func TestPanicIsA500WithoutStack(t *testing.T) {
	var logged strings.Builder
	var mu sync.Mutex
	s := &Server{cfg: Config{Logf: func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&logged, f, a...)
	}}}
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom in handler") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil))
	var e errorJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d body %q (%v), want 500 JSON", rec.Code, rec.Body, err)
	}
	if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("the answer %q shows the panic", rec.Body)
	}
	if !strings.Contains(logged.String(), "boom in handler") || !strings.Contains(logged.String(), "goroutine") {
		t.Errorf("the log %q lacks the panic and its stack", logged.String())
	}
}

func TestSearchTimeout(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{RequestTimeout: time.Nanosecond})
	got, status := search(t, ts, url.Values{"q": {"呉泳銘"}})
	if status != http.StatusServiceUnavailable || !strings.Contains(got.Error.Message, "took longer") {
		t.Errorf("status %d error %q, want 503 saying the request took too long", status, got.Error.Message)
	}
}

func TestClosedServerAnswers503(t *testing.T) {
	srv, ts := start(t, sampleIndex(t), Config{})
	srv.Close()
	var e errorJSON
	if status := get(t, ts, "/api/search?q=x", &e); status != http.StatusServiceUnavailable || e.Error.Message == "" {
		t.Errorf("after Close: status %d error %q, want 503", status, e.Error.Message)
	}
}
