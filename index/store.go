package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// On disk an index is a directory of generations:
//
//	newsearch.json   what the index is: format, analysis (written at creation)
//	CURRENT          the name of the live generation, replaced atomically
//	LOCK             held (flock) by the one process that writes
//	gen-000007/      a bleve index; never modified once CURRENT names it
//
// A writer copies the live generation into a new one (hard links for the
// immutable segment files, a copy of the small root.bolt), writes there, and
// publishes it by renaming a new CURRENT into place. Readers open the
// generation CURRENT names and never wait for a writer; a writer killed
// mid-run leaves CURRENT, and so the index, as it was at its last commit.

const (
	metaFile    = "newsearch.json"
	currentFile = "CURRENT"
	lockFile    = "LOCK"
	genPrefix   = "gen-"
)

// store is the directory of an index.
type store struct {
	dir string
	// staged is what the next publish puts in place besides CURRENT.
	staged *staged
}

// staged holds the newsearch.json and the user dictionary (nil: none) of a
// new or rebuilt index until its first generation is published.
type staged struct {
	meta, userDict []byte
	// sameAnalysis: the live generation has the same analysis, so it may be
	// read with the new newsearch.json until CURRENT names the new one.
	sameAnalysis bool
}

func genName(n int) string { return fmt.Sprintf("%s%06d", genPrefix, n) }

func genNumber(name string) (int, bool) {
	if !strings.HasPrefix(name, genPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(name[len(genPrefix):])
	return n, err == nil
}

// current returns the live generation's name, or fs.ErrNotExist.
func (s store) current() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, currentFile))
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(b))
	if _, ok := genNumber(name); !ok {
		return "", fmt.Errorf("%s: %q is not a generation name", filepath.Join(s.dir, currentFile), name)
	}
	return name, nil
}

// publish makes gen the live generation: write CURRENT.tmp, sync, rename.
// Staged files go in place first.
func (s *store) publish(gen string) error {
	tmp := filepath.Join(s.dir, currentFile+".tmp")
	if err := writeFileSync(tmp, []byte(gen+"\n")); err != nil {
		return err
	}
	if s.staged != nil {
		if err := s.putStaged(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, currentFile)); err != nil {
		return err
	}
	s.staged = nil
	return syncDir(s.dir)
}

