// Package index is the newsearch library: a full-text index of Japanese news
// articles on disk, with hybrid word/bigram matching, ranking, facets and
// snippets.
//
//	ix, err := index.Open("news.idx")
//	...
//	err = ix.Add(ctx, index.Article{ID: "a1", Title: "...", Body: "..."})
//	res, err := ix.Search(ctx, index.Request{Query: "呉泳銘"})
//
// An index is written by one process at a time and read by any number, who
// never wait for the writer: they see the index as of the writer's last
// Commit (or Close). On disk it is a series of generations (package
// internal/store); each generation holds the articles in shards, bleve
// indexes searched in parallel.
package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/internal/store"
)

// FormatVersion is the version of the on-disk layout and of the mapping.
// 2: doc values compressed (format 1 indexes of more than one segment have
// wrong facets and date order). 3: shards, and what an index is recorded
// in each generation. 4: what the index learns from its articles (aliases,
// name readings, near-duplicates) kept in each generation (knowledge.go).
const FormatVersion = 4

// Files of a generation besides its shards.
const (
	metaFile     = "newsearch.json" // what the index is: format, analysis, shards
	userDictFile = "userdict.csv"   // the user dictionary it was built with
)

// DefaultShards is the number of shards of a new index.
const DefaultShards = 4

// MaxShards bounds WithShards.
const MaxShards = 64

// meta is newsearch.json: what an index is, fixed at creation.
type meta struct {
	Format   int       `json:"format"`
	Analysis string    `json:"analysis"` // analyzer.Analyzer.Config()
	Mode     string    `json:"mode"`
	UserDict bool      `json:"user_dict,omitempty"`
	Shards   int       `json:"shards"`
	Created  time.Time `json:"created"`
}

// Index is an open index. Its methods are safe for concurrent use.
type Index struct {
	dir      string
	st       *store.Store
	an       *analyzer.Analyzer
	meta     meta
	readOnly bool
	lock     *store.Lock

	mu     sync.RWMutex // guards gen, shards and broken against Commit and Close
	gen    string
	shards []*shard   // nil once closed
	broken error      // why the Index can no longer be used
	pin    *store.Pin // a reader's hold on its generation
	stats  *genStats  // a reader's generation's statistics (nil: sum the shards')

	w *writer // nil when read-only

	kc          knowCache // the knowledge tables read (knowledge.go)
	aliasesPath string    // the user's aliases file, "" for the default
}

// writer is the state of an Index open for writing.
type writer struct {
	t         *tracker
	bulk      bool // the generation started empty: merge only at the end
	rebuild   bool // publish only when complete: checkpoints before
	skipMerge atomic.Bool
	suspended bool        // finishing by Suspend
	closing   bool        // finishing by Close or Suspend
	dirty     atomic.Bool // written since the generation was cloned
	sources   *sources
	know      *knowTable // every article's share of what the index learns
}

type options struct {
	readOnly bool
	rebuild  bool
	mode     analyzer.Mode
	userDict string
	shards   int
}

// Option configures Open.
type Option func(*options)

// ReadOnly opens an existing index for searching only. Any number of
// read-only opens may run beside one writer.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// Rebuild builds the index anew, beside the one readers see: the writer
// starts from an empty index that takes the analysis and shards given now,
// and Close replaces the live index with it only when complete. Until then
// readers go on seeing the old one; a rebuild stopped early (Suspend, or a
// crash) is resumed by the next writer opened with Rebuild and the same
// settings.
func Rebuild() Option { return func(o *options) { o.rebuild = true } }

// WithMode sets the segmentation mode of a new index.
func WithMode(m analyzer.Mode) Option { return func(o *options) { o.mode = m } }

// WithUserDict sets the user dictionary (kagome CSV) of a new index; the
// index keeps a copy.
func WithUserDict(path string) Option { return func(o *options) { o.userDict = path } }

// WithShards sets the number of shards of a new index (1 to MaxShards;
// DefaultShards without it). Results do not depend on it.
func WithShards(n int) Option { return func(o *options) { o.shards = n } }

// Open opens the index in directory dir. Without ReadOnly it opens for
// writing, creating the index if there is none, and fails with ErrLocked
// when another process is writing.
func Open(dir string, opts ...Option) (*Index, error) {
	o := options{mode: analyzer.DefaultMode}
	for _, opt := range opts {
		opt(&o)
	}
	if o.shards < 0 || o.shards > MaxShards {
		return nil, fmt.Errorf("%d shards: want 1 to %d", o.shards, MaxShards)
	}
	ix := &Index{dir: dir, st: store.New(dir), readOnly: o.readOnly}
	if o.readOnly {
		if err := ix.openReader(); err != nil {
			return nil, err
		}
		return ix, nil
	}
	if err := ix.openWriter(o); err != nil {
		ix.lock.Unlock()
		return nil, err
	}
	return ix, nil
}

