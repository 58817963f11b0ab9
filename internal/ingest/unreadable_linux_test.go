//go:build linux

package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/newsearch/newsearch/internal/ingest"
)

// tooDeep makes, under dir, folders nested so deep that their path is
// longer than the system allows: a folder nobody can read, even root.
func tooDeep(t *testing.T, dir string) {
	t.Helper()
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := "deep-" + strings.Repeat("x", 200)
	for range 25 { // 25 × 206 bytes > PATH_MAX (4096)
		if err := syscall.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := syscall.Openat(fd, name, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	syscall.Close(fd)
}

// TestRunUnreadableFolder indexes a folder with a subfolder that cannot be
// read: the subfolder is reported, the rest indexed, and the next run
// leaves the articles alone (it removes none, as it cannot tell what is
// gone, and re-reads none that did not change).
func TestRunUnreadableFolder(t *testing.T) {
	c, full := newCorpus(t, 20)
	tooDeep(t, c.Dir)
	dir := filepath.Join(t.TempDir(), "index")

	for i := 1; i <= 2; i++ {
		sum := run(t, context.Background(), dir, ingest.Options{}, c.Dir)
		if sum.Failed != 1 || !errors.Is(sum.Failures[0].Err, syscall.ENAMETOOLONG) {
			t.Fatalf("run %d: %d failed: %v; want the deep folder", i, sum.Failed, sum.Failures)
		}
		wantIndexed, wantUnchanged := len(full), 0
		if i == 2 {
			wantIndexed, wantUnchanged = 0, len(full)
		}
		if sum.Indexed != wantIndexed || sum.Unchanged != wantUnchanged || sum.Updated != 0 {
			t.Errorf("run %d: indexed %d, unchanged %d, updated %d; want %d, %d, 0",
				i, sum.Indexed, sum.Unchanged, sum.Updated, wantIndexed, wantUnchanged)
		}
	}
	mustHold(t, dir, full, "after two runs")

	files := c.Files()
	if err := os.Remove(filepath.Join(c.Dir, files[0])); err != nil {
		t.Fatal(err)
	}
	sum := run(t, context.Background(), dir, ingest.Options{}, c.Dir)
	if sum.Removed != 0 {
		t.Errorf("a run that could not read the whole folder removed %d articles", sum.Removed)
	}
}
