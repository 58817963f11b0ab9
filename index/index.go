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
// Commit (or Close).
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/analyzer"
)

// FormatVersion is the version of the on-disk layout (store.go) and of the
// mapping. 2: doc values compressed (format 1 indexes of more than one
// segment have wrong facets and date order).
const FormatVersion = 2

// userDictFile is the index's copy of the user dictionary it was built with.
const userDictFile = "userdict.csv"

// meta is newsearch.json: what an index is, fixed at creation.
type meta struct {
	Format   int       `json:"format"`
	Analysis string    `json:"analysis"` // analyzer.Analyzer.Config()
	Mode     string    `json:"mode"`
	UserDict bool      `json:"user_dict,omitempty"`
	Created  time.Time `json:"created"`
}

// Index is an open index. Its methods are safe for concurrent use.
type Index struct {
	persisting sync.WaitGroup        // batches not yet on disk
	persistErr atomic.Pointer[error] // the first failure to put one there
	skipMerge  bool                  // see SkipMerge
	bulk       bool                  // the generation was started empty: merge only at the end
	dirty      atomic.Bool           // something was written since the generation was opened
	dir        string
	st         store
	an         *analyzer.Analyzer
	meta       meta
	readOnly   bool
	lock       *writerLock

	mu  sync.RWMutex // guards bi and gen against Commit
	bi  bleve.Index
	gen string
}

type options struct {
	readOnly bool
	rebuild  bool
	mode     analyzer.Mode
	userDict string
}

// Option configures Open.
type Option func(*options)

// ReadOnly opens an existing index for searching only. Any number of
// read-only opens may run beside one writer.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// Rebuild discards the index's articles (and its analysis settings): the
// writer starts from an empty index that takes the analysis given now.
func Rebuild() Option { return func(o *options) { o.rebuild = true } }

// WithMode sets the segmentation mode of a new index.
func WithMode(m analyzer.Mode) Option { return func(o *options) { o.mode = m } }

// WithUserDict sets the user dictionary (kagome CSV) of a new index; the
// index keeps a copy.
func WithUserDict(path string) Option { return func(o *options) { o.userDict = path } }

// Open opens the index in directory dir. Without ReadOnly it opens for
// writing, creating the index if there is none, and fails with ErrLocked
// when another process is writing.
func Open(dir string, opts ...Option) (*Index, error) {
	o := options{mode: analyzer.DefaultMode}
	for _, opt := range opts {
		opt(&o)
	}
	ix := &Index{dir: dir, st: store{dir: dir}, readOnly: o.readOnly}
	if o.readOnly {
		if err := ix.openReader(); err != nil {
			return nil, err
		}
		return ix, nil
	}
	if err := ix.openWriter(o); err != nil {
		ix.lock.unlock()
		return nil, err
	}
	return ix, nil
}

func (ix *Index) readMeta() error {
	b, err := os.ReadFile(filepath.Join(ix.dir, metaFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, curErr := ix.st.current(); curErr == nil {
			return fmt.Errorf("%w: %s is missing", ErrCorrupt, filepath.Join(ix.dir, metaFile))
		}
		return fmt.Errorf("%w at %s", ErrNotExist, ix.dir)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &ix.meta); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, filepath.Join(ix.dir, metaFile), err)
	}
	if ix.meta.Format != FormatVersion {
		return fmt.Errorf("%w: %s has format %d, this newsearch reads format %d", ErrAnalysisMismatch, ix.dir, ix.meta.Format, FormatVersion)
	}
	return nil
}

// analyzerFromMeta rebuilds the analyzer an index was made with, and fails
// with ErrAnalysisMismatch when this program's analysis differs.
func (ix *Index) analyzerFromMeta() error {
	mode, err := analyzer.ParseMode(ix.meta.Mode)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	opts := []analyzer.Option{analyzer.WithMode(mode)}
	if ix.meta.UserDict {
		u, err := analyzer.ReadUserDictFile(filepath.Join(ix.dir, userDictFile))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		opts = append(opts, analyzer.WithUserDict(u))
	}
	an, err := analyzer.New(opts...)
	if err != nil {
		return err
	}
	if got := an.Config(); got != ix.meta.Analysis {
		return fmt.Errorf("%w: the index has analysis %s, this newsearch has %s", ErrAnalysisMismatch, ix.meta.Analysis, got)
	}
	ix.an = an
	return nil
}

