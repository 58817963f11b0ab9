package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
)

// writeFiles writes files (relative path -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ids returns the IDs of every article in the index at dir, sorted.
func ids(t *testing.T, dir string) []string {
	t.Helper()
	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), index.Request{Limit: 1000, NoSnippets: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

// TestSymlinksAndSpecialFiles: a folder given through a link is followed;
// inside it, links (to a file outside, to a folder, in a loop) and named
// pipes are skipped and listed, unless FollowSymlinks, which follows links
// and finds the loop; the index inside the folder is never walked.
func TestSymlinksAndSpecialFiles(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "real")
	outside := filepath.Join(tmp, "outside")
	writeFiles(t, real, map[string]string{"a/one.md": "# 一つ目\n\n本文。\n"})
	writeFiles(t, outside, map[string]string{"secret.md": "# 外の記事\n\n本文。\n", "more/two.md": "# 二つ目\n\n本文。\n"})
	for link, target := range map[string]string{
		"a/secret.md": filepath.Join(outside, "secret.md"),
		"b":           filepath.Join(outside, "more"),
		"a/loop":      real,
	} {
		if err := os.Symlink(target, filepath.Join(real, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(real, "a", "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	given := filepath.Join(tmp, "given")
	if err := os.Symlink(real, given); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(real, "index") // inside the folder indexed

	sum := run(t, context.Background(), idx, ingest.Options{}, given)
	if got := strings.Join(ids(t, idx), " "); got != "a/one.md" {
		t.Errorf("without FollowSymlinks: %s, want a/one.md", got)
	}
	skipped := map[string]string{}
	for _, s := range sum.Skipped {
		rel, _ := filepath.Rel(given, s.Path)
		skipped[filepath.ToSlash(rel)] = s.Reason
	}
	for rel, why := range map[string]string{"a/secret.md": "symbolic link", "b": "symbolic link", "a/loop": "symbolic link", "a/pipe.txt": "named pipe"} {
		if !strings.Contains(skipped[rel], why) {
			t.Errorf("%s: skipped as %q, want %q (skipped: %v)", rel, skipped[rel], why, skipped)
		}
	}
	if sum.Failed != 0 {
		t.Errorf("failures: %v", sum.Failures)
	}

	idx2 := filepath.Join(tmp, "index2")
	sum = run(t, context.Background(), idx2, ingest.Options{FollowSymlinks: true}, given)
	if got := strings.Join(ids(t, idx2), " "); got != "a/one.md a/secret.md b/two.md" {
		t.Errorf("with FollowSymlinks: %s", got)
	}
	loop := false
	for _, s := range sum.Skipped {
		loop = loop || strings.Contains(s.Reason, "leads back")
	}
	if !loop {
		t.Errorf("the loop is not reported: %v", sum.Skipped)
	}
}

// TestDuplicateIDsAcrossFiles: two files with the same id: the first path
// keeps the article, on every run, and each run reports both paths.
func TestDuplicateIDsAcrossFiles(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "corpus")
	writeFiles(t, corpus, map[string]string{
		"b.json": `{"id": "same", "title": "Bの記事", "body": "本文B。"}`,
		"a.json": `{"id": "same", "title": "Aの記事", "body": "本文A。"}`,
		"c.json": `{"id": "other", "title": "Cの記事", "body": "本文C。"}`,
	})
	idx := filepath.Join(t.TempDir(), "index")
	for run_ := 1; run_ <= 3; run_++ {
		sum := run(t, context.Background(), idx, ingest.Options{Workers: 1 + run_%2}, corpus)
		if sum.Failed != 1 || !strings.Contains(sum.Failures[0].Err.Error(), "a.json") || !strings.HasSuffix(sum.Failures[0].Path, "b.json") {
			t.Errorf("run %d: failures %v, want b.json's clash naming a.json", run_, sum.Failures)
		}
		ix, err := index.Open(idx, index.ReadOnly())
		if err != nil {
			t.Fatal(err)
		}
		a, err := ix.Get(context.Background(), "same")
		ix.Close()
		if err != nil || a.Title != "Aの記事" {
			t.Fatalf("run %d: same is %v (%v), want a.json's", run_, a, err)
		}
	}
	// a.json goes: b.json's article takes the ID
	if err := os.Remove(filepath.Join(corpus, "a.json")); err != nil {
		t.Fatal(err)
	}
	sum := run(t, context.Background(), idx, ingest.Options{}, corpus)
	ix, _ := index.Open(idx, index.ReadOnly())
	a, err := ix.Get(context.Background(), "same")
	ix.Close()
	if err != nil || a.Title != "Bの記事" || sum.Failed != 0 {
		t.Errorf("after a.json is gone: %v (%v), %d failed", a, err, sum.Failed)
	}
}

// TestStreamedJSONLines indexes a JSON Lines file larger than the limit
// for files read whole; a second run after a few records change analyses
// those only; a record dropped is removed.
func TestStreamedJSONLines(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "corpus")
	var b strings.Builder
	for i := range 500 {
		fmt.Fprintf(&b, `{"id": "r%03d", "title": "記事%d", "body": "%s"}`+"\n", i, i, strings.Repeat("本文の文章です。", 20))
	}
	writeFiles(t, corpus, map[string]string{"dump.jsonl": b.String()})
	idx := filepath.Join(t.TempDir(), "index")
	opt := ingest.Options{MaxFileSize: 1024}
	sum := run(t, context.Background(), idx, opt, corpus)
	if sum.Indexed != 500 || sum.Failed != 0 {
		t.Fatalf("first run: %d indexed, failures %v", sum.Indexed, sum.Failures)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	lines[10] = strings.Replace(lines[10], "記事10", "記事10改", 1)
	lines = append(lines[:20], lines[21:]...) // r020 goes
	lines = append(lines, `{"id": "r999", "title": "新しい記事", "body": "本文。"}`)
	writeFiles(t, corpus, map[string]string{"dump.jsonl": strings.Join(lines, "\n") + "\n"})
	sum = run(t, context.Background(), idx, opt, corpus)
	if sum.Indexed != 1 || sum.Updated != 1 || sum.Removed != 1 || sum.Unchanged != 498 {
		t.Errorf("second run: indexed %d, updated %d, removed %d, unchanged %d; want 1, 1, 1, 498",
			sum.Indexed, sum.Updated, sum.Removed, sum.Unchanged)
	}
	got := ids(t, idx)
	if len(got) != 500 || got[20] != "r021" || got[len(got)-1] != "r999" {
		t.Errorf("after the second run: %d articles, %v ... %v", len(got), got[18:22], got[len(got)-1])
	}
	sum = run(t, context.Background(), idx, opt, corpus)
	if sum.Unchanged != 500 || sum.Indexed+sum.Updated != 0 {
		t.Errorf("third run: %+v", sum)
	}
}
