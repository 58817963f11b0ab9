package ingest_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/internal/crashtest"
	"github.com/newsearch/newsearch/internal/ingest"
)

// TestRunFileVanishes removes one file and makes another unreadable after
// the run has found them and before it reads them: each is reported with
// its path and the reason, and the run indexes the others.
func TestRunFileVanishes(t *testing.T) {
	c, _ := newCorpus(t, 30)
	files := c.Files()
	gone := filepath.Join(c.Dir, files[len(files)-1])
	var lockedRel string // a .txt file far from the start: one article, whose ID is its path
	for _, f := range files[len(files)/2 : len(files)-1] {
		if strings.HasSuffix(f, ".txt") {
			lockedRel = f
		}
	}
	if lockedRel == "" {
		t.Fatal("no .txt file in the second half of the corpus")
	}
	locked := filepath.Join(c.Dir, lockedRel)
	canLock := true

	dir := filepath.Join(t.TempDir(), "index")
	opt := ingest.Options{Workers: 1, Progress: func(p ingest.Progress) {
		if p.FilesDone != 1 {
			return
		}
		if err := os.Remove(gone); err != nil {
			t.Error(err)
		}
		if err := os.Chmod(locked, 0); err != nil {
			t.Error(err)
		}
		if f, err := os.Open(locked); err == nil { // root reads it all the same
			f.Close()
			canLock = false
		}
	}}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o644) })
	sum := run(t, context.Background(), dir, opt, c.Dir)

	wantFailed := map[string]error{gone: fs.ErrNotExist}
	if canLock {
		wantFailed[locked] = fs.ErrPermission
	} else {
		t.Log("running as root, who reads files with mode 000: not testing the unreadable file")
	}
	for _, f := range sum.Failures {
		want, ok := wantFailed[f.Path]
		if !ok || !errors.Is(f.Err, want) || !strings.Contains(f.Err.Error(), filepath.Base(f.Path)) {
			t.Errorf("failure %s: %v", f.Path, f.Err)
		}
		delete(wantFailed, f.Path)
	}
	for path, err := range wantFailed {
		t.Errorf("%s was not reported (want %v)", path, err)
	}

	// what is left is indexed, with the reader's text
	if err := os.Chmod(locked, 0o644); err != nil {
		t.Fatal(err)
	}
	want, _, err := crashtest.Want(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if canLock {
		delete(want, lockedRel)
	}
	mustHold(t, dir, want, "after the run")
}