// readMeta reads what generation gen says the index is.
func (ix *Index) readMeta(gen string) (meta, error) {
	var m meta
	path := ix.st.Path(gen, metaFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(ix.st.Path(gen)); serr != nil {
			return m, fmt.Errorf("%w: %s names %s: %v", ErrCorrupt, filepath.Join(ix.dir, "CURRENT"), gen, serr)
		}
		if b, lerr := os.ReadFile(filepath.Join(ix.dir, metaFile)); lerr == nil {
			// an index of format 1 or 2 kept newsearch.json beside CURRENT
			var old meta
			if json.Unmarshal(b, &old) == nil && old.Format != 0 {
				return m, fmt.Errorf("%w: %s has format %d, this newsearch reads format %d", ErrAnalysisMismatch, ix.dir, old.Format, FormatVersion)
			}
		}
		return m, fmt.Errorf("%w: %s is missing", ErrCorrupt, path)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if m.Format != FormatVersion {
		return m, fmt.Errorf("%w: %s has format %d, this newsearch reads format %d", ErrAnalysisMismatch, ix.dir, m.Format, FormatVersion)
	}
	if m.Shards < 1 || m.Shards > MaxShards {
		return m, fmt.Errorf("%w: %s: %d shards", ErrCorrupt, path, m.Shards)
	}
	return m, nil
}

// analyzerFor rebuilds the analyzer a generation was made with, and fails
// with ErrAnalysisMismatch when this program's analysis differs.
func (ix *Index) analyzerFor(gen string, m meta) (*analyzer.Analyzer, error) {
	mode, err := analyzer.ParseMode(m.Mode)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, ix.st.Path(gen, metaFile), err)
	}
	opts := []analyzer.Option{analyzer.WithMode(mode)}
	if m.UserDict {
		u, err := analyzer.ReadUserDictFile(ix.st.Path(gen, userDictFile))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		opts = append(opts, analyzer.WithUserDict(u))
	}
	an, err := analyzer.New(opts...)
	if err != nil {
		return nil, err
	}
	if got := an.Config(); got != m.Analysis {
		return nil, fmt.Errorf("%w: the index has analysis %s, this newsearch has %s", ErrAnalysisMismatch, m.Analysis, got)
	}
	return an, nil
}

func (ix *Index) openReader() error {
	// A writer may publish a new generation and remove the one we are about
	// to open: read CURRENT again after a failure, and retry when it moved.
	var lastErr error
	for attempt := range 10 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 5 * time.Millisecond)
		}
		gen, err := ix.st.Current()
		if errors.Is(err, fs.ErrNotExist) {
			if _, derr := os.Stat(ix.dir); derr != nil {
				return fmt.Errorf("%w at %s", ErrNotExist, ix.dir)
			}
			if _, lerr := os.Stat(filepath.Join(ix.dir, metaFile)); lerr == nil || ix.st.Orphaned() {
				return fmt.Errorf("%w: %s is missing", ErrCorrupt, filepath.Join(ix.dir, "CURRENT"))
			}
			if r, _ := ix.st.Rebuilding(); r != "" {
				return fmt.Errorf("%w at %s: the first build has not finished (run newsearch index --rebuild again to complete it)", ErrNotExist, ix.dir)
			}
			return fmt.Errorf("%w at %s", ErrNotExist, ix.dir)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		err = ix.openGen(gen)
		if err == nil {
			return nil
		}
		lastErr = err
		if errors.Is(err, ErrAnalysisMismatch) {
			return err
		}
		if again, _ := ix.st.Current(); again == gen {
			break // the live generation does not open: damaged
		}
	}
	if errors.Is(lastErr, ErrCorrupt) {
		return lastErr
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, lastErr)
}

// openGen opens a published generation for reading, pinned so that no
// writer removes it while it is open.
func (ix *Index) openGen(gen string) (err error) {
	pin, err := ix.st.Pin(gen)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			pin.Unpin()
		}
	}()
	m, err := ix.readMeta(gen)
	if err != nil {
		return err
	}
	an, err := ix.analyzerFor(gen, m)
	if err != nil {
		return err
	}
	stats, err := ix.readGenStats(gen)
	if err != nil {
		return err
	}
	shards, err := openReaderShards(ix.st, gen, m.Shards)
	if err != nil {
		return err
	}
	ix.meta, ix.an, ix.gen, ix.shards, ix.pin, ix.stats = m, an, gen, shards, pin, stats
	return nil
}

