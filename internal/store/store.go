// Package store keeps an index directory as a series of immutable
// generations, published atomically:
//
//	newsearch.json   what the index is (written by the index package)
//	CURRENT          the name of the live generation, replaced atomically
//	REBUILD          a rebuild in progress: its last checkpoint (a
//	                 generation no reader sees until it is complete)
//	LOCK             held (flock) by the one process that writes
//	gen-000007/      one generation: its files never change once published
//
// A writer clones the live generation into a new one (hard links for
// immutable segment files, copies of everything else), writes there, and
// publishes it by renaming a new CURRENT into place. Readers open the
// generation CURRENT names and never wait for a writer; a writer killed at
// any point leaves CURRENT, and so the index, as it was at its last
// publish.
//
// The package knows files, not search: what a generation holds is its
// owner's business, except that files ending in .zap are immutable bleve
// segments (hard-linked, checksummed by their footer) and root.bolt files
// are checked against the checksum recorded at publish.
package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	currentFile = "CURRENT"
	rebuildFile = "REBUILD"
	lockFile    = "LOCK"
	genPrefix   = "gen-"
)

// ErrLocked is returned by Lock when another process writes.
var ErrLocked = errors.New("index is locked by another writer")

// Store is an index directory.
type Store struct {
	dir string
}

// New returns the store at dir; nothing is read or created.
func New(dir string) *Store { return &Store{dir: dir} }

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Path returns the path of a generation, or of a file in it.
func (s *Store) Path(gen string, elem ...string) string {
	return filepath.Join(append([]string{s.dir, gen}, elem...)...)
}

func genName(n int) string { return fmt.Sprintf("%s%06d", genPrefix, n) }

// IsGen reports whether name is a generation's name.
func IsGen(name string) bool {
	_, ok := genNumber(name)
	return ok
}

func genNumber(name string) (int, bool) {
	if !strings.HasPrefix(name, genPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(name[len(genPrefix):])
	return n, err == nil && n > 0
}

// Current returns the live generation's name, or an error wrapping
// fs.ErrNotExist when no generation was ever published.
func (s *Store) Current() (string, error) { return s.pointer(currentFile) }

// Rebuilding returns the checkpoint of a rebuild in progress, or an error
// wrapping fs.ErrNotExist.
func (s *Store) Rebuilding() (string, error) { return s.pointer(rebuildFile) }

func (s *Store) pointer(name string) (string, error) {
	path := filepath.Join(s.dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	gen := strings.TrimSpace(string(b))
	if !IsGen(gen) {
		return "", fmt.Errorf("%s: %q is not a generation name", path, gen)
	}
	return gen, nil
}

// Publish makes gen the live generation: CURRENT is written to a
// temporary file, synced and renamed into place.
func (s *Store) Publish(gen string) error {
	if err := syncTree(s.Path(gen)); err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, currentFile+".tmp")
	if err := writeFileSync(tmp, []byte(gen+"\n")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, currentFile)); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// Checkpoint records gen as the last checkpoint of a rebuild in progress,
// without publishing it.
func (s *Store) Checkpoint(gen string) error {
	if err := syncTree(s.Path(gen)); err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, rebuildFile+".tmp")
	if err := writeFileSync(tmp, []byte(gen+"\n")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, rebuildFile)); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// DropRebuild forgets a rebuild in progress; Collect removes its files.
func (s *Store) DropRebuild() error {
	err := os.Remove(filepath.Join(s.dir, rebuildFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// NextGen returns the name of a new generation, higher than any on disk.
func (s *Store) NextGen() (string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return "", err
	}
	top := 0
	for _, e := range entries {
		if n, ok := genNumber(e.Name()); ok && n > top {
			top = n
		}
	}
	return genName(top + 1), nil
}

// Clone creates generation dst as a copy of src: immutable files are
// hard-linked (copied where links are not supported), everything else is
// copied. A failed clone removes what it made.
func (s *Store) Clone(src, dst string) (err error) {
	from, to := s.Path(src), s.Path(dst)
	if err := os.Mkdir(to, 0o755); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(to)
		}
	}()
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			return os.MkdirAll(target, 0o755)
		}
		if immutable(path) {
			if err := os.Link(path, target); err == nil {
				return nil
			}
		}
		return copyFile(path, target)
	})
}

