package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/internal/ingest"
)

// TestRunReportsPartialFilesAgain checks that a file indexed in part (a
// bad JSON Lines record, an article the index refuses) is reported again by
// every run while it stays so, as a file that fails entirely is, and that
// once mended it is read once more and then left alone.
func TestRunReportsPartialFilesAgain(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lines.jsonl", `{"title": "一行目", "body": "正しい記事。"}
{"title": "二行目", "body": 
{"title": "三行目", "body": "正しい記事。"}
`)
	// the second article repeats the first one's ID: it is refused
	write("refused.json", `[{"id": "r1", "title": "正しい記事", "body": "本文。"}, {"id": "r1", "title": "同じID", "body": "本文。"}]`)
	write("good.md", "# 正しい記事\n\n本文。\n")
	dir := filepath.Join(t.TempDir(), "index")

	failed := func(sum *ingest.Summary) string {
		var out []string
		for _, f := range sum.Failures {
			out = append(out, filepath.Base(f.Path))
		}
		return strings.Join(out, " ")
	}
	for i := 1; i <= 2; i++ {
		sum := run(t, context.Background(), dir, ingest.Options{}, corpus)
		got := failed(sum)
		if !strings.Contains(got, "lines.jsonl:2") || !strings.Contains(got, "refused.json") || sum.Failed != 2 {
			t.Errorf("run %d: %d failed (%s), want lines.jsonl:2 and refused.json", i, sum.Failed, got)
		}
		// the second run reads the two files again, and leaves the
		// articles it already has alone: lines #1 and #3, r1, good.md
		if i == 2 && (sum.Unchanged != 4 || sum.Indexed+sum.Updated != 0) {
			t.Errorf("run %d: %d unchanged, %d written, want 4 and 0", i, sum.Unchanged, sum.Indexed+sum.Updated)
		}
	}

	write("lines.jsonl", `{"title": "一行目", "body": "正しい記事。"}
{"title": "二行目", "body": "直した記事。"}
{"title": "三行目", "body": "正しい記事。"}
`)
	sum := run(t, context.Background(), dir, ingest.Options{}, corpus)
	if sum.Failed != 1 || sum.Indexed != 1 || sum.Updated != 0 || sum.Unchanged != 4 {
		t.Errorf("after mending lines.jsonl: %d failed (%s), %d indexed, %d updated, %d unchanged; want 1 (refused.json), 1 (lines #2), 0 and 4",
			sum.Failed, failed(sum), sum.Indexed, sum.Updated, sum.Unchanged)
	}
	sum = run(t, context.Background(), dir, ingest.Options{}, corpus)
	if sum.Unchanged != 5 || sum.Failed != 1 {
		t.Errorf("the run after: %d unchanged, %d failed; want 5 (lines.jsonl, good.md, r1) and 1 (refused.json, read again)", sum.Unchanged, sum.Failed)
	}
}