func (ix *Index) openReader() error {
	// A writer may publish a new generation (and newsearch.json, after a
	// rebuild) and remove the one we are about to open: read CURRENT before
	// and after, and retry when it changed.
	var lastErr error
	for attempt := range 10 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 5 * time.Millisecond)
		}
		gen, err := ix.st.current()
		if errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(filepath.Join(ix.dir, metaFile)); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%w at %s", ErrNotExist, ix.dir)
			}
			// a rebuild that changed the analysis is publishing
			lastErr = fmt.Errorf("%s is missing", filepath.Join(ix.dir, currentFile))
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if err := ix.readMeta(); err != nil {
			return err
		}
		if again, _ := ix.st.current(); again != gen {
			continue // newsearch.json may belong to the newer generation
		}
		if err := ix.analyzerFromMeta(); err != nil {
			return err
		}
		bi, err := openBleve(filepath.Join(ix.dir, gen), true)
		if err == nil {
			ix.bi, ix.gen = bi, gen
			return nil
		}
		lastErr = err
		if again, _ := ix.st.current(); again == gen {
			break // the live generation does not open: damaged
		}
	}
	if errors.Is(lastErr, ErrCorrupt) {
		return lastErr
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, lastErr)
}

func (ix *Index) openWriter(o options) error {
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return err
	}
	lock, err := ix.st.lock()
	if err != nil {
		return err
	}
	ix.lock = lock
	cur, curErr := ix.st.current()
	err = ix.readMeta()
	live := err == nil && curErr == nil // what a rebuild replaces when it commits
	fresh := o.rebuild || (errors.Is(err, ErrNotExist) && errors.Is(curErr, fs.ErrNotExist))
	if !fresh {
		if err != nil {
			return err
		}
		if errors.Is(curErr, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s is missing", ErrCorrupt, filepath.Join(ix.dir, currentFile))
		}
		if curErr != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, curErr)
		}
		if err := ix.analyzerFromMeta(); err != nil {
			return err
		}
	}
	prev := ix.meta
	ix.st.collect(cur)
	gen, err := ix.st.nextGen()
	if err != nil {
		return err
	}
	if fresh {
		if err := ix.create(o, live && prev.Format == FormatVersion, prev.Analysis); err != nil {
			return err
		}
		bi, err := bleve.NewUsing(filepath.Join(ix.dir, gen), newMapping(), scorch.Name, scorch.Name, writerConfig(true))
		if err != nil {
			return err
		}
		ix.bi, ix.gen, ix.bulk = bi, gen, true
		return nil
	}
	if _, err := os.Stat(filepath.Join(ix.dir, cur, "store")); err != nil {
		return fmt.Errorf("%w: %s names %s: %v", ErrCorrupt, filepath.Join(ix.dir, currentFile), cur, err)
	}
	// check the live generation as a reader does before copying it
	rbi, err := openBleve(filepath.Join(ix.dir, cur), true)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	_ = rbi.Close()
	if err := ix.st.cloneGen(cur, gen); err != nil {
		return fmt.Errorf("copy generation %s: %w", cur, err)
	}
	bi, err := openRecovered(filepath.Join(ix.dir, gen), writerConfig(false))
	if err != nil {
		_ = os.RemoveAll(filepath.Join(ix.dir, gen))
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, cur, err)
	}
	ix.bi, ix.gen = bi, gen
	return nil
}

// create prepares newsearch.json (and the user dictionary copy) for a new or
// rebuilt index. They are written when the new generation is first
// published: until then, readers (and a writer after a crash) see the index
// as it was. live says whether there is a live generation, and prevAnalysis
// is its analysis.
func (ix *Index) create(o options, live bool, prevAnalysis string) error {
	opts := []analyzer.Option{analyzer.WithMode(o.mode)}
	var dict []byte
	if o.userDict != "" {
		raw, err := os.ReadFile(o.userDict)
		if err != nil {
			return fmt.Errorf("user dictionary: %w", err)
		}
		u, err := analyzer.ReadUserDict(strings.NewReader(string(raw)))
		if err != nil {
			return fmt.Errorf("user dictionary %s: %w", o.userDict, err)
		}
		dict = raw
		opts = append(opts, analyzer.WithUserDict(u))
	}
	an, err := analyzer.New(opts...)
	if err != nil {
		return err
	}
	ix.an = an
	ix.meta = meta{Format: FormatVersion, Analysis: an.Config(), Mode: an.Mode().String(), UserDict: o.userDict != "", Created: time.Now().UTC()}
	b, _ := json.MarshalIndent(ix.meta, "", "  ")
	ix.st.staged = &staged{meta: append(b, '\n'), userDict: dict, sameAnalysis: live && prevAnalysis == ix.meta.Analysis}
	return nil
}

