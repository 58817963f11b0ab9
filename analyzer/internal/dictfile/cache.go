package dictfile

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
)

// CacheDirEnv names the environment variable that overrides CacheDir.
const CacheDirEnv = "NEWSEARCH_CACHE_DIR"

// ErrCacheUnwritable means a prepared dictionary had to be built but could
// not be written to the cache directory.
var ErrCacheUnwritable = errors.New("cache directory not writable")

// CacheDir returns the directory that holds prepared dictionaries:
// $NEWSEARCH_CACHE_DIR if set, else newsearch under os.UserCacheDir.
func CacheDir() (string, error) {
	if dir := os.Getenv(CacheDirEnv); dir != "" {
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("dictfile: no cache directory (set %s): %w", CacheDirEnv, err)
	}
	return filepath.Join(dir, "newsearch"), nil
}

// FileName returns the name of the prepared file for source src in the
// current format version. Binaries embedding different dictionaries use
// different files, so they do not rebuild each other's.
func FileName(src string) string {
	h := sha256.Sum256([]byte(src))
	return fmt.Sprintf("ipa-%s.v%d.dict", hex.EncodeToString(h[:6]), Version)
}

// OpenIPA opens the prepared form of the IPA dictionary embedded in this
// binary from directory dir ("" for CacheDir), building it from ipa.Dict
// first when it is missing or fails Open's checks. The built flag reports
// whether this call built it: a build costs what ipa.Dict costs, and the
// decoded dictionary stays in ipa's memory for the life of the process.
//
// A build writes a temporary file in dir and renames it into place, so a
// concurrent Open or OpenIPA in another process sees the old file, no file
// or the whole new one, never part of one. An error wraps
// ErrCacheUnwritable when dir cannot take the file; the caller can then use
// ipa.Dict directly.
func OpenIPA(dir string) (d *Dict, built bool, err error) {
	src, err := Source()
	if err != nil {
		return nil, false, fmt.Errorf("dictfile: %w", err)
	}
	if dir == "" {
		if dir, err = CacheDir(); err != nil {
			return nil, false, err
		}
	}
	path := filepath.Join(dir, FileName(src))
	d, err = open(path, src)
	if err == nil {
		return d, false, nil
	}
	if errors.Is(err, ErrUnsupported) {
		return nil, false, err
	}
	removeStaleTemps(path)
	if err := writeFile(path, ipa.Dict(), src); err != nil {
		return nil, false, err
	}
	d, err = open(path, src)
	if err != nil {
		return nil, true, err
	}
	return d, true, nil
}

// Prepared returns the path of a valid prepared file for the embedded IPA
// dictionary in dir ("" for CacheDir), building it when needed, as OpenIPA.
func Prepared(dir string) (string, error) {
	d, _, err := OpenIPA(dir)
	if err != nil {
		return "", err
	}
	path := d.Path()
	return path, d.Close()
}

// staleAge is how old a temporary file must be before a build removes it as
// left by a process that died while building; a build takes seconds.
const staleAge = time.Hour

// removeStaleTemps removes temporary files of path's builds older than
// staleAge.
func removeStaleTemps(path string) {
	temps, _ := filepath.Glob(path + ".tmp*")
	for _, t := range temps {
		if fi, err := os.Stat(t); err == nil && time.Since(fi.ModTime()) > staleAge {
			os.Remove(t)
		}
	}
}

// writeFile builds the prepared form of d with source src and puts it at
// path atomically.
func writeFile(path string, d *dict.Dict, src string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dictfile: %w: %w", ErrCacheUnwritable, err)
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("dictfile: %w: %w", ErrCacheUnwritable, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, a no-op that fails

	// No fsync: a file cut short by a crash fails the checksum and is
	// rebuilt, which costs less than syncing every first build.
	w := bufio.NewWriterSize(f, 1<<20)
	err = build(d, src, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("dictfile: writing %s: %w", tmp, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("dictfile: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("dictfile: %w: %w", ErrCacheUnwritable, err)
	}
	return nil
}
