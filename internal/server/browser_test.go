package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/newsearch/newsearch/index"
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
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
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

// pressKey presses a printable key as a keyboard does: one keyDown that
// carries its text (chromedp's KeyEvent sends the text in an event of its
// own, which a page cannot prevent), then keyUp.
func pressKey(key, code string, vk int64) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code, Text: key, UnmodifiedText: key, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return chromedp.Void{}, err
		}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk}
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return chromedp.Void{}, err
	}
}

// page drives the search page of a test server in a browser.
type page struct {
	t   *testing.T
	ctx context.Context
	ts  *httptest.Server
}

func openPage(t *testing.T, dir string) *page {
	t.Helper()
	ctx := newBrowser(t)
	_, ts := start(t, dir, Config{})
	return &page{t: t, ctx: ctx, ts: ts}
}

// step runs f with a time limit, failing the test with what it was doing.
func (p *page) step(what string, f func(context.Context) error) {
	p.t.Helper()
	sctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
	defer cancel()
	if err := f(sctx); err != nil {
		if html, herr := chromedp.Run(p.ctx, chromedp.OuterHTML(chromedp.CSS("main"))); herr == nil {
			p.t.Logf("the page:\n%.4000s", html)
		}
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	p.step(what, func(c context.Context) error { return chromedp.Do(c, actions...) })
}

// eval evaluates a JavaScript expression into a value of type T.
func eval[T any](p *page, what, js string) T {
	p.t.Helper()
	var v T
	p.step(what, func(c context.Context) (err error) { v, err = chromedp.Run(c, chromedp.Evaluate[T](js)); return err })
	return v
}

// open loads a path of the server and waits until the page has drawn it.
func (p *page) open(path string) {
	p.t.Helper()
	p.do("open "+path, chromedp.Navigate(p.ts.URL+path))
	p.drawn("open " + path)
}

// drawn waits until the page has drawn the answer to the URL it shows.
func (p *page) drawn(what string) {
	p.t.Helper()
	p.do(what, func(c context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](`document.documentElement.dataset.loading === "false" &&
			document.documentElement.dataset.shown === location.pathname + location.search`)(c, tg)
		return chromedp.Void{}, err
	})
}

// wait waits until the JavaScript expression js is true.
func (p *page) wait(what, js string) {
	p.t.Helper()
	p.do(what, func(c context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](js)(c, tg)
		return chromedp.Void{}, err
	})
}

// shown returns the query of the URL shown and the count on the page.
func (p *page) shown(what string) (url.Values, int) {
	p.t.Helper()
	p.drawn(what)
	search := eval[string](p, what+": read the URL", `location.search`)
	total := eval[string](p, what+": read the count", `document.getElementById("total").textContent`)
	v, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if err != nil {
		p.t.Fatalf("%s: URL query %q: %v", what, search, err)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(total, ",", ""))
	if err != nil {
		p.t.Fatalf("%s: count %q is not a number", what, total)
	}
	return v, n
}

func (p *page) text(selector string) string {
	p.t.Helper()
	return eval[string](p, "read "+selector, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, selector))
}

func (p *page) html(selector string) string {
	p.t.Helper()
	return eval[string](p, "read "+selector, fmt.Sprintf(`(document.querySelector(%q) || {}).innerHTML || ""`, selector))
}