// openBleve opens the bleve index of a generation. bleve trusts its files:
// a damaged segment makes it panic, fail with a message about something
// else, answer from bytes that are not what was written, or fall back to
// an older snapshot without a word. So a panic is an error, a failure
// names the damaged file if it can be found, and, opened read-only, the
// index must have opened its newest snapshot, whose segments must match
// the checksums zap wrote at their end. (A writer opens a copy of a
// generation it has checked so, or one it has just written.)
func openBleve(path string, readOnly bool) (bi bleve.Index, err error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		return nil, err
	}
	cfg := map[string]interface{}{"bolt_timeout": "1s"}
	if readOnly {
		cfg["read_only"] = true
	}
	if readOnly {
		if err := checkRootBolt(path, readStamps(path)); err != nil {
			return nil, err
		}
	}
	bi, err = openRecovered(path, cfg)
	if err != nil {
		return nil, diagnose(path, err)
	}
	if !readOnly {
		return bi, nil // checkNewest would race with bleve's merger
	}
	if err := checkNewest(path, bi); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return bi, nil
}

func openRecovered(path string, cfg map[string]interface{}) (bi bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			bi, err = nil, fmt.Errorf("bleve failed on %s: %v", path, r)
		}
	}()
	return bleve.OpenUsing(path, cfg)
}

