// Package ingest brings folders of article files into an index: it finds
// the files, reads the changed ones on all cores, writes them in batches,
// and removes the articles whose files are gone.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/reader"
)

// DefaultMaxFileSize bounds the size of one article file. A larger file is
// reported as failed rather than read: no news article is that long, and a
// mistaken dump or binary should not exhaust memory.
const DefaultMaxFileSize = 16 << 20

// Options tune a run.
type Options struct {
	Workers     int           // parsing and analysing goroutines; 0: all cores
	BatchSize   int           // articles per index batch; 0: 500
	MaxFileSize int64         // 0: DefaultMaxFileSize
	CommitEvery time.Duration // publish progress to readers this often; 0: 30s
	// Progress, if set, is called after each file with the counts so far.
	Progress func(Progress)
}

// Progress is the state of a run in progress.
type Progress struct {
	Files, FilesDone int // article files found, and handled so far
	Articles         int // articles written so far
	Elapsed          time.Duration
}

// Failure is a file (or a record in it) that could not be indexed.
type Failure struct {
	Path string
	Err  error
}

// Summary is the outcome of a run. Article counts, except Failed and
// Skipped, which count files.
type Summary struct {
	Indexed, Updated, Unchanged, Removed int
	Failed                               int // files or records that failed
	Skipped                              int // files that are not articles
	Files                                int // article files found
	Failures                             []Failure
	Interrupted                          bool
	Elapsed                              time.Duration
}

// Rate returns articles written (indexed or updated) per second.
func (s *Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Indexed+s.Updated) / s.Elapsed.Seconds()
}

// file is one article file found under a root.
type file struct {
	path     string // as found on disk
	origin   string // absolute root: the folder given, or the file itself
	rel      string // path relative to the root, with forward slashes
	idBase   string // the article ID unless the file gives its own
	category string // the folder the file is in
}

// notArticle names files that travel with corpora but are not articles.
func notArticle(name string) bool {
	base := strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))
	switch base {
	case "LICENSE", "LICENCE", "README", "CHANGES", "CHANGELOG", "COPYING", "NOTICE", "AUTHORS":
		return true
	}
	return strings.HasPrefix(name, ".")
}

// Run indexes the article files under roots (folders, searched
// recursively, or single files) into ix. Files that fail are reported in
// the summary and the run goes on. When ctx is cancelled, Run finishes the
// batch in hand, commits and returns with Interrupted set.
func Run(ctx context.Context, ix *index.Index, roots []string, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 250
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.CommitEvery <= 0 {
		opt.CommitEvery = 30 * time.Second
	}
	sum := &Summary{}
	files, walkFailed, err := find(roots, ix.Dir(), sum)
	if err != nil {
		return nil, err
	}
	sum.Files = len(files)

	// what the index already has from these origins
	known := map[string]map[string]index.Fingerprint{} // origin -> id -> fingerprint
	for _, f := range files {
		if _, ok := known[f.origin]; ok {
			continue
		}
		// not cancelled: Ctrl-C this early still ends as an interrupted
		// run, with its message, rather than a failed read
		fps, err := ix.Fingerprints(context.WithoutCancel(ctx), f.origin)
		if err != nil {
			return nil, fmt.Errorf("read index: %w", err)
		}
		known[f.origin] = fps
	}
	partialWalk := map[string]bool{}
	for _, r := range walkFailed {
		partialWalk[r] = true // a folder we could not read fully: remove nothing from it
	}
	byFile := map[string][]string{} // origin + "\x00" + rel -> ids
	for origin, fps := range known {
		for id, fp := range fps {
			k := origin + "\x00" + fp.File
			byFile[k] = append(byFile[k], id)
		}
	}

	w := newWriter(ix, sum, opt)
	// articles whose files are gone
	present := map[string]bool{}
	for _, f := range files {
		present[f.origin+"\x00"+f.rel] = true
	}
	for origin, fps := range known {
		if partialWalk[origin] {
			continue
		}
		for id, fp := range fps {
			if !present[origin+"\x00"+fp.File] {
				w.deletes = append(w.deletes, id)
				sum.Removed++
			}
		}
	}
	sort.Strings(w.deletes)

	jobs := make(chan file)
	results := make(chan result, opt.Workers*2)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				k := f.origin + "\x00" + f.rel
				results <- process(ix, f, byFile[k], known[f.origin], opt.MaxFileSize)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	done := 0
	var werr error
	for r := range results {
		done++
		if werr == nil {
			werr = w.add(ctx, r)
		}
		if opt.Progress != nil {
			opt.Progress(Progress{Files: len(files), FilesDone: done, Articles: int(w.written.Load()), Elapsed: time.Since(start)})
		}
	}
	if err := w.finish(context.WithoutCancel(ctx)); werr == nil {
		werr = err
	}
	sum.Interrupted = ctx.Err() != nil
	sum.Elapsed = time.Since(start)
	return sum, werr
}

