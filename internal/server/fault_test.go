package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, format+"\n", args...)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// searchHook returns hooks whose search calls f for the query q and the
// index's own Search for any other.
func searchHook(q string, f func(ctx context.Context)) *hooks {
	h := indexHooks
	h.search = func(ix *index.Index, ctx context.Context, r index.Request) (*index.Result, error) {
		if r.Query == q {
			f(ctx)
		}
		return ix.Search(ctx, r)
	}
	return &h
}

// healthOf fetches /healthz.
func healthOf(t *testing.T, ts *httptest.Server) (healthJSON, int) {
	t.Helper()
	var h healthJSON
	status := get(t, ts, "/healthz", &h)
	return h, status
}

// A panic in one search answers 500 for that request, is logged with its
// stack, and takes nothing with it: its search slot is free again (it used
// to be kept for ever, so with every slot gone all searches answered 503),
// other queries are answered, and /healthz says what happened.
func TestSearchPanicIsA500AndTheServerGoesOn(t *testing.T) {
	var logs logBuffer
	_, ts := start(t, sampleIndex(t), Config{
		MaxSearches:    1,
		RequestTimeout: 2 * time.Second,
		CacheEntries:   -1,
		Logf:           logs.Logf,
		hooks:          searchHook("壊れた", func(context.Context) { panic("boom: a damaged segment") }),
	})
	for i := range 2 {
		got, status := search(t, ts, url.Values{"q": {"壊れた"}})
		if status != http.StatusInternalServerError || got.Error.Message != "internal error" {
			t.Fatalf("panicking search %d: status %d error %q, want 500 internal error", i+1, status, got.Error.Message)
		}
	}
	if l := logs.String(); !strings.Contains(l, "boom: a damaged segment") || !strings.Contains(l, "goroutine") {
		t.Errorf("the log lacks the panic or its stack:\n%s", l)
	}
	for i := range 3 {
		got, status := search(t, ts, url.Values{"q": {"呉泳銘"}})
		if status != http.StatusOK || got.Total != 1 {
			t.Fatalf("search %d after the panics: status %d, %d hits (%q); want 200 with 1 hit", i+1, status, got.Total, got.Error.Message)
		}
	}
	h, status := healthOf(t, ts)
	if status != http.StatusOK || h.Status != "degraded" || h.Panics != 2 || !strings.Contains(strings.Join(h.Problems, " "), "boom") {
		t.Errorf("healthz: status %d %+v; want 200, degraded, 2 panics, the panic named", status, h)
	}
}

// When every search panics, /healthz fails (503) instead of saying ok.
func TestHealthFailsWhenSearchesPanic(t *testing.T) {
	h := indexHooks
	h.search = func(*index.Index, context.Context, index.Request) (*index.Result, error) { panic("boom") }
	_, ts := start(t, sampleIndex(t), Config{Logf: (&logBuffer{}).Logf, hooks: &h})
	if got, _ := healthOf(t, ts); got.Status != "ok" {
		t.Fatalf("healthz before any search: %+v, want ok", got)
	}
	if _, status := search(t, ts, url.Values{"q": {"呉泳銘"}}); status != http.StatusInternalServerError {
		t.Fatalf("search: status %d, want 500", status)
	}
	got, status := healthOf(t, ts)
	if status != http.StatusServiceUnavailable || got.Status != "failing" || !strings.Contains(strings.Join(got.Problems, " "), "test search fails") {
		t.Errorf("healthz: status %d %+v; want 503 failing, saying a test search fails", status, got)
	}
}