// checkNewest checks that the newest snapshot in the root.bolt of the
// generation at path loads (if it does, bleve opened it) and that its
// segment files match their checksums.
func checkNewest(path string, bi bleve.Index) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bleve failed on %s: %v", path, r)
		}
	}()
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	epochs, err := s.RootBoltSnapshotEpochs() // newest first
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if len(epochs) == 0 {
		return nil // nothing written yet
	}
	snap, err := s.LoadSnapshot(epochs[0])
	if err != nil {
		return fmt.Errorf("%s: its newest snapshot does not load: %v", path, err)
	}
	defer snap.Close()
	stamps := readStamps(path)
	for _, seg := range snap.Segments() {
		if f, ok := seg.Segment().(interface{ Path() string }); ok {
			if unchangedSince(stamps, f.Path()) {
				continue
			}
			if err := checkSegment(f.Path()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Analyzer returns the analyzer the index was built with.
func (ix *Index) Analyzer() *analyzer.Analyzer { return ix.an }

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Apply writes prepared articles and deletes IDs in one batch: after a
// crash, all of it or none of it is in the index (once committed).
func (ix *Index) Apply(ctx context.Context, docs []*Doc, deletes []string) error {
	if ix.readOnly {
		return ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := ix.bi.NewBatch()
	for _, id := range deletes {
		b.Delete(id)
	}
	for _, d := range docs {
		if err := b.IndexAdvanced(d.doc); err != nil {
			return fmt.Errorf("article %s: %w", d.id, err)
		}
	}
	return ix.write(b)
}

// write hands a batch to bleve, which writes it to disk in the background
// (writers run with unsafe_batch): the next batch's segment is built
// meanwhile. Commit and Close wait for every batch to be on disk (its
// persisted callback) before they publish.
func (ix *Index) write(b *bleve.Batch) error {
	ix.dirty.Store(true)
	ix.persisting.Add(1)
	b.SetPersistedCallback(func(err error) {
		if err != nil {
			ix.persistErr.CompareAndSwap(nil, &err)
		}
		ix.persisting.Done()
	})
	if err := ix.bi.Batch(b); err != nil {
		ix.persisting.Done() // bleve refused it: no callback will come
		return err
	}
	if p := ix.persistErr.Load(); p != nil {
		return fmt.Errorf("write to disk: %w", *p)
	}
	return nil
}

// sync waits until everything bleve holds, a merge included, is on disk:
// a last batch (a timestamp in the index's internal storage) is persisted
// only after what came before it.
func (ix *Index) sync() error {
	b := ix.bi.NewBatch()
	b.SetInternal([]byte("newsearch:written"), []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	if err := ix.write(b); err != nil {
		return err
	}
	return ix.persisted()
}

// persisted waits until every batch applied is on disk.
func (ix *Index) persisted() error {
	ix.persisting.Wait()
	if p := ix.persistErr.Load(); p != nil {
		return fmt.Errorf("write to disk: %w", *p)
	}
	return nil
}

// Add analyses and writes articles, using all cores.
func (ix *Index) Add(ctx context.Context, articles ...Article) error {
	docs := make([]*Doc, len(articles))
	errs := make([]error, len(articles))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(articles)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				docs[i], errs[i] = ix.Prepare(articles[i])
			}
		}()
	}
	for i := range articles {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return ix.Apply(ctx, docs, nil)
}

// Delete removes articles by ID.
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	return ix.Apply(ctx, nil, ids)
}

// Commit publishes everything written so far to readers. Close commits too.
func (ix *Index) Commit() error {
	if ix.readOnly {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.publishGen(false); err != nil { // Close merges once, at the end
		return err
	}
	next, err := ix.st.nextGen()
	if err != nil {
		return err
	}
	if err := ix.st.cloneGen(ix.gen, next); err != nil {
		return err
	}
	bi, err := openRecovered(filepath.Join(ix.dir, next), writerConfig(ix.bulk))
	if err != nil {
		return err
	}
	ix.bi, ix.gen = bi, next
	ix.dirty.Store(false)
	return nil
}

// publishGen finishes the writer's generation and makes it the live one:
// every batch on disk, the segments merged into one (when merge is set and
// worth it), bleve closed, segments no snapshot uses removed, the rest
// stamped, CURRENT renamed, and generations no process reads removed.
// bleve is closed whatever happens.
func (ix *Index) publishGen(merge bool) error {
	err := ix.persisted()
	if err == nil && merge {
		ix.compact()
		err = ix.sync()
	}
	if cerr := ix.bi.Close(); err == nil {
		err = cerr
	}
	ix.bi = nil
	if err != nil {
		return err
	}
	if err := ix.tidy(); err != nil {
		return err
	}
	if err := writeStamps(filepath.Join(ix.dir, ix.gen)); err != nil {
		return err
	}
	if err := ix.st.publish(ix.gen); err != nil {
		return err
	}
	ix.st.collect(ix.gen)
	return nil
}

// Close commits (when open for writing) and releases the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.readOnly {
		if ix.bi == nil {
			return nil
		}
		err := ix.bi.Close()
		ix.bi = nil
		return err
	}
	defer ix.lock.unlock()
	if ix.bi == nil {
		return nil // closed already, or a failed Commit closed it
	}
	if !ix.dirty.Load() && !ix.bulk {
		// nothing written: the live generation stays, no reader reopens
		err := ix.bi.Close()
		ix.bi = nil
		_ = os.RemoveAll(filepath.Join(ix.dir, ix.gen))
		return err
	}
	return ix.publishGen(true)
}

// Count returns the number of articles.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.bi.DocCount()
}

// Fingerprint is what the index knows of where an article came from.
type Fingerprint struct {
	File        string
	Fingerprint string
}

// Fingerprints returns, by article ID, the file and fingerprint of every
// article added with the given origin.
func (ix *Index) Fingerprints(ctx context.Context, origin string) (map[string]Fingerprint, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n, err := ix.bi.DocCount()
	if err != nil {
		return nil, err
	}
	q := query.NewTermQuery(origin)
	q.SetField(fieldOrigin)
	req := bleve.NewSearchRequestOptions(q, int(n)+1, 0, false)
	req.Fields = []string{fieldFile, fieldFP}
	req.SortBy([]string{"_id"})
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Fingerprint, len(res.Hits))
	for _, h := range res.Hits {
		f, _ := h.Fields[fieldFile].(string)
		fp, _ := h.Fields[fieldFP].(string)
		out[h.ID] = Fingerprint{File: f, Fingerprint: fp}
	}
	return out, nil
}