func (p *page) click(selector string) {
	p.t.Helper()
	p.do("click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// size sets the viewport, as a phone's (mobile) or a desktop's.
func (p *page) size(w, h int64, mobile bool) {
	p.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	p.do(fmt.Sprintf("resize to %dx%d", w, h), chromedp.EmulateViewport(w, h, opts...))
}

// screenshotDir is where the tests save screenshots: $NEWSEARCH_SCREENSHOTS,
// else a temporary folder of the test.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("NEWSEARCH_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// screenshot saves the whole page as PNG.
func (p *page) screenshot(name string) {
	p.t.Helper()
	var png []byte
	p.step("screenshot "+name, func(c context.Context) (err error) {
		png, err = chromedp.Run(c, chromedp.FullScreenshot(100)) // 100: PNG
		return err
	})
	path := filepath.Join(screenshotDir(p.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
}

// The search page in a real (headless) browser: type a query, see the
// highlighted hit, narrow by a facet, go back.
func TestSearchPageInBrowser(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/")
	if landing := p.text("#landing"); !strings.Contains(landing, "件の記事") {
		t.Errorf("front page %q does not say how many articles there are", landing)
	}
	p.screenshot("landing.png")
	p.do("type 呉泳銘", chromedp.SendKeys(chromedp.CSS("#q"), "呉泳銘"+kb.Enter))
	q, total := p.shown("search 呉泳銘")
	if q.Get("q") != "呉泳銘" || total != 1 {
		t.Fatalf("after typing 呉泳銘: URL query %v, %d hits; want q=呉泳銘 and 1 hit", q, total)
	}
	hit := `li.hit[data-id="tech/alibaba-ceo.txt"]`
	if snippet := p.html(hit + " .snippet"); !strings.Contains(snippet, "<mark>呉泳銘</mark>") {
		t.Errorf("snippet %q does not show 呉泳銘 in <mark>", snippet)
	}
	if title := p.html(hit + " h2"); !strings.Contains(title, "<mark>呉泳銘</mark>") {
		t.Errorf("title %q does not show 呉泳銘 in <mark>", title)
	}
	if status := p.text("#status"); !strings.Contains(status, "1 件") {
		t.Errorf("the live region says %q, want the count", status)
	}

	// A broader search, then narrow it with the category facet.
	eval[string](p, "clear the search box", `document.getElementById("q").value = ""`)
	p.do("search 発表", chromedp.SendKeys(chromedp.CSS("#q"), "発表"+kb.Enter))
	q, broad := p.shown("search 発表")
	if q.Get("q") != "発表" || broad < 3 {
		t.Fatalf("after searching 発表: URL query %v, %d hits; want q=発表 and several hits", q, broad)
	}
	facet := `#facets button[data-facet="category"][data-value="business"]`
	facetCount := p.text(facet + " .n")
	p.click(facet)
	q, narrow := p.shown("narrow to business")
	if !strings.Contains(q.Get("q"), "category:business") {
		t.Errorf("after the facet click the URL query is %v, want category:business in q", q)
	}
	if strconv.Itoa(narrow) != facetCount || narrow >= broad {
		t.Errorf("after the facet click: %d hits, want the facet's %s (fewer than %d)", narrow, facetCount, broad)
	}
	categories := eval[[]string](p, "read the categories shown", `[...document.querySelectorAll("#hits .cat")].map(e => e.textContent)`)
	if len(categories) != narrow {
		t.Errorf("%d hits show a category, want %d", len(categories), narrow)
	}
	for _, c := range categories {
		if c != "business" {
			t.Errorf("a hit of category %q is shown after narrowing to business", c)
		}
	}
	p.screenshot("facet-search.png")

	// Back returns to the broad search, and again to the first one.
	eval[any](p, "back", `history.back()`)
	q, total = p.shown("back to 発表")
	if q.Get("q") != "発表" || total != broad {
		t.Errorf("after Back: URL query %v, %d hits; want q=発表 with %d hits", q, total, broad)
	}
	if input := eval[string](p, "read the search box", `document.getElementById("q").value`); input != "発表" {
		t.Errorf("after Back the search box holds %q, want 発表", input)
	}
	eval[any](p, "back again", `history.back()`)
	q, total = p.shown("back to 呉泳銘")
	if q.Get("q") != "呉泳銘" || total != 1 {
		t.Errorf("after a second Back: URL query %v, %d hits; want q=呉泳銘 with 1 hit", q, total)
	}
}

// Only http: and https: URLs become links on the page: an article's url of
// javascript:alert(1) used to be put in a link's href as it was. The title
// opens the article on this site; the original is a link beside it.
func TestPageLinksOnlyWebURLs(t *testing.T) {
	p := openPage(t, urlIndex(t))
	p.open("/?q=" + url.QueryEscape("リンク"))
	type hit struct {
		ID    string `json:"id"`
		Href  string `json:"href"`  // the original's link; "" when there is none
		Title string `json:"title"` // the title as shown
		Own   string `json:"own"`   // where the title leads
	}
	hits := eval[[]hit](p, "read the hits", `[...document.querySelectorAll("#hits li.hit")].map(li => {
		const a = li.querySelector("a.orig");
		return {id: li.dataset.id, href: a ? a.getAttribute("href") : "", title: li.querySelector("h2").textContent,
			own: li.querySelector("h2 a").getAttribute("href")};
	})`)
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
		if !strings.HasPrefix(h.Own, "/articles/") {
			t.Errorf("%s: the title leads to %q, want the article's page here", h.ID, h.Own)
		}
	}
}

// On a phone: no horizontal scroll at 390 or 360 pixels, the 検索 button
// whole, the results first, the facets in a drawer behind 絞り込み.
func TestPageOnAPhone(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	for _, w := range []int64{390, 360} {
		p.size(w, 844, true)
		p.open("/?q=" + url.QueryEscape("発表"))
		type layout struct {
			Page, View     int
			Button         float64
			FirstHit       float64
			FacetsVisible  bool
			DrawerExpanded string
		}
		got := eval[layout](p, "measure the page", `(() => {
			const f = document.getElementById("facets").getBoundingClientRect();
			return {page: document.documentElement.scrollWidth, view: window.innerWidth,
				button: document.querySelector("#search button").getBoundingClientRect().right,
				firstHit: document.querySelector("#hits li").getBoundingClientRect().top,
				facetsVisible: getComputedStyle(document.getElementById("facets")).visibility === "visible" && f.left < window.innerWidth && f.right > 0,
				drawerExpanded: document.getElementById("open-facets").getAttribute("aria-expanded")};
		})()`)
		if got.Page > got.View {
			t.Errorf("%d px: the page is %d px wide: it scrolls sideways", w, got.Page)
		}
		if got.Button > float64(got.View) {
			t.Errorf("%d px: the 検索 button ends at %.0f px, beyond the screen", w, got.Button)
		}
		if got.FirstHit > 400 {
			t.Errorf("%d px: the first hit starts at %.0f px: it should come first, above the facets", w, got.FirstHit)
		}
		if got.FacetsVisible || got.DrawerExpanded != "false" {
			t.Errorf("%d px: facets visible %v, 絞り込み expanded %q; want them in a closed drawer", w, got.FacetsVisible, got.DrawerExpanded)
		}
		if w == 390 {
			p.screenshot("phone-results.png")
		}
	}
	p.click("#open-facets")
	p.wait("wait for the drawer", `getComputedStyle(document.getElementById("facets")).visibility === "visible" &&
		document.getElementById("facets").getBoundingClientRect().right <= window.innerWidth + 1`)
	if got := eval[string](p, "focus in the drawer", `document.activeElement.id + " " + document.getElementById("open-facets").getAttribute("aria-expanded")`); got != "close-facets true" {
		t.Errorf("after 絞り込み: focus and aria-expanded %q, want the drawer's close button focused and expanded true", got)
	}
	p.screenshot("phone-drawer.png")
	p.click(`#facets button[data-facet="category"][data-value="business"]`)
	if q, _ := p.shown("narrow in the drawer"); !strings.Contains(q.Get("q"), "category:business") {
		t.Errorf("a facet in the drawer gave %v", q)
	}
}

// An article has a page of its own, which shows the query's matches, goes
// from match to match, and leads back to the results where they were.
func TestArticleView(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.size(390, 600, true) // short: the results scroll
	p.open("/?q=" + url.QueryEscape("発表 OR 呉泳銘"))
	eval[any](p, "scroll down", `window.scrollTo(0, 400)`)
	scrolled := eval[float64](p, "read the scroll", `window.scrollY`)
	if scrolled < 300 {
		t.Fatalf("the results scroll to %.0f only: the test needs a longer page", scrolled)
	}
	// a click where the page is (chromedp's Click would scroll to the link first)
	eval[any](p, "open the article", `document.querySelector('li.hit[data-id="tech/alibaba-ceo.txt"] h2 a').click()`)
	p.drawn("open the article")
	if path := eval[string](p, "read the URL", `location.pathname + location.search`); !strings.HasPrefix(path, "/articles/tech/alibaba-ceo.txt?q=") {
		t.Errorf("the article is at %q, want /articles/ID?q=...", path)
	}
	marks := eval[[]string](p, "read the marks", `[...document.querySelectorAll("#reader-body mark")].map(m => m.textContent)`)
	if len(marks) < 2 || marks[0] != "呉泳銘" {
		t.Errorf("the article marks %q, want every 呉泳銘 and 発表", marks)
	}
	if title := p.html("#reader-title"); !strings.Contains(title, "<mark>呉泳銘</mark>") {
		t.Errorf("the article's title %q does not mark 呉泳銘", title)
	}
	for i := 1; i <= 2; i++ {
		p.click("#next-match")
		if got := p.text("#match-count"); !strings.Contains(got, fmt.Sprintf("%d / ", i)) {
			t.Errorf("after %d × 次の一致 the counter says %q", i, got)
		}
		if cur := eval[int](p, "which match", `[...document.querySelectorAll("#reader mark")].findIndex(m => m.classList.contains("current"))`); cur != i-1 {
			t.Errorf("after %d × 次の一致 match %d is current, want %d", i, cur, i-1)
		}
	}
	p.screenshot("article.png")
	p.click("#back")
	p.wait("leave the article", `location.pathname === "/"`)
	q, _ := p.shown("back to the results")
	if q.Get("q") != "発表 OR 呉泳銘" {
		t.Errorf("back leads to %v", q)
	}
	p.wait("wait for the scroll", fmt.Sprintf(`Math.abs(window.scrollY - %f) < 2`, scrolled))

	// the link works by itself: loaded anew, as someone it was sent to would
	p.open("/articles/tech/alibaba-ceo.txt?q=" + url.QueryEscape("クラウド"))
	if marks := eval[[]string](p, "read the marks", `[...document.querySelectorAll("#reader-body mark")].map(m => m.textContent)`); len(marks) == 0 || marks[0] != "クラウド" {
		t.Errorf("the article loaded by its URL marks %q, want クラウド", marks)
	}
	p.click("#back")
	p.wait("leave the article", `location.pathname === "/"`)
	if q, _ := p.shown("back from an article opened by its URL"); q.Get("q") != "クラウド" {
		t.Errorf("back leads to %v, want the search for クラウド", q)
	}
	p.open("/articles/no/such.txt")
	if got := p.text("#reader-body"); !strings.Contains(got, "記事が見つかりません") {
		t.Errorf("an unknown article shows %q", got)
	}
}

// Errors and notes are said in Japanese, from the codes of the API; a
// syntax error marks where in the query it is.
func TestMessagesInJapanese(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/?q=" + url.QueryEscape(`京都 "unclosed`))
	msg := p.text("#query-error")
	if !strings.Contains(msg, "引用符") || !strings.Contains(msg, "4 文字目") || strings.Contains(msg, "query syntax") || strings.Contains(msg, `\"`) {
		t.Errorf("a syntax error says %q, want it in Japanese with its column (4 文字目)", msg)
	}
	if at := p.text("#query-error mark.at"); at != `"` {
		t.Errorf("the mark under the query is on %q, want the quote", at)
	}
	if inv := eval[string](p, "read aria-invalid", `document.getElementById("q").getAttribute("aria-invalid") || ""`); inv != "true" {
		t.Errorf("the box's aria-invalid is %q", inv)
	}
	p.screenshot("syntax-error.png")
	p.open("/?q=" + url.QueryEscape("から"))
	if msg := p.text("#message"); !strings.Contains(msg, "「から」は助詞や記号だけ") {
		t.Errorf("a particle-only query says %q, want it in Japanese", msg)
	}
	p.open("/?q=" + url.QueryEscape("呉泳銘 since:2012-13"))
	if msg := p.text("#query-error"); !strings.Contains(msg, "日付") {
		t.Errorf("a bad date says %q", msg)
	}
}

// Nothing found: what was searched, the filters to remove with a click, a
// correction; partly found: the looser results, said so.
func TestZeroHitHelp(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/?q=" + url.QueryEscape("呉泳銘 category:business") + "&since=2012-01&until=2012-12")
	help := p.text("#help")
	if !strings.Contains(help, "「呉泳銘 category:business」に一致する記事は見つかりませんでした") {
		t.Errorf("the help says %q, want what was searched", help)
	}
	chips := eval[[]string](p, "read the filters", `[...document.querySelectorAll("#help .chip")].map(b => b.textContent)`)
	if strings.Join(chips, "|") != "カテゴリ: business|期間: 2012年1月〜2012年12月|すべて外す" {
		t.Errorf("the filters to remove are %q", chips)
	}
	p.screenshot("zero-hits.png")
	p.click(`#help .chip:last-child`)
	if q, n := p.shown("remove the filters"); q.Get("q") != "呉泳銘" || q.Get("since") != "" || n != 1 {
		t.Errorf("after すべて外す: %v with %d hits, want 呉泳銘 alone and its hit", q, n)
	}

	p.open("/?q=" + url.QueryEscape("アリバハ"))
	if got := p.text("#help .correction"); !strings.Contains(got, "もしかして: アリババ") {
		t.Errorf("a mistyped word: %q, want もしかして: アリババ", got)
	}
	p.click("#help .correction a")
	if q, n := p.shown("follow the correction"); q.Get("q") != "アリババ" || n == 0 {
		t.Errorf("after the correction: %v with %d hits", q, n)
	}

	p.open("/?q=" + url.QueryEscape("呉泳銘 ベンチャー"))
	if msg := p.text("#message"); !strings.Contains(msg, "すべて含む記事はありません。いずれかを含む記事を表示しています") {
		t.Errorf("relaxed results say %q, want the looser search explained in Japanese", msg)
	}
	if n := eval[int](p, "count the hits", `document.querySelectorAll("#hits li.hit").length`); n < 2 {
		t.Errorf("relaxed results show %d hits", n)
	}
	p.screenshot("relaxed.png")
}

// The keyboard: the box has focus on load and with /, a skip link, the
// first hit three Tabs away, the count announced, the loading state seen.
func TestKeyboardAndScreenReaders(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/")
	if f := eval[string](p, "focus on load", `document.activeElement.id`); f != "q" {
		t.Errorf("on load the focus is on %q, want the search box", f)
	}
	eval[any](p, "leave the box", `document.activeElement.blur()`)
	p.do("press /", pressKey("/", "Slash", 191))
	if f := eval[string](p, "focus after /", `document.activeElement.id`); f != "q" {
		t.Errorf("after / the focus is on %q, want the search box", f)
	}
	if v := eval[string](p, "the box after /", `document.getElementById("q").value`); v != "" {
		t.Errorf("/ was typed into the box: %q", v)
	}
	p.do("search 発表", chromedp.SendKeys(chromedp.CSS("#q"), "発表"+kb.Enter))
	p.shown("search 発表")
	if f := eval[string](p, "focus after the search", `document.activeElement.id`); f != "q" {
		t.Errorf("after the search the focus is on %q", f)
	}
	tabs := 0
	for ; tabs < 10; tabs++ {
		if eval[bool](p, "where is the focus", `document.activeElement === document.querySelector("#hits li.hit h2 a")`) {
			break
		}
		p.do("Tab", chromedp.KeyEvent(kb.Tab))
	}
	if tabs > 3 {
		t.Errorf("%d Tabs from the box to the first hit, want at most 3", tabs)
	}
	p.screenshot("keyboard-first-hit.png")
	if s := p.text("#status"); !strings.Contains(s, "件") || eval[string](p, "aria-live", `document.getElementById("status").getAttribute("aria-live")`) != "polite" {
		t.Errorf("the live region says %q", s)
	}
	if first := eval[string](p, "the first focusable", `document.querySelector("a, button, input, select").className`); first != "skip" {
		t.Errorf("the first focusable element is %q, want the skip link", first)
	}
	// while a search is on its way, a bar runs along the top (after a
	// moment: fast answers do not flash it)
	eval[any](p, "loading", `document.documentElement.dataset.loading = "true"`)
	p.wait("the loading bar shows", `+getComputedStyle(document.getElementById("progress")).opacity > 0.5 &&
		document.getElementById("progress").getBoundingClientRect().width > 0`)
	eval[any](p, "loaded", `document.documentElement.dataset.loading = "false"`)
}

// Results follow the box while typing, once the IME has finished
// composing; suggestions come from the index.
func TestSearchAsYouType(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/")
	// composing 呉泳銘 with an IME: nothing is searched until it ends
	eval[any](p, "compose", `(() => {
		const q = document.getElementById("q");
		q.focus();
		q.dispatchEvent(new CompositionEvent("compositionstart", {data: ""}));
		for (const v of ["ご", "ごえ", "ごえい", "呉泳"]) {
			q.value = v;
			q.dispatchEvent(new InputEvent("input", {data: v, isComposing: true, inputType: "insertCompositionText"}));
		}
	})()`)
	time.Sleep(700 * time.Millisecond) // more than the page waits after a keystroke
	if path := eval[string](p, "the URL while composing", `location.pathname + location.search`); path != "/" {
		t.Errorf("while composing the page searched: %s", path)
	}
	eval[any](p, "finish composing", `(() => {
		const q = document.getElementById("q");
		q.value = "呉泳銘";
		q.dispatchEvent(new CompositionEvent("compositionend", {data: "呉泳銘"}));
	})()`)
	p.wait("wait for the results", `location.search.includes("q=")`)
	q, n := p.shown("results after composing")
	if q.Get("q") != "呉泳銘" || n != 1 {
		t.Errorf("after composing: %v with %d hits, want 呉泳銘 and its hit", q, n)
	}

	// suggestions for what is being typed
	eval[any](p, "type アリ", `(() => {
		const q = document.getElementById("q");
		q.focus();
		q.value = "アリ";
		q.dispatchEvent(new InputEvent("input", {data: "アリ", inputType: "insertText"}));
	})()`)
	p.wait("wait for suggestions", `!document.getElementById("suggest").hidden`)
	opts := eval[[]string](p, "read the suggestions", `[...document.querySelectorAll("#suggest [role=option] .text")].map(e => e.textContent)`)
	if len(opts) == 0 || !strings.HasPrefix(opts[0], "アリ") {
		t.Errorf("suggestions for アリ: %q", opts)
	}
	if exp := eval[string](p, "aria-expanded", `document.getElementById("q").getAttribute("aria-expanded")`); exp != "true" {
		t.Errorf("the box's aria-expanded is %q with suggestions shown", exp)
	}
	p.screenshot("suggestions.png")
	p.do("pick the first", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	if q, _ := p.shown("search the suggestion"); q.Get("q") != opts[0] {
		t.Errorf("picking %q searched %v", opts[0], q)
	}
}

// The months as a chart: every month from the first to the last, a range
// picked by two clicks, one date format on the chart and the chip; a page
// beyond the last shows the last.
func TestMonthHistogramAndPages(t *testing.T) {
	p := openPage(t, sampleIndex(t))
	p.open("/?q=" + url.QueryEscape("発表 OR 呉泳銘 OR 京都"))
	bars := eval[[]string](p, "read the months", `[...document.querySelectorAll(".histogram .bar")].map(b => b.dataset.month)`)
	if len(bars) < 2 {
		t.Fatalf("months %q", bars)
	}
	first, _ := time.Parse("2006-01", bars[0])
	last, _ := time.Parse("2006-01", bars[len(bars)-1])
	if want := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1; len(bars) != want {
		t.Errorf("%d bars from %s to %s, want one for each of the %d months", len(bars), bars[0], bars[len(bars)-1], want)
	}
	withHits := eval[[]string](p, "months with hits", `[...document.querySelectorAll(".histogram .bar:not(.empty)")].map(b => b.dataset.month)`)
	if len(withHits) < 2 {
		t.Fatalf("months with hits: %q", withHits)
	}
	a, b := withHits[0], withHits[1]
	bar := func(m string) string {
		sel := fmt.Sprintf(`.histogram .bar[data-month="%s"]`, m)
		// the chart scrolls sideways, as a reader would scroll it
		eval[any](p, "scroll to "+m, fmt.Sprintf(`document.querySelector('%s').scrollIntoView({inline: "center", block: "nearest"})`, sel))
		return sel
	}
	p.click(bar(a))
	if q, _ := p.shown("one month"); q.Get("since") != a || q.Get("until") != a {
		t.Errorf("a click on %s gave %v", a, q)
	}
	p.click(bar(b))
	q, _ := p.shown("a range")
	if q.Get("since") != a || q.Get("until") != b {
		t.Errorf("a second click on %s gave %v, want %s to %s", b, q, a, b)
	}
	chip := p.text("#chips .chip")
	ym := func(s string) string {
		t, _ := time.Parse("2006-01", s)
		return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
	}
	if want := "期間: " + ym(a) + "〜" + ym(b); chip != want {
		t.Errorf("the chip says %q, want %q", chip, want)
	}
	p.screenshot("histogram-range.png")

	// a drag across the chart, from the later month to the earlier
	p.open("/?q=" + url.QueryEscape("発表 OR 呉泳銘 OR 京都"))
	type point struct{ X, Y float64 }
	center := func(m string) point {
		return eval[point](p, "where is "+m, fmt.Sprintf(`(() => {
			const r = document.querySelector('%s').getBoundingClientRect();
			return {x: r.left + r.width / 2, y: r.top + r.height / 2};
		})()`, bar(m)))
	}
	from, to := center(b), center(a)
	p.do("drag from "+b+" to "+a,
		chromedp.MouseEvent(chromedp.MousePressed, from.X, from.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, (from.X+to.X)/2, to.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, to.X, to.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, to.X, to.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	if q, _ := p.shown("a dragged range"); q.Get("since") != a || q.Get("until") != b {
		t.Errorf("a drag from %s to %s gave %v, want %s to %s", b, a, q, a, b)
	}

	p.open("/?q=" + url.QueryEscape("発表 OR 呉泳銘 OR 京都") + "&page=999")
	if q, _ := p.shown("page 999"); q.Get("page") != "" && q.Get("page") != "1" {
		t.Errorf("page 999 of one page shows %v", q)
	}
	if got := p.text("#page") + p.text("#message"); strings.Contains(got, "999 /") || !strings.Contains(got, "999 ページ目はありません") {
		t.Errorf("page 999 says %q", got)
	}
}

// Categories are shown by names a reader knows: the livedoor sections'
// Japanese names, and those of the index's categories.tsv, in the facets,
// on the hits, in the chip of a filter and on the article's page; the
// URL keeps the category as indexed.
func TestCategoryDisplayNames(t *testing.T) {
	ctx := newBrowser(t)
	dir := t.TempDir()
	a1 := article("it/1.txt", "新しいノートパソコンの記事", "ノートパソコンの新製品が出た。")
	a1.Category = "it-life-hack"
	a2 := article("dokujo/1.txt", "ノートパソコン選びの記事", "ノートパソコンを選ぶ話。")
	a2.Category = "dokujo-tsushin"
	a3 := article("local/1.txt", "ノートパソコンの地域の記事", "地域でノートパソコンを配る。")
	a3.Category = "local"
	write(t, dir, a1, a2, a3)
	if err := os.WriteFile(filepath.Join(dir, index.CategoryNamesFile), []byte("local\t地域\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ts := start(t, dir, Config{})
	p := &page{t: t, ctx: ctx, ts: ts}
	p.open("/?q=" + url.QueryEscape("ノートパソコン"))
	facets := eval[[]string](p, "read the category facet", `[...document.querySelectorAll('#facets button[data-facet="category"] .v')].map(e => e.textContent).sort()`)
	if want := []string{"ITライフハック", "地域", "独女通信"}; strings.Join(facets, "|") != strings.Join(want, "|") {
		t.Errorf("the category facet shows %q, want %q", facets, want)
	}
	cat := p.text(`li.hit[data-id="it/1.txt"] .cat`)
	if cat != "ITライフハック" {
		t.Errorf("the hit's category shows %q, want ITライフハック", cat)
	}
	p.click(`#facets button[data-facet="category"][data-value="dokujo-tsushin"]`)
	if q, n := p.shown("narrow to dokujo-tsushin"); !strings.Contains(q.Get("q"), "category:dokujo-tsushin") || n != 1 {
		t.Errorf("the facet searched %v with %d hits", q, n)
	}
	if chip := p.text("#chips .chip"); !strings.Contains(chip, "カテゴリ: 独女通信") {
		t.Errorf("the filter's chip says %q, want カテゴリ: 独女通信", chip)
	}
	p.screenshot("category-names.png")
	p.open("/articles/local/1.txt")
	if meta := p.text("#reader-meta"); !strings.Contains(meta, "地域") || strings.Contains(meta, "local") {
		t.Errorf("the article's page says %q, want its category as 地域", meta)
	}
}

// axeViolation is what axe-core reports of a rule the page breaks.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeSource returns axe-core's script: $NEWSEARCH_AXE, else the copy .ci/run
// installs with npm into .ci/node_modules.
func axeSource(t *testing.T) string {
	path := os.Getenv("NEWSEARCH_AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".ci", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("axe-core not found (%v): from the repository's root, npm ci --prefix .ci (as .ci/run does), or set NEWSEARCH_AXE to axe.min.js", err)
	}
	return string(b)
}

// No serious or critical accessibility violations in any state of the
// page, by axe-core.
func TestAccessibilityWithAxe(t *testing.T) {
	src := axeSource(t)
	p := openPage(t, sampleIndex(t))
	check := func(state string) {
		t.Helper()
		if !eval[bool](p, "axe loaded?", `typeof axe !== "undefined"`) {
			eval[any](p, "inject axe", src+"\n;undefined")
		}
		var raw string
		p.step("run axe on "+state, func(c context.Context) (err error) {
			raw, err = chromedp.Run(c, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`,
				chromedp.EvalAwaitPromise))
			return err
		})
		var vs []axeViolation
		if err := json.Unmarshal([]byte(raw), &vs); err != nil {
			t.Fatalf("%s: axe's answer %.200s: %v", state, raw, err)
		}
		for _, v := range vs {
			if v.Impact != "serious" && v.Impact != "critical" {
				continue
			}
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprintf("%v %.120s", n.Target, n.HTML))
			}
			t.Errorf("%s: %s (%s): %s\n  %s", state, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
		}
	}
	p.open("/")
	// the check can fail: an image without a text alternative is critical
	eval[any](p, "inject axe", src+"\n;undefined")
	var broken []string
	p.step("run axe on a broken image", func(c context.Context) (err error) {
		broken, err = chromedp.Run(c, chromedp.Evaluate[[]string](`(async () => {
		const img = document.createElement("img");
		img.id = "axe-self-check";
		img.src = "/static/favicon.svg";
		document.body.append(img);
		const r = await axe.run("#axe-self-check", {runOnly: ["image-alt"]});
		img.remove();
		return r.violations.map(v => v.id + " " + v.impact);
	})()`, chromedp.EvalAwaitPromise))
		return err
	})
	if strings.Join(broken, ",") != "image-alt critical" {
		t.Fatalf("axe on an image without alt reports %q, want image-alt critical: the check would find nothing", broken)
	}
	check("front page")
	p.open("/?q=" + url.QueryEscape("発表"))
	check("results")
	p.open("/?q=" + url.QueryEscape("呉泳銘 category:business"))
	check("zero hits")
	p.open("/?q=" + url.QueryEscape(`"unclosed`))
	check("syntax error")
	p.open("/articles/tech/alibaba-ceo.txt?q=" + url.QueryEscape("呉泳銘"))
	check("article")
	p.size(390, 844, true)
	p.open("/?q=" + url.QueryEscape("発表"))
	check("phone")
	p.click("#open-facets")
	p.wait("wait for the drawer", `getComputedStyle(document.getElementById("facets")).visibility === "visible"`)
	check("phone, facets open")
}
