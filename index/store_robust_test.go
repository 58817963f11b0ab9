package index_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newsearch/newsearch/index"
)

// article returns a small generated article whose ID and title say n.
func article(n int, version string) index.Article {
	return index.Article{
		ID:    fmt.Sprintf("art-%04d", n),
		Title: fmt.Sprintf("記事%d号 %s版", n, version),
		Body:  fmt.Sprintf("記事番号%dの本文。%s版の新製品を発表した。価格は%d円。", n, version, 1000+n),
	}
}

// checkReader reads everything ix holds and checks that it agrees with
// itself: Count, a search for all, Get for every hit; no ID twice.
func checkReader(ctx context.Context, ix *index.Index) (int, error) {
	n, err := ix.Count()
	if err != nil {
		return 0, err
	}
	res, err := ix.Search(ctx, index.Request{Limit: 1_000_000, NoSnippets: true})
	if err != nil {
		return 0, err
	}
	if res.Total != n || uint64(len(res.Hits)) != n {
		return 0, fmt.Errorf("%s: Count %d, search total %d, %d hits", ix.Generation(), n, res.Total, len(res.Hits))
	}
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if seen[h.ID] {
			return 0, fmt.Errorf("%s: %s twice", ix.Generation(), h.ID)
		}
		seen[h.ID] = true
		a, err := ix.Get(ctx, h.ID)
		if err != nil {
			return 0, fmt.Errorf("%s: get %s: %w", ix.Generation(), h.ID, err)
		}
		if a.Title != h.Title || !strings.Contains(a.Body, "本文") {
			return 0, fmt.Errorf("%s: %s: hit title %q, stored %q / %q", ix.Generation(), h.ID, h.Title, a.Title, a.Body)
		}
	}
	if _, err := ix.Stats(ctx); err != nil {
		return 0, err
	}
	return int(n), nil
}

