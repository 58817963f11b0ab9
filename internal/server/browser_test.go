package server

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// findBrowser returns the Chromium or Chrome to drive: $NEWSEARCH_CHROME,
// else the first one installed.
func findBrowser() string {
	if p := os.Getenv("NEWSEARCH_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless browser for the test, or skips the test
// with -short or when none is installed. The browser lives as long as the
// test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	browser := findBrowser()
	if browser == "" {
		t.Skip("no Chromium or Chrome found (looked for $NEWSEARCH_CHROME, /usr/bin/chromium, chromium-browser, google-chrome): " +
			"install one, e.g. apt-get install chromium, to run the browser test")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // root in a container: the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	// The first call starts the browser, which lives as long as that call's
	// context: no timeout on it; each step gets its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", browser, err)
	}
	return ctx
}

// The search page in a real (headless) browser: type a query, see the
// highlighted hit, narrow by a facet, go back.
func TestSearchPageInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	_, ts := start(t, sampleIndex(t), Config{})

	step := func(what string, f func(context.Context) error) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := f(sctx); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step(what, func(c context.Context) error { return chromedp.Do(c, actions...) })
	}
	text := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		var s string
		step(what, func(c context.Context) (err error) { s, err = chromedp.Run(c, a); return err })
		return s
	}
	// shown waits until the page has drawn the answer to the search in its
	// URL, and returns that URL's query and the count shown.
	shown := func(what string) (url.Values, int) {
		t.Helper()
		do(what, func(c context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool](`document.documentElement.dataset.loading === "false" &&
				document.documentElement.dataset.shown === location.pathname + location.search`)(c, tg)
			return chromedp.Void{}, err
		})
		search := text(what+": read the URL", chromedp.Evaluate[string](`location.search`))
		total := text(what+": read the count", chromedp.Text(chromedp.CSS("#total")))
		v, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
		if err != nil {
			t.Fatalf("%s: URL query %q: %v", what, search, err)
		}
		n, err := strconv.Atoi(strings.ReplaceAll(total, ",", ""))
		if err != nil {
			t.Fatalf("%s: count %q is not a number", what, total)
		}
		return v, n
	}
	back := func(what string) {
		t.Helper()
		step(what, func(c context.Context) error {
			_, err := chromedp.Run(c, chromedp.Evaluate[any](`history.back()`))
			return err
		})
	}

	// screenshot saves the page as PNG in $NEWSEARCH_SCREENSHOTS, else in a
	// temporary folder.
	shots := os.Getenv("NEWSEARCH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	screenshot := func(name string) {
		t.Helper()
		var png []byte
		step("screenshot", func(c context.Context) (err error) {
			png, err = chromedp.Run(c, chromedp.FullScreenshot(100))
			return err
		})
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	// The front page says what the index holds; type the name and press Enter.
	do("open the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#landing h1")))
	if landing := text("read the front page", chromedp.Text(chromedp.CSS("#landing"))); !strings.Contains(landing, "件の記事") {
		t.Errorf("front page %q does not say how many articles there are", landing)
	}
	do("type 呉泳銘", chromedp.SendKeys(chromedp.CSS("#q"), "呉泳銘"+kb.Enter))
	q, total := shown("search 呉泳銘")
	if q.Get("q") != "呉泳銘" || total != 1 {
		t.Fatalf("after typing 呉泳銘: URL query %v, %d hits; want q=呉泳銘 and 1 hit", q, total)
	}
	hit := `li.hit[data-id="tech/alibaba-ceo.txt"]`
	if snippet := text("read the snippet", chromedp.InnerHTML(chromedp.CSS(hit+" .snippet"))); !strings.Contains(snippet, "<mark>呉泳銘</mark>") {
		t.Errorf("snippet %q does not show 呉泳銘 in <mark>", snippet)
	}
	if title := text("read the title", chromedp.InnerHTML(chromedp.CSS(hit+" h2"))); !strings.Contains(title, "<mark>呉泳銘</mark>") {
		t.Errorf("title %q does not show 呉泳銘 in <mark>", title)
	}

	do("show the whole article", chromedp.Click(chromedp.CSS(hit+" .more")), chromedp.WaitVisible(chromedp.CSS(hit+" .body")))
	if body := text("read the whole article", chromedp.Text(chromedp.CSS(hit+" .body"))); !strings.Contains(body, "浙江省") || !strings.Contains(body, "クラウド事業") {
		t.Errorf("the whole article shows %q, want the Alibaba article's body", body)
	}
	screenshot("name-search.png")

	// A broader search, then narrow it with the category facet.
	text("clear the search box", chromedp.Evaluate[string](`document.getElementById("q").value = ""`))
	do("search 発表", chromedp.SendKeys(chromedp.CSS("#q"), "発表"+kb.Enter))
	q, broad := shown("search 発表")
	if q.Get("q") != "発表" || broad < 3 {
		t.Fatalf("after searching 発表: URL query %v, %d hits; want q=発表 and several hits", q, broad)
	}
	facet := `#facets button[data-facet="category"][data-value="business"]`
	facetCount := text("read the business facet", chromedp.Text(chromedp.CSS(facet+" .n")))
	do("click the business facet", chromedp.Click(chromedp.CSS(facet)))
	q, narrow := shown("narrow to business")
	if !strings.Contains(q.Get("q"), "category:business") {
		t.Errorf("after the facet click the URL query is %v, want category:business in q", q)
	}
	if strconv.Itoa(narrow) != facetCount || narrow >= broad {
		t.Errorf("after the facet click: %d hits, want the facet's %s (fewer than %d)", narrow, facetCount, broad)
	}
	var categories []string
	step("read the categories shown", func(c context.Context) (err error) {
		categories, err = chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#hits .cat")].map(e => e.textContent)`))
		return err
	})
	if len(categories) != narrow {
		t.Errorf("%d hits show a category, want %d", len(categories), narrow)
	}
	for _, c := range categories {
		if c != "business" {
			t.Errorf("a hit of category %q is shown after narrowing to business", c)
		}
	}

	screenshot("facet-search.png")

	// Back returns to the broad search, and again to the first one.
	back("back")
	q, total = shown("back to 発表")
	if q.Get("q") != "発表" || total != broad {
		t.Errorf("after Back: URL query %v, %d hits; want q=発表 with %d hits", q, total, broad)
	}
	if input := text("read the search box", chromedp.Value(chromedp.CSS("#q"))); input != "発表" {
		t.Errorf("after Back the search box holds %q, want 発表", input)
	}
	back("back again")
	q, total = shown("back to 呉泳銘")
	if q.Get("q") != "呉泳銘" || total != 1 {
		t.Errorf("after a second Back: URL query %v, %d hits; want q=呉泳銘 with 1 hit", q, total)
	}
	if t.Failed() {
		if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main"))); err == nil {
			t.Logf("the page when the test failed:\n%s", html)
		}
	}
}

