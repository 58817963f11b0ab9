package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSegmentCutUnderTheServer cuts the segments of the generation being
// served (a memory-mapped file shrinking under the server, which used to
// kill it with SIGBUS): searches answer 503 saying the index is damaged
// and what to do, the server lives on, and /healthz says it is failing.
func TestSegmentCutUnderTheServer(t *testing.T) {
	dir := t.TempDir()
	if err := indexFolder(dir, "../../testdata/articles"); err != nil {
		t.Fatal(err)
	}
	_, ts := start(t, dir, Config{CacheEntries: -1})
	if res, status := search(t, ts, url.Values{"q": {"呉泳銘"}}); status != http.StatusOK || res.Total != 1 {
		t.Fatalf("before: %d, %+v", status, res)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "gen-*", "shard-*", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segments")
	}
	for _, z := range zaps {
		if err := os.Truncate(z, 10); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"京都", "スマホ", "date:2012"} {
		res, status := search(t, ts, url.Values{"q": {q}})
		if status != http.StatusServiceUnavailable || !strings.Contains(res.Error.Message, "damaged") || !strings.Contains(res.Error.Message, "--rebuild") {
			t.Errorf("%s after the cut: %d %q, want 503 saying the index is damaged", q, status, res.Error.Message)
		}
	}
	if h, status := healthOf(t, ts); status == http.StatusOK && h.Status == "ok" {
		t.Errorf("/healthz says ok with a damaged index: %+v", h)
	}
}