// TestConcurrentReadersAndCommits runs readers of three kinds beside a
// writer that adds, replaces, deletes and commits (run it with -race):
// searches on the writer's own Index, read-only opens that come and go
// (each must see one committed generation whole), and one read-only Index
// held open throughout, whose generation the writer must not remove.
func TestConcurrentReadersAndCommits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := w.Add(ctx, article(i, "初")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	held, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	var (
		done   atomic.Bool
		wg     sync.WaitGroup
		errs   = make(chan error, 8)
		opened atomic.Int64
	)
	reader := func(read func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				if err := read(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	reader(func() error {
		// the writer's own Index sees its writes as they are applied, so
		// only one search at a time is a consistent view
		res, err := w.Search(ctx, index.Request{Limit: 1_000_000, NoSnippets: true})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if seen[h.ID] {
				return fmt.Errorf("writer: %s twice", h.ID)
			}
			seen[h.ID] = true
		}
		if res.Total != uint64(len(res.Hits)) {
			return fmt.Errorf("writer: search total %d, %d hits", res.Total, len(res.Hits))
		}
		return nil
	})
	reader(func() error {
		n, err := checkReader(ctx, held)
		if err == nil && n != 20 {
			err = fmt.Errorf("the held reader sees %d articles, want its 20", n)
		}
		return err
	})
	for range 2 {
		reader(func() error {
			r, err := index.Open(dir, index.ReadOnly())
			if err != nil {
				return err
			}
			defer r.Close()
			opened.Add(1)
			_, err = checkReader(ctx, r)
			return err
		})
	}

	for round := range 8 {
		var batch []index.Article
		for i := range 10 {
			batch = append(batch, article(20+round*10+i, "新"), article(round*2+i%2, fmt.Sprintf("改%d", round)))
		}
		if err := w.Add(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		if err := w.Delete(ctx, fmt.Sprintf("art-%04d", 20+round*10)); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := checkReader(ctx, r); err != nil || n != 20+80-8 {
		t.Errorf("after the writer: %d articles (%v), want %d", n, err, 20+80-8)
	}
	t.Logf("%d read-only opens beside the writer", opened.Load())
}

// TestRebuildKeepsOldIndex checks that while a rebuild writes, readers
// see the index as it was, and that a rebuild that ends without a commit
// (a crash: here, the files of its generation left as they are) leaves it
// so for readers and for the next writer.
func TestRebuildKeepsOldIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, article(1, "旧"), article(2, "旧")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	rb, err := index.Open(dir, index.Rebuild())
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.Add(ctx, article(3, "新")); err != nil {
		t.Fatal(err)
	}
	r, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatalf("reader during a rebuild: %v", err)
	}
	if n, err := checkReader(ctx, r); err != nil || n != 2 {
		t.Errorf("reader during a rebuild: %d articles (%v), want the old 2", n, err)
	}
	r.Close()
	if err := rb.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := checkReader(ctx, r); err != nil || n != 1 {
		t.Errorf("reader after the rebuild: %d articles (%v), want the new 1", n, err)
	}
	r.Close()
}

// TestOpenDamaged damages the live generation and checks that Open, for
// reading and for writing, returns ErrCorrupt or ErrAnalysisMismatch (not
// a panic, not an index that answers wrong), and that Rebuild opens it.
func TestOpenDamaged(t *testing.T) {
	ctx := context.Background()
	live := func(t *testing.T, dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, strings.TrimSpace(string(b)))
	}
	segments := func(t *testing.T, dir string) []string {
		zaps, _ := filepath.Glob(filepath.Join(live(t, dir), "*", "store", "*.zap"))
		if len(zaps) == 0 {
			t.Fatal("no segments")
		}
		return zaps
	}
	rewrite := func(t *testing.T, path string, edit func([]byte) []byte) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b = edit(append([]byte(nil), b...))
		if err := os.Remove(path); err != nil { // segments are shared by hard links
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		harm func(t *testing.T, dir string)
		want error
	}{
		{"segment with a flipped byte", func(t *testing.T, dir string) {
			for _, z := range segments(t, dir) {
				rewrite(t, z, func(b []byte) []byte { b[len(b)/2] ^= 1; return b })
			}
		}, index.ErrCorrupt},
		{"segment cut short", func(t *testing.T, dir string) {
			for _, z := range segments(t, dir) {
				rewrite(t, z, func(b []byte) []byte { return b[:len(b)-100] })
			}
		}, index.ErrCorrupt},
		{"newest segment gone", func(t *testing.T, dir string) {
			zaps := segments(t, dir)
			if err := os.Remove(zaps[len(zaps)-1]); err != nil {
				t.Fatal(err)
			}
		}, index.ErrCorrupt},
		{"root.bolt gone", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(live(t, dir), "shard-00", "store", "root.bolt")); err != nil {
				t.Fatal(err)
			}
		}, index.ErrCorrupt},
		{"CURRENT gone", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "CURRENT")); err != nil {
				t.Fatal(err)
			}
		}, index.ErrCorrupt},
		{"newsearch.json gone", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(live(t, dir), "newsearch.json")); err != nil {
				t.Fatal(err)
			}
		}, index.ErrCorrupt},
		{"newsearch.json not JSON", func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(live(t, dir), "newsearch.json"), func([]byte) []byte { return []byte("{") })
		}, index.ErrCorrupt},
		{"another analysis", func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(live(t, dir), "newsearch.json"), func(b []byte) []byte {
				return []byte(strings.Replace(string(b), `"analysis": "v`, `"analysis": "v0`, 1))
			})
		}, index.ErrAnalysisMismatch},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			w, err := index.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 { // several segments, and an older snapshot
				if err := w.Add(ctx, article(i, "一"), article(10+i, "二")); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			c.harm(t, dir)
			if r, err := index.Open(dir, index.ReadOnly()); !errors.Is(err, c.want) {
				if err == nil {
					n, _ := checkReader(ctx, r)
					r.Close()
					t.Fatalf("read-only Open succeeded (%d articles), want %v", n, c.want)
				}
				t.Errorf("read-only Open: %v, want %v", err, c.want)
			}
			if w, err := index.Open(dir); !errors.Is(err, c.want) {
				if err == nil {
					w.Close()
				}
				t.Errorf("Open: %v, want %v", err, c.want)
			}
			w, err = index.Open(dir, index.Rebuild())
			if err != nil {
				t.Fatalf("Open with Rebuild: %v", err)
			}
			if err := w.Add(ctx, article(1, "直")); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := index.Open(dir, index.ReadOnly())
			if err != nil {
				t.Fatalf("after the rebuild: %v", err)
			}
			defer r.Close()
			if n, err := checkReader(ctx, r); err != nil || n != 1 {
				t.Errorf("after the rebuild: %d articles (%v), want 1", n, err)
			}
		})
	}
}