func (ix *Index) openWriter(o options) error {
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return err
	}
	lock, err := ix.st.Lock()
	if err != nil {
		return err
	}
	ix.lock = lock
	ix.w = &writer{t: newTracker(), know: &knowTable{}}
	cur, curErr := ix.st.Current()
	if curErr != nil && !errors.Is(curErr, fs.ErrNotExist) {
		if !o.rebuild {
			return fmt.Errorf("%w: %v", ErrCorrupt, curErr)
		}
	}
	if o.rebuild || errors.Is(curErr, fs.ErrNotExist) {
		if !o.rebuild {
			// a first build; an index of an older format, or one whose
			// CURRENT is gone, is not silently replaced
			if _, err := os.Stat(filepath.Join(ix.dir, metaFile)); err == nil {
				if _, err := ix.readMeta(""); err != nil && errors.Is(err, ErrAnalysisMismatch) {
					return err
				}
				return fmt.Errorf("%w: %s is missing", ErrCorrupt, filepath.Join(ix.dir, "CURRENT"))
			}
			if ix.st.Orphaned() {
				return fmt.Errorf("%w: %s is missing", ErrCorrupt, filepath.Join(ix.dir, "CURRENT"))
			}
		}
		return ix.startEmpty(o)
	}
	m, err := ix.readMeta(cur)
	if err != nil {
		return err
	}
	an, err := ix.analyzerFor(cur, m)
	if err != nil {
		return err
	}
	ix.meta, ix.an = m, an
	// check the live generation as a reader does before copying it
	check, err := openReaderShards(ix.st, cur, m.Shards)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	_ = closeShards(check)
	ix.st.Collect()
	return ix.continueFrom(cur, false)
}

// continueFrom clones generation base into a new one and opens its shards
// for writing.
func (ix *Index) continueFrom(base string, bulk bool) error {
	gen, err := ix.st.NextGen()
	if err != nil {
		return err
	}
	if err := ix.st.Clone(base, gen); err != nil {
		return ix.diskError(fmt.Errorf("copy generation %s: %w", base, err))
	}
	shards, err := openWriterShards(ix.st, gen, ix.meta.Shards, ix.w.t)
	if err != nil {
		_ = ix.st.Remove(gen)
		return err
	}
	if base != ix.gen {
		ix.w.sources = nil // another generation's: load its own when needed
		ix.w.know = &knowTable{}
	}
	ix.gen, ix.shards, ix.w.bulk = gen, shards, bulk
	ix.w.dirty.Store(false)
	return nil
}