// find lists the article files under roots. It returns the origins whose
// walk met an unreadable folder.
func find(roots []string, indexDir string, sum *Summary) ([]file, []string, error) {
	absIndex, _ := filepath.Abs(indexDir)
	var files []file
	var failedOrigins []string
	seen := map[string]bool{}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, nil, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", root, err)
		}
		if !info.IsDir() {
			if !reader.Supported(abs) {
				return nil, nil, fmt.Errorf("%s: not an article file (want .txt, .md, .json, .jsonl, .ndjson, .html or .htm)", root)
			}
			parent := filepath.Base(filepath.Dir(abs))
			files = append(files, file{path: abs, origin: abs, rel: filepath.Base(abs),
				idBase: parent + "/" + filepath.Base(abs), category: parent})
			continue
		}
		walkFailed := false
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				sum.Failures = append(sum.Failures, Failure{Path: path, Err: err})
				sum.Failed++
				walkFailed = true
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != abs && (strings.HasPrefix(d.Name(), ".") || path == absIndex) {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if notArticle(d.Name()) || !reader.Supported(d.Name()) {
				sum.Skipped++
				return nil
			}
			if seen[path] {
				return nil
			}
			seen[path] = true
			rel, _ := filepath.Rel(abs, path)
			rel = filepath.ToSlash(rel)
			cat := ""
			if dir := filepath.Dir(rel); dir != "." {
				cat = filepath.Base(dir)
			}
			files = append(files, file{path: path, origin: abs, rel: rel, idBase: rel, category: cat})
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if walkFailed {
			failedOrigins = append(failedOrigins, abs)
		}
	}
	return files, failedOrigins, nil
}

// result is what a worker made of one file.
type result struct {
	f         file
	docs      []*index.Doc
	stale     []string // IDs this file had before and no longer has
	unchanged int      // articles left as they were
	updated   int      // of docs, how many replace an article of this file
	failures  []Failure
}

// process reads, parses and analyses one file.
func process(ix *index.Index, f file, oldIDs []string, fps map[string]index.Fingerprint, maxSize int64) result {
	r := result{f: f}
	fail := func(err error) result {
		r.failures = append(r.failures, Failure{Path: f.path, Err: err})
		return r
	}
	data, err := readLimited(f.path, maxSize)
	if err != nil {
		return fail(err)
	}
	sum := sha256.Sum256(data)
	fp := hex.EncodeToString(sum[:16])
	if len(oldIDs) > 0 && fps[oldIDs[0]].Fingerprint == fp {
		r.unchanged = len(oldIDs)
		return r
	}
	articles, err := reader.Parse(f.path, data)
	var pe *reader.PartialError
	if err != nil && !errors.As(err, &pe) {
		return fail(err)
	}
	if pe != nil {
		for _, le := range pe.Errors {
			r.failures = append(r.failures, Failure{Path: fmt.Sprintf("%s:%d", f.path, le.Line), Err: le.Err})
		}
	}
	var items []index.Article
	ids := map[string]bool{}
	for i, a := range articles {
		id := a.ID
		if id == "" {
			id = f.idBase
			if len(articles) > 1 {
				id = fmt.Sprintf("%s#%d", f.idBase, i+1)
			}
		}
		if ids[id] {
			r.failures = append(r.failures, Failure{Path: f.path, Err: fmt.Errorf("article %d: ID %q appears twice in the file; the first is kept", i+1, id)})
			continue
		}
		ids[id] = true
		category := a.Category
		if category == "" {
			category = f.category
		}
		items = append(items, index.Article{
			ID: id, Title: a.Title, Body: a.Body, URL: a.URL, Published: a.Published,
			Category: category, Source: a.Source, Tags: a.Tags,
			Origin: f.origin, File: f.rel,
		})
	}
	// A file some of whose articles failed is stored with a fingerprint
	// that no file has: the next run reads it again and reports them again.
	prepare := func(partial bool) (docs []*index.Doc, failures []Failure) {
		for _, a := range items {
			a.Fingerprint = fp
			if partial {
				a.Fingerprint += partialMark
			}
			doc, err := ix.Prepare(a)
			if err != nil {
				failures = append(failures, Failure{Path: f.path, Err: err})
				continue
			}
			docs = append(docs, doc)
		}
		return docs, failures
	}
	partial := len(r.failures) > 0
	docs, failures := prepare(partial)
	if len(failures) > 0 && !partial && len(docs) > 0 {
		docs, failures = prepare(true) // rare: an article the index refused
	}
	r.docs, r.failures = docs, append(r.failures, failures...)
	old := make(map[string]bool, len(oldIDs))
	for _, id := range oldIDs {
		old[id] = true
	}
	written := make(map[string]bool, len(docs))
	for _, d := range docs {
		written[d.ID()] = true
		if old[d.ID()] {
			r.updated++
		}
	}
	for _, id := range oldIDs {
		if !written[id] {
			r.stale = append(r.stale, id)
		}
	}
	return r
}