// immutable reports whether a file is never changed once written, so that
// a clone may share it: bleve's segments, and files written whole and
// renamed into place (.gz).
func immutable(path string) bool {
	return strings.HasSuffix(path, ".zap") || strings.HasSuffix(path, ".gz")
}

// Orphaned reports whether generations that were published (they carry
// stamps) are on disk while CURRENT is not: CURRENT was lost. Generations
// of a first build that never got as far as publishing are not evidence.
func (s *Store) Orphaned() bool {
	if _, err := s.Current(); err == nil {
		return false
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if IsGen(e.Name()) {
			if _, err := os.Stat(s.Path(e.Name(), stampsFile)); err == nil {
				return true
			}
		}
	}
	return false
}

// Remove removes a generation that was never published.
func (s *Store) Remove(gen string) error { return os.RemoveAll(s.Path(gen)) }

// Collect removes the generations other than the live one, the rebuild
// checkpoint and keep that no process has open (pinned). Each is locked
// exclusively while it is removed, so that a reader that comes for it
// meanwhile fails to pin it and looks at CURRENT again.
func (s *Store) Collect(keep ...string) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	if cur, err := s.Current(); err == nil {
		keep = append(keep, cur)
	}
	if r, err := s.Rebuilding(); err == nil {
		keep = append(keep, r)
	}
	for _, e := range entries {
		name := e.Name()
		if !IsGen(name) || contains(keep, name) {
			continue
		}
		f, err := os.Open(s.Path(name))
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			_ = os.RemoveAll(s.Path(name))
		}
		f.Close() // and with it the lock
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Pin is a reader's hold on a generation: Collect leaves a pinned
// generation alone.
type Pin struct{ f *os.File }

// Pin holds generation gen for reading, until Unpin. It fails (wrapping
// fs.ErrNotExist) when the generation is gone or being removed: read
// CURRENT again.
func (s *Store) Pin(gen string) (*Pin, error) {
	f, err := os.Open(s.Path(gen))
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is being removed: %w", s.Path(gen), fs.ErrNotExist)
	}
	if _, err := os.Stat(s.Path(gen, ".")); err != nil {
		f.Close()
		return nil, err
	}
	return &Pin{f: f}, nil
}

// Unpin releases the hold; a nil pin, or unpinning twice, is harmless.
func (p *Pin) Unpin() {
	if p == nil || p.f == nil {
		return
	}
	_ = p.f.Close()
	p.f = nil
}

// Lock is the exclusive lock of the one process that writes.
type Lock struct{ f *os.File }

// Lock takes the writer lock without waiting: a second writer learns at
// once who holds it (ErrLocked, naming the file and the holder).
func (s *Store) Lock() (*Lock, error) {
	path := filepath.Join(s.dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(io.LimitReader(f, 200))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := strings.TrimSpace(string(holder))
			if who == "" {
				who = "another process"
			}
			return nil, fmt.Errorf("%w: %s is held by %s", ErrLocked, path, who)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("pid %d since %s\n", os.Getpid(), time.Now().Format(time.RFC3339))), 0)
	return &Lock{f: f}, nil
}

// Unlock releases the lock; unlocking twice, or a nil lock, is harmless.
func (l *Lock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}

// Size returns the bytes used by a generation.
func (s *Store) Size(gen string) int64 {
	var total int64
	_ = filepath.WalkDir(s.Path(gen), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return total
}

// WriteFile writes a file into a generation being written, synced.
func (s *Store) WriteFile(gen, name string, data []byte) error {
	return writeFileSync(s.Path(gen, name), data)
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		_ = os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		_ = os.Remove(path)
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// syncTree syncs the directories of a generation, so that a rename of
// CURRENT never makes visible a generation whose entries are not on disk.
// (Files are synced by whoever wrote them: bleve and writeFileSync.)
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return syncDir(path)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
