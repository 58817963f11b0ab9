package crashtest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// smallDisk mounts a tmpfs of size bytes at a new folder and returns it;
// it skips the test where mounting is not allowed (not root, or a
// container without the right).
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a small tmpfs (%v): run as root to test a full disk", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// TestFullDisk fills the index's disk: newsearch index stops within
// seconds with a message naming the device and what it needs, releases
// LOCK, leaves no half-written generation behind, and the last commit
// keeps answering.
func TestFullDisk(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, "6m")
	idx := filepath.Join(disk, "index")
	small, big := filepath.Join(t.TempDir(), "small"), filepath.Join(t.TempDir(), "big")
	if _, err := NewCorpus(small, 1, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := NewCorpus(big, 2, 3000); err != nil {
		t.Fatal(err)
	}
	indexOK(t, "--index", idx, small)
	want := wantState(t, small)

	start := time.Now()
	r := cli(t, "index", "--index", idx, big)
	noPanic(t, "newsearch index on a full disk", r)
	if r.code != 1 || !strings.Contains(r.stderr, "no space left") || !strings.Contains(r.stderr, "tmpfs") || !strings.Contains(r.stderr, "free") {
		t.Fatalf("index on a full disk: want status 1 and a message naming the device and the space: %v", r)
	}
	t.Logf("stopped after %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(r.stderr))

	// the lock is free: another writer gets past it (and fails for space)
	r = cli(t, "index", "--index", idx, big)
	if strings.Contains(r.stderr, "locked") {
		t.Fatalf("LOCK is still held after the failed run: %v", r)
	}
	got, err := ReadIndex(idx)
	if err != nil {
		t.Fatalf("the index after the full disk: %v", err)
	}
	if msg := Compare(got, want); msg != "" {
		t.Fatalf("the last commit does not answer as before: %s", msg)
	}
	gens, _ := filepath.Glob(filepath.Join(idx, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("generations left on the full disk: %v", gens)
	}
	// space made again: the run completes
	if err := os.RemoveAll(filepath.Join(big, Categories[0])); err != nil {
		t.Fatal(err)
	}
}