// partialMark ends the fingerprint of a file that was indexed in part.
const partialMark = "+partial"

func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > max {
		return nil, fmt.Errorf("file is %s, over the limit of %s: split it, or raise --max-file-size", size(info.Size()), size(max))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file grew over the limit of %s while being read", size(max))
	}
	return data, nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// writer gathers results into batches and writes them on a goroutine of
// its own, so that reading and analysing the next batch goes on while bleve
// builds and persists the last one.
type writer struct {
	ix          *index.Index
	sum         *Summary
	batch       int
	docs        []*index.Doc
	deletes     []string
	counts      [2]int // indexed, updated in the pending batch
	commitEvery time.Duration
	lastCommit  time.Time

	queue   chan batch // to the applier; one waits while one is written
	done    chan struct{}
	err     error        // the applier's first error; read after done
	failed  atomic.Bool  // set with err
	written atomic.Int64 // articles written, for progress
	applied [2]int       // indexed, updated: the applier's, read after done
}

type batch struct {
	docs    []*index.Doc
	deletes []string
	counts  [2]int
	ctx     context.Context
}

func newWriter(ix *index.Index, sum *Summary, opt Options) *writer {
	w := &writer{ix: ix, sum: sum, batch: opt.BatchSize, commitEvery: opt.CommitEvery, lastCommit: time.Now(),
		queue: make(chan batch, 1), done: make(chan struct{})}
	go w.apply()
	return w
}

// apply writes batches in order, and commits when it is time. A batch in
// hand is finished even after cancellation, not lost.
func (w *writer) apply() {
	defer close(w.done)
	for b := range w.queue {
		if w.err != nil {
			continue
		}
		if err := w.ix.Apply(context.WithoutCancel(b.ctx), b.docs, b.deletes); err != nil {
			w.err = fmt.Errorf("write batch: %w", err)
			w.failed.Store(true)
			continue
		}
		w.applied[0] += b.counts[0]
		w.applied[1] += b.counts[1]
		w.written.Add(int64(b.counts[0] + b.counts[1]))
		if time.Since(w.lastCommit) >= w.commitEvery && b.ctx.Err() == nil {
			w.lastCommit = time.Now()
			if err := w.ix.Commit(); err != nil {
				w.err = fmt.Errorf("commit: %w", err)
				w.failed.Store(true)
			}
		}
	}
}

func (w *writer) add(ctx context.Context, r result) error {
	w.sum.Unchanged += r.unchanged
	w.sum.Failures = append(w.sum.Failures, r.failures...)
	w.sum.Failed += len(r.failures)
	w.docs = append(w.docs, r.docs...)
	w.deletes = append(w.deletes, r.stale...)
	w.sum.Removed += len(r.stale)
	w.counts[0] += len(r.docs) - r.updated
	w.counts[1] += r.updated
	if len(w.docs)+len(w.deletes) >= w.batch {
		w.send(ctx)
	}
	if w.failed.Load() {
		return errors.New("the index write failed")
	}
	return nil
}

// send hands the pending articles to the applier.
func (w *writer) send(ctx context.Context) {
	if len(w.docs) == 0 && len(w.deletes) == 0 {
		return
	}
	w.queue <- batch{docs: w.docs, deletes: w.deletes, counts: w.counts, ctx: ctx}
	w.docs, w.deletes, w.counts = nil, nil, [2]int{}
}

// finish writes what is pending, waits for the applier and adds its counts
// to the summary.
func (w *writer) finish(ctx context.Context) error {
	w.send(ctx)
	close(w.queue)
	<-w.done
	w.sum.Indexed += w.applied[0]
	w.sum.Updated += w.applied[1]
	return w.err
}