// Stale reports whether a writer has published a newer generation than the
// one this read-only Index has open: reopen to see its articles.
func (ix *Index) Stale() bool {
	if !ix.readOnly {
		return false
	}
	gen, err := ix.st.current()
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

// Get returns the article with the given ID, or an error wrapping
// ErrArticleNotFound.
func (ix *Index) Get(ctx context.Context, id string) (*Article, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	q := query.NewDocIDQuery([]string{id})
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.Fields = []string{fieldTitle, fieldBody, fieldURL, fieldPublished, fieldCategory, fieldSource, fieldTag, fieldOrigin, fieldFile}
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrArticleNotFound, id)
	}
	h := res.Hits[0]
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	a := &Article{ID: h.ID, Title: str(fieldTitle), Body: str(fieldBody), URL: str(fieldURL),
		Category: str(fieldCategory), Source: str(fieldSource), Origin: str(fieldOrigin), File: str(fieldFile),
		Tags: stringsOf(h.Fields[fieldTag])}
	if t, err := time.Parse(time.RFC3339, str(fieldPublished)); err == nil {
		a.Published = t.In(jst)
	}
	return a, nil
}

// stringsOf reads a stored field that may hold one value or several.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []interface{}:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// tidy removes the segment files that compaction left behind in the closed
// generation: bleve keeps older snapshots, and their segments, until its
// persister gets round to them, which a closing writer does not wait for.
// Only the newest snapshot is ever opened, so what it does not use goes.
func (ix *Index) tidy() error {
	store := filepath.Join(ix.dir, ix.gen, "store")
	bi, err := openRecovered(filepath.Join(ix.dir, ix.gen), map[string]interface{}{"read_only": true})
	if err != nil {
		return err
	}
	live := map[string]bool{}
	if adv, err := bi.Advanced(); err == nil {
		if s, ok := adv.(*scorch.Scorch); ok {
			if r, err := s.Reader(); err == nil {
				if snap, ok := r.(*scorch.IndexSnapshot); ok {
					for _, seg := range snap.Segments() {
						if f, ok := seg.Segment().(interface{ Path() string }); ok {
							live[filepath.Base(f.Path())] = true
						}
					}
				}
				_ = r.Close()
			}
		}
	}
	if err := bi.Close(); err != nil {
		return err
	}
	if len(live) == 0 {
		return nil // nothing known to be live: remove nothing
	}
	entries, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") && !live[e.Name()] {
			_ = os.Remove(filepath.Join(store, e.Name()))
		}
	}
	return nil
}

// compact merges the generation's segments into one before it is
// published. Segments from many batches hold many copies of the same term
// dictionaries; one segment is about a tenth smaller and searches faster.
// A failed merge leaves the segments as they were.
func (ix *Index) compact() {
	if ix.skipMerge {
		return
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return
	}
	if !ix.bulk && segmentCount(s) <= maxSegments {
		return // an update: bleve's own tiered merging keeps this in bounds
	}
	// All segments in one merge task. bleve retries a failed forced merge
	// for ever unless the context carries a channel (under its key
	// "mergeDone") to report the outcome to; ForceMerge itself then never
	// returns, until Close.
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = 1 << 20
	done := make(chan error, 1)
	//lint:ignore SA1029 the key is bleve's, a plain string
	ctx := context.WithValue(context.Background(), bleveMergeDoneKey, done)
	go func() { _ = s.ForceMerge(ctx, &plan) }()
	<-done
}

// maxSegments is how many segments an updated generation may keep before a
// writer merges them into one at Close.
const maxSegments = 10

func segmentCount(s *scorch.Scorch) int {
	r, err := s.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return len(snap.Segments())
	}
	return 0
}

// writerConfig is bleve's configuration for a writer. A generation built
// from empty (bulk) does not merge in the background: every merge during
// the build would be redone by the single merge at the end (a seventh of
// the build's CPU on the corpus).
func writerConfig(bulk bool) map[string]interface{} {
	cfg := map[string]interface{}{"bolt_timeout": "1s", "unsafe_batch": true}
	if bulk {
		// read over bleve's defaults (mergeplan.DefaultMergePlanOptions)
		cfg["scorchMergePlanOptions"] = map[string]interface{}{"MaxSegmentsPerTier": 1 << 20}
	}
	return cfg
}

// bleveMergeDoneKey is the context key under which bleve's merger reports
// the outcome of a forced merge (scorch.mergeDoneKey, unexported).
const bleveMergeDoneKey = "mergeDone"

// SkipMerge makes Close and Commit publish without merging the segments
// into one: quicker, and the index a little larger until a later writer
// merges. For a writer that was asked to stop.
func (ix *Index) SkipMerge() {
	ix.mu.Lock()
	ix.skipMerge = true
	ix.mu.Unlock()
}