// A search that ignores its context does not hold its request: the request
// answers 503 at its time limit, /healthz says the slot is stuck, and the
// slot is free again when the search returns. Shutdown does not wait for
// it.
func TestStuckSearch(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv, ts := start(t, sampleIndex(t), Config{
		MaxSearches:    1,
		RequestTimeout: 200 * time.Millisecond,
		CacheEntries:   -1,
		Logf:           (&logBuffer{}).Logf,
		hooks: searchHook("止まる", func(context.Context) {
			entered <- struct{}{}
			<-release // ignores the context
		}),
	})
	released := sync.OnceFunc(func() { close(release) })
	t.Cleanup(released)

	answered := make(chan int, 1)
	go func() {
		resp, err := ts.Client().Get(ts.URL + "/api/search?q=" + url.QueryEscape("止まる"))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-entered
	select {
	case status := <-answered:
		if status != http.StatusServiceUnavailable {
			t.Errorf("the stuck search answered %d, want 503", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a search that ignores its context held its request for 5 s past its time limit of 200 ms")
	}

	time.Sleep(200*time.Millisecond + stuckGrace)
	h, status := healthOf(t, ts)
	if status != http.StatusServiceUnavailable || h.Status != "failing" || !strings.Contains(strings.Join(h.Problems, " "), "search slots are held") {
		t.Errorf("healthz with the only slot stuck: status %d %+v; want 503 failing, naming the stuck slots", status, h)
	}

	released()
	waitTotal(t, func(v url.Values) (searchJSON, int) { return search(t, ts, v) }, "呉泳銘", 1)
	if h, status := healthOf(t, ts); status != http.StatusOK || h.Status != "ok" {
		t.Errorf("healthz once the search returned: status %d %+v, want ok", status, h)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// A generation whose Close hangs (as it did when a panicking search left
// the index's lock held) blocks neither reloads nor Shutdown: reloads go on
// being picked up, and Shutdown returns at its deadline naming it.
func TestAGenerationThatDoesNotCloseBlocksNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, article("c1", "最初", "量子コンピューターの話題。"))
	hang := make(chan struct{})
	h := indexHooks
	h.close = func(ix *index.Index) error {
		<-hang
		return ix.Close()
	}
	srv, ts := start(t, dir, Config{PollInterval: time.Hour, Logf: (&logBuffer{}).Logf, hooks: &h})
	t.Cleanup(func() { close(hang) })
	first := srv.Generation()

	for i := 2; i <= 3; i++ {
		write(t, dir, article(fmt.Sprintf("c%d", i), "次", "半導体の話題。"))
		done := make(chan error, 1)
		go func() {
			_, err := srv.Reload()
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("reload %d: %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("reload %d did not return within 10 s: closing the old generation blocked it", i)
		}
	}
	if got, status := search(t, ts, url.Values{"q": {"半導体"}}); status != http.StatusOK || got.Total != 2 {
		t.Errorf("after the reloads: status %d, %d hits, want 2", status, got.Total)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), first) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown: %v; want an error naming generation %s, which does not close", err, first)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return within 10 s of its 300 ms deadline")
	}
}

// A newer generation that cannot be opened leaves the old one serving, and
// /healthz says so (degraded) until a reload succeeds.
func TestHealthSaysWhenANewGenerationCannotBeOpened(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, article("d1", "最初", "量子コンピューターの話題。"))
	srv, ts := start(t, dir, Config{PollInterval: time.Hour, Logf: (&logBuffer{}).Logf})
	write(t, dir, article("d2", "次", "半導体の話題。"))
	cur, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if err != nil {
		t.Skipf("the index names its generation some other way than in CURRENT: %v", err)
	}
	gen := filepath.Join(dir, strings.TrimSpace(string(cur)))
	if err := os.Rename(gen, gen+".away"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Reload(); err == nil {
		t.Fatal("a reload to a generation that is gone succeeded")
	}
	h, status := healthOf(t, ts)
	if status != http.StatusOK || h.Status != "degraded" || !strings.Contains(strings.Join(h.Problems, " "), "cannot be opened") {
		t.Errorf("healthz: status %d %+v; want 200 degraded, saying the new generation cannot be opened", status, h)
	}
	if err := os.Rename(gen+".away", gen); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Reload(); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if h, status := healthOf(t, ts); status != http.StatusOK || h.Status != "ok" {
		t.Errorf("healthz after a good reload: status %d %+v, want ok", status, h)
	}
}

// A malformed query string is refused: r.URL.Query() dropped what it could
// not read, so ?q=a;b answered 200 with every article.
func TestMalformedQueryStringIs400(t *testing.T) {
	var serverLog logBuffer
	srv, err := New(Config{Dir: sampleIndex(t), Logf: serverLog.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.Config.ErrorLog = log.New(logWriter(serverLog.Logf), "", 0)
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	for _, tc := range []struct{ query, want string }{
		{"q=a;b", "malformed"},
		{"q=%E5%91%89;limit=3", "malformed"},
		{"%zz", "malformed"},
		{"q=%zz", "malformed"},
		{"q=a&limit=3&x=%", "malformed"},
		{"query=%E5%91%89", `unknown parameter "query"`},
		{"q=x&Limit=3", `unknown parameter "Limit"`},
	} {
		var e errorJSON
		if status := get(t, ts, "/api/search?"+tc.query, &e); status != http.StatusBadRequest || !strings.Contains(e.Error.Message, tc.want) {
			t.Errorf("?%s: status %d error %q; want 400 saying %q", tc.query, status, e.Error.Message, tc.want)
		}
	}
	var h healthJSON
	if status := get(t, ts, "/healthz?a;b", &h); status != http.StatusOK {
		t.Errorf("/healthz?a;b: status %d, want 200 (it reads no parameters)", status)
	}
	if l := serverLog.String(); strings.Contains(l, "semicolon") {
		t.Errorf("a semicolon in a query string is logged by net/http, once for every request:\n%s", l)
	}
}

// Dates outside the years bleve can search are answered (an open bound
// moves to them) or refused with 400 (a date wholly outside them); they
// used to answer 500.
func TestDatesOutsideTheSearchableYears(t *testing.T) {
	_, ts := start(t, sampleIndex(t), Config{})
	all, _ := search(t, ts, url.Values{"limit": {"100"}, "facet": {"none"}})
	dated := 0
	for _, h := range all.Hits {
		if !h.Published.IsZero() {
			dated++
		}
	}
	if dated == 0 {
		t.Fatal("no sample article has a date")
	}
	for _, p := range []url.Values{
		{"q": {"since:0000-01"}}, {"q": {"until:2262"}}, {"q": {"date:1000..3000"}},
		{"since": {"1500"}}, {"until": {"9999-12-31"}}, {"since": {"0000"}, "until": {"3000"}},
	} {
		p.Set("facet", "none")
		got, status := search(t, ts, p)
		if status != http.StatusOK || got.Total != dated {
			t.Errorf("%s: status %d, %d hits (%q); want 200 with the %d dated articles", p.Encode(), status, got.Total, got.Error.Message, dated)
		}
	}
	for _, p := range []url.Values{
		{"q": {"date:1500"}}, {"q": {"since:2262"}}, {"q": {"until:1600-05"}}, {"q": {"date:2013..2012"}},
		{"since": {"2300"}}, {"until": {"1500"}},
	} {
		got, status := search(t, ts, p)
		if status != http.StatusBadRequest || (!strings.Contains(got.Error.Message, "1678 to 2261") && !strings.Contains(got.Error.Message, "before it starts")) {
			t.Errorf("%s: status %d error %q; want 400 naming the years that can be searched", p.Encode(), status, got.Error.Message)
		}
	}
}

// An article's URL is answered as it was given, whatever its scheme: the
// page decides what becomes a link (TestPageLinksOnlyWebURLs).
func TestArticleURLsAreAnsweredAsGiven(t *testing.T) {
	_, ts := start(t, urlIndex(t), Config{})
	got, status := search(t, ts, url.Values{"q": {"リンク"}, "limit": {"100"}})
	if status != http.StatusOK || got.Total != len(urlArticles) {
		t.Fatalf("status %d, %d hits, want %d", status, got.Total, len(urlArticles))
	}
	var hits struct {
		Hits []struct{ ID, URL string } `json:"hits"`
	}
	get(t, ts, "/api/search?limit=100&q="+url.QueryEscape("リンク"), &hits)
	for _, h := range hits.Hits {
		if h.URL != urlArticles[h.ID] {
			t.Errorf("%s: url %q, want %q as given", h.ID, h.URL, urlArticles[h.ID])
		}
	}
}

// urlArticles are articles by ID with the URL each gives.
var urlArticles = map[string]string{
	"https":      "https://example.com/news/1",
	"http":       "http://example.com/news/2",
	"javascript": "javascript:alert(1)",
	"upper":      "JavaScript:alert(document.domain)",
	"spaced":     " \tjavascript:alert(2)",
	"data":       "data:text/html,<script>alert(3)</script>",
	"relative":   "/api/stats",
	"scheme-rel": "//evil.example/x",
	"mailto":     "mailto:someone@example.com",
}

var (
	urlIndexOnce sync.Once
	urlIndexDir  string
)

// urlIndex returns an index of urlArticles, built once per test binary.
func urlIndex(t *testing.T) string {
	t.Helper()
	urlIndexOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsearch-server-urls-")
		if err != nil {
			t.Fatal(err)
		}
		var as []index.Article
		for id, u := range urlArticles {
			a := article(id, "リンクの記事 "+id, "リンクの試験です。")
			a.URL = u
			as = append(as, a)
		}
		write(t, dir, as...)
		urlIndexDir = dir
	})
	if urlIndexDir == "" {
		t.Fatal("the URL index could not be built")
	}
	return urlIndexDir
}