// startEmpty starts a first build or a rebuild: a generation with empty
// shards and the analysis given now, or the checkpoint of a rebuild with the
// same settings that was stopped before it completed.
func (ix *Index) startEmpty(o options) error {
	an, m, dict, err := newAnalysis(o)
	if err != nil {
		return err
	}
	ix.an, ix.meta = an, m
	// over a live index, a rebuild is published only when complete; a
	// first build publishes its progress at every commit
	_, curErr := ix.st.Current()
	ix.w.rebuild = o.rebuild && curErr == nil
	if ix.w.rebuild {
		if cp, err := ix.st.Rebuilding(); err == nil {
			if old, err := ix.readMeta(cp); err == nil && sameSettings(old, m) && sameFile(ix.st.Path(cp, userDictFile), dict) {
				ix.meta = old
				return ix.continueFrom(cp, true)
			}
			_ = ix.st.DropRebuild()
		}
	}
	ix.st.Collect()
	gen, err := ix.st.NextGen()
	if err != nil {
		return err
	}
	if err := os.Mkdir(ix.st.Path(gen), 0o755); err != nil {
		return ix.diskError(err)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	err = ix.st.WriteFile(gen, metaFile, append(b, '\n'))
	if err == nil && dict != nil {
		err = ix.st.WriteFile(gen, userDictFile, dict)
	}
	if err != nil {
		_ = ix.st.Remove(gen)
		return ix.diskError(err)
	}
	shards, err := createShards(ix.st.Path(gen), m.Shards, ix.w.t)
	if err != nil {
		_ = ix.st.Remove(gen)
		return ix.diskError(err)
	}
	ix.gen, ix.shards, ix.w.bulk = gen, shards, true
	ix.w.sources = &sources{}
	ix.w.know = &knowTable{loaded: true, by: map[string]*docKnowledge{}}
	return nil
}

// newAnalysis makes the analyzer and meta of a new index from the options,
// and returns the user dictionary to keep (nil: none).
func newAnalysis(o options) (*analyzer.Analyzer, meta, []byte, error) {
	opts := []analyzer.Option{analyzer.WithMode(o.mode)}
	var dict []byte
	if o.userDict != "" {
		raw, err := os.ReadFile(o.userDict)
		if err != nil {
			return nil, meta{}, nil, fmt.Errorf("user dictionary: %w", err)
		}
		u, err := analyzer.ReadUserDict(strings.NewReader(string(raw)))
		if err != nil {
			return nil, meta{}, nil, fmt.Errorf("user dictionary %s: %w", o.userDict, err)
		}
		dict = raw
		opts = append(opts, analyzer.WithUserDict(u))
	}
	an, err := analyzer.New(opts...)
	if err != nil {
		return nil, meta{}, nil, err
	}
	shards := o.shards
	if shards == 0 {
		shards = DefaultShards
	}
	m := meta{Format: FormatVersion, Analysis: an.Config(), Mode: an.Mode().String(), UserDict: dict != nil,
		Shards: shards, Created: time.Now().UTC()}
	return an, m, dict, nil
}

func sameSettings(a, b meta) bool {
	return a.Format == b.Format && a.Analysis == b.Analysis && a.Mode == b.Mode && a.UserDict == b.UserDict && a.Shards == b.Shards
}

// sameFile reports whether the file at path holds content (nil: absent).
func sameFile(path string, content []byte) bool {
	b, err := os.ReadFile(path)
	if content == nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	return err == nil && string(b) == string(content)
}

// Analyzer returns the analyzer the index was built with.
func (ix *Index) Analyzer() *analyzer.Analyzer { return ix.an }

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Shards returns the number of shards.
func (ix *Index) Shards() int { return ix.meta.Shards }

// live returns the open shards, or why there are none. A reader's shards
// are checked against the sizes their files had when published: reading a
// memory-mapped segment that was cut short is a fault, not an error. Call
// with mu held.
func (ix *Index) live() ([]*shard, error) {
	if ix.shards == nil {
		if ix.broken != nil {
			return nil, ix.broken
		}
		return nil, ErrClosed
	}
	for _, s := range ix.shards {
		if err := s.unchanged(); err != nil {
			return nil, err
		}
	}
	return ix.shards, nil
}

// Count returns the number of articles.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, s := range shards {
		c, err := s.bi.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// Stale reports whether a writer has published a newer generation than the
// one this read-only Index has open: reopen to see its articles.
func (ix *Index) Stale() bool {
	if !ix.readOnly {
		return false
	}
	gen, err := ix.st.Current()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return err == nil && gen != ix.gen
}

// Generation names the generation this Index has open.
func (ix *Index) Generation() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.gen
}

// Verify reads every file of the open generation whole and checks each
// against the checksums recorded when it was written; it returns the
// damaged or missing files (none: nil). It takes as long as reading the
// index from disk.
func (ix *Index) Verify() ([]error, error) {
	ix.mu.RLock()
	gen := ix.gen
	ix.mu.RUnlock()
	return verifyGen(ix.st, gen)
}

// Verify checks the live generation of the index in dir as Index.Verify
// does, without opening it: a damaged index cannot be opened, and this
// names every damaged file, not only the first. It also returns the
// generation checked and the bytes read.
func Verify(dir string) (gen string, bytes int64, problems []error, err error) {
	st := store.New(dir)
	gen, err = st.Current()
	if errors.Is(err, fs.ErrNotExist) {
		if _, derr := os.Stat(dir); derr != nil || !st.Orphaned() {
			return "", 0, nil, fmt.Errorf("%w at %s", ErrNotExist, dir)
		}
	}
	if err != nil {
		return "", 0, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	problems, err = verifyGen(st, gen)
	return gen, st.Size(gen), problems, err
}

func verifyGen(st *store.Store, gen string) ([]error, error) {
	problems, err := st.Verify(gen)
	var out []error
	for _, p := range problems {
		out = append(out, p.Err)
	}
	return out, err
}

// diskError turns a write that failed for want of space into an error that
// names the device, what is free and what the index needs.
func (ix *Index) diskError(err error) error {
	if !store.IsNoSpace(err) {
		return err
	}
	need := int64(64 << 20)
	if cur, cerr := ix.st.Current(); cerr == nil {
		need = max(need, ix.st.Size(cur))
	}
	return ix.st.NoSpaceError(err, need)
}
