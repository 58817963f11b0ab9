package index

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// Source is what an index remembers of a file its articles came from, so
// that a later run over the same folder reads again only what changed.
// The index keeps these for the program that writes it (the newsearch
// command keeps one per article file); they are published with the
// articles, in the same generation, so a crash never separates them.
type Source struct {
	Origin   string `json:"o"`           // the folder (or file) given to the indexer
	File     string `json:"f"`           // the file, relative to Origin
	Size     int64  `json:"s"`           // bytes, when indexed
	ModTime  int64  `json:"m"`           // modification time, Unix ns, when indexed
	Hash     string `json:"h"`           // content hash
	Articles int    `json:"n"`           // articles indexed from it
	Partial  bool   `json:"p,omitempty"` // some of it failed: read it again next time
}

// sourcesFile is the generation's table of sources: gzipped JSON Lines,
// sorted by origin and file.
const sourcesFile = "sources.jsonl.gz"

// sources is the table of an open writer, loaded on first use.
type sources struct {
	mu      sync.Mutex
	loaded  bool
	changed bool
	by      map[string]map[string]Source // origin -> file -> source
}

// load reads the table of generation gen unless it is loaded.
func (s *sources) load(path string) error {
	if s.loaded {
		return nil
	}
	s.by = map[string]map[string]Source{}
	s.loaded = true
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var src Source
		if err := json.Unmarshal(sc.Bytes(), &src); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		s.put(src)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	return nil
}

func (s *sources) put(src Source) {
	m := s.by[src.Origin]
	if m == nil {
		m = map[string]Source{}
		s.by[src.Origin] = m
	}
	m[src.File] = src
}

// writerSources returns the writer's table, loaded.
func (ix *Index) writerSources() (*sources, error) {
	if ix.readOnly {
		return nil, ErrReadOnly
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, err := ix.live(); err != nil {
		return nil, err
	}
	if ix.w.sources == nil {
		ix.w.sources = &sources{}
	}
	s := ix.w.sources
	s.mu.Lock()
	defer s.mu.Unlock()
	return s, s.load(ix.st.Path(ix.gen, sourcesFile))
}

// Sources returns the sources recorded for an origin, by file. Only a
// writer keeps them.
func (ix *Index) Sources(origin string) (map[string]Source, error) {
	s, err := ix.writerSources()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Source, len(s.by[origin]))
	for k, v := range s.by[origin] {
		out[k] = v
	}
	return out, nil
}

// SetSource records a source, replacing what was recorded for its file; it
// is published with the next Commit or Close.
func (ix *Index) SetSource(src Source) error {
	s, err := ix.writerSources()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.put(src)
	s.changed = true
	return nil
}

// RemoveSource forgets a file.
func (ix *Index) RemoveSource(origin, file string) error {
	s, err := ix.writerSources()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.by[origin]; m != nil {
		delete(m, file)
		if len(m) == 0 {
			delete(s.by, origin)
		}
		s.changed = true
	}
	return nil
}

// saveSources writes the table into the writer's generation when it
// changed (the clone carries it otherwise). Call with mu held.
func (ix *Index) saveSources() error {
	s := ix.w.sources
	if s == nil || !s.changed {
		return nil
	}
	origins := sortedKeys(s.by)
	err := ix.writeGz(sourcesFile, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, o := range origins {
			for _, name := range sortedKeys(s.by[o]) {
				if err := enc.Encode(s.by[o][name]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.changed = false
	return nil
}
