package ingest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/newsearch/newsearch/internal/reader"
)

// file is one article file found under a root.
type file struct {
	path     string // as found on disk
	origin   string // absolute root: the folder given, or the file itself
	rel      string // path relative to the root, with forward slashes
	idBase   string // the article ID unless the file gives its own
	category string // the folder the file is in
	size     int64
	mtime    int64 // Unix ns
}

// key names the file across runs: its origin and its path in it.
func (f *file) key() string { return f.origin + "\x00" + f.rel }

// Skip is a file that was found and not read, and why.
type Skip struct {
	Path   string
	Reason string
}

// notArticle names files that travel with corpora but are not articles.
func notArticle(name string) bool {
	base := strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))
	switch base {
	case "LICENSE", "LICENCE", "README", "CHANGES", "CHANGELOG", "COPYING", "NOTICE", "AUTHORS":
		return true
	}
	return false
}

// walker lists the article files under roots.
type walker struct {
	follow     bool   // follow symbolic links inside folders
	indexDir   string // never walked: the index itself
	files      []*file
	skipped    []Skip
	failures   []Failure
	failedRoot map[string]bool // origins whose walk met an unreadable folder
	seen       map[string]bool // files by resolved path: each read once
}

func newWalker(indexDir string, follow bool) *walker {
	abs, _ := filepath.Abs(indexDir)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return &walker{follow: follow, indexDir: abs, failedRoot: map[string]bool{}, seen: map[string]bool{}}
}

func (w *walker) skip(path, reason string) { w.skipped = append(w.skipped, Skip{path, reason}) }

// root walks one folder or file given by the user. A root given through a
// symbolic link is followed: the user named it.
func (w *walker) root(root string) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	info, err := os.Stat(abs) // follows a link
	if err != nil {
		return fmt.Errorf("%s: %w", root, err)
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file or folder", root)
		}
		if !reader.Supported(abs) {
			return fmt.Errorf("%s: not an article file (want .txt, .md, .json, .jsonl, .ndjson, .html or .htm)", root)
		}
		parent := filepath.Base(filepath.Dir(abs))
		w.add(&file{path: abs, origin: abs, rel: filepath.Base(abs), idBase: parent + "/" + filepath.Base(abs),
			category: parent, size: info.Size(), mtime: info.ModTime().UnixNano()})
		return nil
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return fmt.Errorf("%s: %w", root, err)
	}
	if real == w.indexDir {
		return fmt.Errorf("%s is the index itself: give the folder of the articles", root)
	}
	w.dir(abs, real, abs, map[string]bool{})
	return nil
}

// dir walks the folder at path (whose real path is real) under origin.
// ancestors are the real folders above it, for finding loops.
func (w *walker) dir(origin, path, shown string, ancestors map[string]bool) {
	if ancestors[path] {
		w.skip(shown, "a symbolic link that leads back to a folder above it")
		return
	}
	ancestors[path] = true
	defer delete(ancestors, path)
	entries, err := os.ReadDir(path)
	if err != nil {
		w.failures = append(w.failures, Failure{Path: shown, Err: err})
		w.failedRoot[origin] = true
		return
	}
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(path, name)
		display := filepath.Join(shown, name)
		if strings.HasPrefix(name, ".") {
			if !e.IsDir() {
				w.skip(display, "hidden")
			}
			continue
		}
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			if !w.follow {
				w.skip(display, "a symbolic link (give --follow-symlinks to follow links inside folders)")
				continue
			}
			target, err := filepath.EvalSymlinks(full)
			if err != nil {
				w.skip(display, fmt.Sprintf("a symbolic link that leads nowhere (%v)", err))
				continue
			}
			info, err := os.Stat(target)
			if err != nil {
				w.skip(display, fmt.Sprintf("a symbolic link that leads nowhere (%v)", err))
				continue
			}
			if info.IsDir() {
				if target == w.indexDir {
					continue
				}
				w.dir(origin, target, display, ancestors)
				continue
			}
			w.file(origin, target, display, info)
			continue
		}
		if e.IsDir() {
			if full == w.indexDir {
				continue
			}
			w.dir(origin, full, display, ancestors)
			continue
		}
		info, err := e.Info()
		if err != nil {
			w.failures = append(w.failures, Failure{Path: display, Err: err})
			w.failedRoot[origin] = true
			continue
		}
		w.file(origin, full, display, info)
	}
}

// file considers one entry of a folder: read path, shown as display.
func (w *walker) file(origin, path, display string, info fs.FileInfo) {
	name := filepath.Base(display)
	switch {
	case !info.Mode().IsRegular():
		w.skip(display, "not a regular file ("+kind(info.Mode())+")")
		return
	case notArticle(name):
		w.skip(display, "not an article (licence, readme or the like)")
		return
	case !reader.Supported(name):
		w.skip(display, "not an article file (want .txt, .md, .json, .jsonl, .ndjson, .html or .htm)")
		return
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		id := fmt.Sprintf("%d:%d", st.Dev, st.Ino)
		if w.seen[id] {
			w.skip(display, "the same file as another already found (a link)")
			return
		}
		w.seen[id] = true
	}
	rel, _ := filepath.Rel(origin, display)
	rel = filepath.ToSlash(rel)
	cat := ""
	if dir := filepath.Dir(rel); dir != "." {
		cat = filepath.Base(dir)
	}
	w.add(&file{path: path, origin: origin, rel: rel, idBase: rel, category: cat, size: info.Size(), mtime: info.ModTime().UnixNano()})
}

func (w *walker) add(f *file) { w.files = append(w.files, f) }

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	}
	return m.Type().String()
}

// find lists the article files under roots, sorted by origin and path.
func find(roots []string, indexDir string, follow bool) (*walker, error) {
	w := newWalker(indexDir, follow)
	for _, r := range roots {
		if err := w.root(r); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(w.files, func(i, j int) bool {
		a, b := w.files[i], w.files[j]
		if a.origin != b.origin {
			return a.origin < b.origin
		}
		return a.rel < b.rel
	})
	return w, nil
}