// putStaged puts the staged newsearch.json and user dictionary in place.
// Unless the analysis stays the same, CURRENT is removed first: no reader
// may pair the old generation with the new analysis. A crash between here
// and the rename of CURRENT leaves an index without CURRENT, which readers
// and writers report as damaged (rebuild it).
func (s *store) putStaged() error {
	st := s.staged
	metaTmp, dictTmp := filepath.Join(s.dir, metaFile+".tmp"), filepath.Join(s.dir, userDictFile+".tmp")
	if err := writeFileSync(metaTmp, st.meta); err != nil {
		return err
	}
	if st.userDict != nil {
		if err := writeFileSync(dictTmp, st.userDict); err != nil {
			return err
		}
	}
	if !st.sameAnalysis {
		if err := os.Remove(filepath.Join(s.dir, currentFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := syncDir(s.dir); err != nil {
			return err
		}
	}
	if st.userDict != nil {
		if err := os.Rename(dictTmp, filepath.Join(s.dir, userDictFile)); err != nil {
			return err
		}
	} else if err := os.Remove(filepath.Join(s.dir, userDictFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(metaTmp, filepath.Join(s.dir, metaFile))
}

// nextGen returns the name of a new generation, higher than any on disk.
func (s store) nextGen() (string, error) {
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

// cloneGen creates generation dst as a copy of src: immutable segment files
// are hard-linked (copied where links are not supported), everything else,
// root.bolt above all, is copied.
func (s store) cloneGen(src, dst string) error {
	from, to := filepath.Join(s.dir, src), filepath.Join(s.dir, dst)
	if err := os.Mkdir(to, 0o755); err != nil {
		return err
	}
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
		if strings.HasSuffix(path, ".zap") {
			if err := os.Link(path, target); err == nil {
				return nil
			}
		}
		return copyFile(path, target)
	})
}

// collect removes generations other than keep that no process has open.
// bleve holds a lock on root.bolt while a generation is open (shared for
// readers), so a generation whose root.bolt we can lock exclusively is
// unused.
func (s store) collect(keep string) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if _, ok := genNumber(e.Name()); !ok || e.Name() == keep {
			continue
		}
		dir := filepath.Join(s.dir, e.Name())
		if inUse(filepath.Join(dir, "root.bolt")) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

func inUse(boltPath string) bool {
	f, err := os.OpenFile(boltPath, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// writerLock is the exclusive lock of the one process that writes.
type writerLock struct{ f *os.File }

// lock takes the writer lock without waiting: a second writer learns at once
// who holds it.
func (s store) lock() (*writerLock, error) {
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
	return &writerLock{f: f}, nil
}

func (l *writerLock) unlock() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}

// sizeOnDisk returns the bytes used by the live generation and the metadata.
func (s store) sizeOnDisk(gen string) int64 {
	var total int64
	_ = filepath.WalkDir(filepath.Join(s.dir, gen), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	if info, err := os.Stat(filepath.Join(s.dir, metaFile)); err == nil {
		total += info.Size()
	}
	return total
}

// zapFooterSize is the size of the fixed part of a zap segment's footer,
// which ends with a CRC-32 (IEEE, big-endian) of all the bytes before it.
const zapFooterSize = 40

// checkSegment checks a zap segment file against the checksum at its end.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() < zapFooterSize {
		return fmt.Errorf("segment %s is damaged: %d bytes is too short for a segment", path, info.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, info.Size()-4); err != nil {
		return fmt.Errorf("segment %s: %w", path, err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("segment %s: %w", path, err)
	}
	if binary.BigEndian.Uint32(sum[:]) != h.Sum32() {
		return fmt.Errorf("segment %s is damaged: its checksum does not match its bytes (changed or cut short after it was written)", path)
	}
	return nil
}

// diagnose looks for the damaged file of a generation that bleve failed
// to open with err, and returns an error that names it.
func diagnose(gen string, err error) error {
	meta := filepath.Join(gen, "index_meta.json")
	if b, rerr := os.ReadFile(meta); rerr == nil && !json.Valid(b) {
		return fmt.Errorf("%s is damaged: it is not JSON", meta)
	}
	bolt := filepath.Join(gen, "store", "root.bolt")
	switch info, serr := os.Stat(bolt); {
	case errors.Is(serr, fs.ErrNotExist):
		return fmt.Errorf("%s is missing", bolt)
	case serr == nil && info.Size() == 0:
		return fmt.Errorf("%s is damaged: it is empty", bolt)
	}
	for name := range readStamps(gen) {
		if _, serr := os.Stat(filepath.Join(gen, "store", name)); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("segment %s is missing", filepath.Join(gen, "store", name))
		}
	}
	zaps, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
	for _, z := range zaps {
		if serr := checkSegment(z); serr != nil {
			return serr
		}
	}
	msg, _, _ := strings.Cut(err.Error(), "\n") // bleve appends the whole mapping
	return fmt.Errorf("%s: %s (its store/root.bolt is damaged, or a segment it names is missing)", gen, msg)
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
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

// verifiedFile, in a generation, records the size and modification time of
// each segment file as the writer left it. A reader checks a segment's
// checksum (reading all of it) only when the file no longer looks as
// recorded, so a cold query does not read the whole index; a segment
// changed or cut short after it was written is still caught.
const verifiedFile = "segments.json"

type segmentStamp struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
	CRC     uint32 `json:"crc,omitempty"` // root.bolt only: small, checked on every open
}

// rootBolt is bleve's metadata file in a generation's store. bbolt reads it
// through a memory map and trusts its page numbers: a damaged one can crash
// the process where no recover reaches, so it is checked before bleve
// opens it.
const rootBolt = "root.bolt"

// writeStamps records the segment files of the generation at genDir.
func writeStamps(genDir string) error {
	dir := filepath.Join(genDir, "store")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	stamps := map[string]segmentStamp{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".zap") && e.Name() != rootBolt {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		st := segmentStamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		if e.Name() == rootBolt {
			b, err := os.ReadFile(filepath.Join(dir, rootBolt))
			if err != nil {
				return err
			}
			st.CRC = crc32.ChecksumIEEE(b)
		}
		stamps[e.Name()] = st
	}
	b, err := json.Marshal(stamps)
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(genDir, verifiedFile), b)
}

// readStamps returns the recorded segments of a generation, or nil.
func readStamps(genDir string) map[string]segmentStamp {
	b, err := os.ReadFile(filepath.Join(genDir, verifiedFile))
	if err != nil {
		return nil
	}
	var stamps map[string]segmentStamp
	if json.Unmarshal(b, &stamps) != nil {
		return nil
	}
	return stamps
}

// checkRootBolt compares a generation's root.bolt with its stamp.
func checkRootBolt(genDir string, stamps map[string]segmentStamp) error {
	st, ok := stamps[rootBolt]
	if !ok {
		return nil // an older generation without the stamp
	}
	path := filepath.Join(genDir, "store", rootBolt)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(b)) != st.Size || crc32.ChecksumIEEE(b) != st.CRC {
		return fmt.Errorf("%s is damaged: its checksum does not match what the writer recorded", path)
	}
	return nil
}

// unchangedSince reports whether the segment at path is as stamped.
func unchangedSince(stamps map[string]segmentStamp, path string) bool {
	st, ok := stamps[filepath.Base(path)]
	if !ok {
		return false
	}
	info, err := os.Stat(path)
	return err == nil && info.Size() == st.Size && info.ModTime().UnixNano() == st.ModTime
}
