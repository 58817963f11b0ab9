package ingest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/index"
)

// copyTree copies the files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, roots ...string) *Summary {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), ix, roots, Options{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return sum
}

func count(t *testing.T, dir string) uint64 {
	t.Helper()
	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIncremental(t *testing.T) {
	news, other, dir := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, "../../testdata/articles", news)
	if err := os.WriteFile(filepath.Join(other, "extra.txt"), []byte("別の記事\n別のフォルダにある記事です。"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(news, "LICENSE.txt"), []byte("not an article"), 0o644); err != nil {
		t.Fatal(err)
	}

	sum := run(t, dir, news, other)
	if sum.Indexed != 9 || sum.Failed != 0 || len(sum.Skipped) != 1 {
		t.Fatalf("first run: %+v", sum)
	}
	sum = run(t, dir, news)
	if sum.Unchanged != 8 || sum.Indexed+sum.Updated+sum.Removed != 0 {
		t.Fatalf("second run: %+v", sum)
	}

	// change one file, delete another (a JSON Lines file of two), add one
	p := filepath.Join(news, "mixed", "cafe-column.txt")
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(b, "追記：店は月曜定休。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(news, "business", "tokyo-expo.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(news, "tech", "new.txt"), []byte("新しい記事\n量子コンピューターの話題。"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum = run(t, dir, news)
	if sum.Updated != 1 || sum.Removed != 2 || sum.Indexed != 1 || sum.Unchanged != 5 {
		t.Fatalf("third run: %+v", sum)
	}
	if n := count(t, dir); n != 8 { // 7 from news (one file gone, one added), 1 from other
		t.Errorf("index holds %d articles, want 8", n)
	}

	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a, err := ix.Get(context.Background(), "mixed/cafe-column.txt")
	if err != nil || !strings.Contains(a.Body, "月曜定休") {
		t.Errorf("updated article: %v %v", a, err)
	}
	if _, err := ix.Get(context.Background(), "business/tokyo-expo-1"); err == nil {
		t.Error("an article of a deleted file is still there")
	}
	if _, err := ix.Get(context.Background(), "extra.txt"); err != nil {
		t.Errorf("an article of the other folder was removed: %v", err)
	}
}

func TestFailuresDoNotStopTheRun(t *testing.T) {
	news, dir := t.TempDir(), t.TempDir()
	files := map[string]string{
		"good.txt":   "良い記事\n本文です。",
		"binary.txt": "\x00\x01\x02\x03binary",
		"bad.json":   `{"title": 12}`,
		"empty.md":   "",
		"partial.jsonl": `{"id":"p1","title":"一行目","body":"本文"}
not json
{"id":"p3","title":"三行目","body":"本文"}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(news, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum := run(t, dir, news)
	if sum.Indexed != 3 || sum.Failed != 4 {
		t.Fatalf("summary %+v, want 3 indexed and 4 failed", sum)
	}
	for _, f := range sum.Failures {
		if !strings.Contains(f.Path+f.Err.Error(), news) {
			t.Errorf("failure without its path: %v: %v", f.Path, f.Err)
		}
	}
}

// TestCorpus indexes the shared livedoor corpus (skipped without it): every
// article file once, a second run changes nothing, a deleted file's article
// goes.
func TestCorpus(t *testing.T) {
	const corpus = "../../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("no shared corpus at", corpus)
	}
	if testing.Short() {
		t.Skip("indexing the corpus takes a minute")
	}
	work := t.TempDir()
	copyTree(t, filepath.Join(corpus, "ldcc"), filepath.Join(work, "ldcc"))
	seed, _ := filepath.Glob(filepath.Join(corpus, "seed", "*.txt"))
	if len(seed) != 1 {
		t.Fatalf("seed: %v", seed)
	}
	copyTree(t, filepath.Join(corpus, "seed"), filepath.Join(work, "seed"))
	roots := []string{filepath.Join(work, "ldcc"), filepath.Join(work, "seed", filepath.Base(seed[0]))}
	dir := t.TempDir()

	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), ix, roots, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// 6,497 livedoor articles and the seed; LICENSE.txt in each of the 8
	// category folders, README.txt and CHANGES.txt are not articles
	if sum.Indexed != 6498 || sum.Failed != 0 || len(sum.Skipped) != 10 {
		t.Fatalf("first run: %+v", sum)
	}
	if n := count(t, dir); n != 6498 {
		t.Fatalf("index holds %d articles", n)
	}
	sum = run(t, dir, roots...)
	if sum.Unchanged != 6498 || sum.Indexed+sum.Updated+sum.Removed+sum.Failed != 0 {
		t.Fatalf("second run: %+v", sum)
	}
	gone := filepath.Join(work, "ldcc", "it-life-hack", "it-life-hack-6295327.txt")
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	sum = run(t, dir, roots...)
	if sum.Removed != 1 || sum.Unchanged != 6497 {
		t.Fatalf("after deleting a file: %+v", sum)
	}
	ix, err = index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Get(context.Background(), "it-life-hack/it-life-hack-6295327.txt"); err == nil {
		t.Error("the deleted file's article is still there")
	}
	if _, err := ix.Get(context.Background(), "seed/"+filepath.Base(seed[0])); err != nil {
		t.Errorf("the seed article: %v", err)
	}
}
