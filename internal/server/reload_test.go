package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// write adds articles to the index in dir as a separate writer would, and
// publishes them (Close commits).
func write(t *testing.T, dir string, articles ...index.Article) {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("open for writing: %v", err)
	}
	if err := ix.Add(context.Background(), articles...); err != nil {
		t.Fatalf("add: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func article(id, title, body string) index.Article {
	return index.Article{ID: id, Title: title, Body: body, Category: "test",
		Published: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)}
}

// waitTotal polls /api/search until q matches want articles.
func waitTotal(t *testing.T, get func(url.Values) (searchJSON, int), q string, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, status := get(url.Values{"q": {q}})
		if status == http.StatusOK && got.Total == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d hits (status %d, %q) after 10 s, want %d: the new generation was not picked up", q, got.Total, status, got.Error.Message, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServerPicksUpANewGeneration(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, article("a1", "最初の記事", "量子コンピューターの話題です。"))
	srv, ts := start(t, dir, Config{})
	get := func(v url.Values) (searchJSON, int) { return search(t, ts, v) }
	first := srv.Generation()
	old := srv.holder.cur.Load()

	var st index.Stats
	if status := do(t, ts, http.MethodGet, "/api/stats", &st); status != http.StatusOK || st.Articles != 1 {
		t.Fatalf("stats: status %d, %d articles, want 1", status, st.Articles)
	}
	if got, _ := get(url.Values{"q": {"半導体"}}); got.Total != 0 {
		t.Fatalf("半導体 matched %d before it was written", got.Total)
	}
	write(t, dir, article("a2", "半導体の新工場", "熊本に半導体の新工場ができる。"))
	waitTotal(t, get, "半導体", 1)
	if srv.Generation() == first {
		t.Errorf("still on generation %s after serving the new article", first)
	}
	if got, _ := get(url.Values{"q": {"量子コンピューター"}}); got.Total != 1 {
		t.Errorf("the old article is gone after the reload: %d hits", got.Total)
	}
	if n := old.refs.Load(); n != 0 {
		t.Errorf("the old generation has %d references after the swap, want 0 (closed, so the writer may delete it)", n)
	}
	if status := do(t, ts, http.MethodGet, "/api/stats", &st); status != http.StatusOK || st.Articles != 2 {
		t.Errorf("stats after the reload: status %d, %d articles, want 2 (not the first generation's cached stats)", status, st.Articles)
	}
}

// Searches go on, without errors, while a writer publishes generation
// after generation; run with -race.
func TestSearchesDuringReloads(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, article("b0", "記事0", "クラウドの話題。"))
	srv, ts := start(t, dir, Config{PollInterval: 5 * time.Millisecond})

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				resp, err := ts.Client().Get(ts.URL + "/api/search?q=" + url.QueryEscape("クラウド"))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d during reloads", resp.StatusCode)
					return
				}
			}
		}()
	}
	const writes = 4
	for i := 1; i <= writes; i++ {
		write(t, dir, article(fmt.Sprintf("b%d", i), fmt.Sprintf("記事%d", i), "クラウドの話題。"))
		if _, err := srv.Reload(); err != nil {
			t.Errorf("reload %d: %v", i, err)
		}
	}
	waitTotal(t, func(v url.Values) (searchJSON, int) { return search(t, ts, v) }, "クラウド", writes+1)
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