// Only http: and https: URLs become links on the page: an article's url of
// javascript:alert(1) used to be put in a link's href as it was.
func TestPageLinksOnlyWebURLs(t *testing.T) {
	ctx := newBrowser(t)
	_, ts := start(t, urlIndex(t), Config{})
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx,
		chromedp.Navigate(ts.URL+"/?q="+url.QueryEscape("リンク")),
		chromedp.WaitVisible(chromedp.CSS("#hits li.hit h2")),
	); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	type hit struct {
		ID    string `json:"id"`
		Href  string `json:"href"`  // the link's href; "" when the title is no link
		Title string `json:"title"` // the title as shown
	}
	hits, err := chromedp.Run(sctx, chromedp.Evaluate[[]hit](`[...document.querySelectorAll("#hits li.hit")].map(li => {
		const a = li.querySelector("h2 a");
		return {id: li.dataset.id, href: a ? a.getAttribute("href") : "", title: li.querySelector("h2").textContent};
	})`))
	if err != nil {
		t.Fatalf("read the hits: %v", err)
	}
	if len(hits) != len(urlArticles) {
		t.Fatalf("the page shows %d hits, want %d: %+v", len(hits), len(urlArticles), hits)
	}
	for _, h := range hits {
		given := urlArticles[h.ID]
		web := strings.HasPrefix(given, "http://") || strings.HasPrefix(given, "https://")
		switch {
		case web && h.Href != given:
			t.Errorf("%s: url %q is shown with the link %q, want it as given", h.ID, given, h.Href)
		case !web && h.Href != "":
			t.Errorf("%s: url %q became the link %q; only http: and https: URLs may", h.ID, given, h.Href)
		}
		if !strings.Contains(h.Title, "リンクの記事") {
			t.Errorf("%s: title %q is not shown", h.ID, h.Title)
		}
	}
}
