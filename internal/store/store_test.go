package store

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// newGen makes a generation with a segment and a root.bolt, stamped.
func newGen(t *testing.T, s *Store) string {
	t.Helper()
	gen, err := s.NextGen()
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Path(gen, "shard-00", "store")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// a segment whose footer checksum is right: CRC-32 of the bytes before it
	seg := make([]byte, 100)
	for i := range seg {
		seg[i] = byte(i)
	}
	seg = appendCRC(seg[:96])
	if err := os.WriteFile(filepath.Join(dir, "000000000001.zap"), seg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, RootBolt), []byte("bolt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteStamps(gen); err != nil {
		t.Fatal(err)
	}
	return gen
}

func TestPublishCloneCollect(t *testing.T) {
	s := New(t.TempDir())
	if _, err := s.Current(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Current of an empty store: %v", err)
	}
	g1 := newGen(t, s)
	if err := s.Publish(g1); err != nil {
		t.Fatal(err)
	}
	g2, _ := s.NextGen()
	if err := s.Clone(g1, g2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(s.Path(g1, "shard-00", "store", "000000000001.zap"))
	b, _ := os.Stat(s.Path(g2, "shard-00", "store", "000000000001.zap"))
	if !os.SameFile(a, b) {
		t.Error("the clone copied a segment instead of linking it")
	}
	pin, err := s.Pin(g1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(g2); err != nil {
		t.Fatal(err)
	}
	s.Collect()
	if _, err := os.Stat(s.Path(g1)); err != nil {
		t.Fatalf("Collect removed a pinned generation: %v", err)
	}
	pin.Unpin()
	s.Collect()
	if _, err := os.Stat(s.Path(g1)); !os.IsNotExist(err) {
		t.Fatalf("Collect left an unpinned old generation: %v", err)
	}
	if _, err := s.Pin(g1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("pinning a removed generation: %v", err)
	}
	if cur, _ := s.Current(); cur != g2 {
		t.Errorf("CURRENT is %s, want %s", cur, g2)
	}
}

func TestCheckpointIsNotPublished(t *testing.T) {
	s := New(t.TempDir())
	live := newGen(t, s)
	if err := s.Publish(live); err != nil {
		t.Fatal(err)
	}
	cp := newGen(t, s)
	if err := s.Checkpoint(cp); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.Current(); cur != live {
		t.Fatalf("a checkpoint moved CURRENT to %s", cur)
	}
	if r, err := s.Rebuilding(); err != nil || r != cp {
		t.Fatalf("Rebuilding = %s, %v", r, err)
	}
	s.Collect()
	if _, err := os.Stat(s.Path(cp)); err != nil {
		t.Fatalf("Collect removed the checkpoint: %v", err)
	}
	if err := s.DropRebuild(); err != nil {
		t.Fatal(err)
	}
	s.Collect()
	if _, err := os.Stat(s.Path(cp)); !os.IsNotExist(err) {
		t.Fatalf("a dropped checkpoint stays: %v", err)
	}
}

func TestVerify(t *testing.T) {
	s := New(t.TempDir())
	gen := newGen(t, s)
	if problems, err := s.Verify(gen); err != nil || len(problems) != 0 {
		t.Fatalf("a sound generation: %v %v", problems, err)
	}
	seg := s.Path(gen, "shard-00", "store", "000000000001.zap")
	b, _ := os.ReadFile(seg)
	b[10] ^= 1
	if err := os.WriteFile(seg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path(gen, "shard-00", "store", RootBolt), []byte("BOLT"), 0o644); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Verify(gen)
	if err != nil || len(problems) != 2 {
		t.Fatalf("a flipped byte and a changed root.bolt: %v %v", problems, err)
	}
	for _, p := range problems {
		if !strings.Contains(p.Err.Error(), p.Path) {
			t.Errorf("the problem does not name its file: %v", p.Err)
		}
	}
	if err := os.Remove(seg); err != nil {
		t.Fatal(err)
	}
	problems, _ = s.Verify(gen)
	found := false
	for _, p := range problems {
		found = found || strings.Contains(p.Err.Error(), "is missing")
	}
	if !found {
		t.Errorf("a missing segment is not reported: %v", problems)
	}
}

func TestLock(t *testing.T) {
	s := New(t.TempDir())
	l, err := s.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lock(); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid") {
		t.Errorf("a second lock: %v, want ErrLocked naming the holder", err)
	}
	l.Unlock()
	l.Unlock()
	l2, err := s.Lock()
	if err != nil {
		t.Fatalf("after unlocking: %v", err)
	}
	l2.Unlock()
}

func TestNoSpace(t *testing.T) {
	s := New(t.TempDir())
	for _, err := range []error{syscall.ENOSPC, errors.New("got err persisting snapshot: write x: no space left on device")} {
		if !IsNoSpace(err) {
			t.Errorf("IsNoSpace(%v) = false", err)
		}
	}
	if IsNoSpace(errors.New("permission denied")) {
		t.Error("IsNoSpace(permission denied)")
	}
	err := s.NoSpaceError(syscall.ENOSPC, 100<<20)
	if !errors.Is(err, ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "free") || !strings.Contains(err.Error(), "100.0 MiB") {
		t.Errorf("NoSpaceError: %v", err)
	}
	dev, mount, _, err := Space(s.Dir())
	if err != nil || dev == "" || !strings.HasPrefix(s.Dir(), mount) {
		t.Errorf("Space(%s) = %q, %q, %v", s.Dir(), dev, mount, err)
	}
}

// appendCRC appends the big-endian CRC-32 of b, as zap ends a segment.
func appendCRC(b []byte) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}
