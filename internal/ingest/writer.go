package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/reader"
)

// writer takes the chunks of the workers in turn: it settles which file
// an article ID belongs to, gathers batches, removes what files no longer
// have, records each file once it is done, and commits now and then. It
// runs on the goroutine of Run.
type writer struct {
	ix   *index.Index
	sum  *Summary
	opt  Options
	walk *walker

	present map[string]*file // the files found, by key
	walked  map[string]bool  // the origins walked
	pending batch            // gathered, not yet sent to the applier

	// owner is, for every article ID this run has written or found
	// unchanged, the file it belongs to: two files may not share an ID.
	owner  map[string]*file
	open   map[*file]*fileState // files whose last chunk has not come
	reread map[string]bool      // files whose articles lost an ID to another file: read again next run

	progress Progress

	queue chan batch // to the applier, which writes one batch while the next is gathered
	done  chan struct{}
	once  sync.Once   // closes queue
	err   error       // the applier's first error; read after done
	fails atomic.Bool // set with err
	// the applier's, read after done:
	applied    [2]int // indexed, updated
	written    atomic.Int64
	lastCommit time.Time
	commitCost time.Duration
}

// batch is what the applier writes at once: articles, deletions, and the
// files they complete or remove, recorded with them so that a commit never
// records a file without its articles (nor forgets one whose articles are
// still there).
type batch struct {
	docs    []*index.Doc
	deletes []string
	sources []index.Source // files done: recorded after the batch is written
	gone    []index.Source // files removed: forgotten after the batch is written
	counts  [2]int         // indexed, updated
}

func (b *batch) size() int { return len(b.docs) + len(b.deletes) }

func (b *batch) empty() bool { return b.size() == 0 && len(b.sources) == 0 && len(b.gone) == 0 }

// fileState is what the writer knows of a file in progress.
type fileState struct {
	seen     map[string]bool // its article IDs
	articles int             // of them, in the index (written or unchanged)
	partial  bool
}

func newWriter(ix *index.Index, sum *Summary, opt Options, walk *walker) *writer {
	w := &writer{ix: ix, sum: sum, opt: opt, walk: walk, present: make(map[string]*file, len(walk.files)),
		owner: map[string]*file{}, open: map[*file]*fileState{}, reread: map[string]bool{}, lastCommit: time.Now(),
		queue: make(chan batch, 1), done: make(chan struct{})}
	w.walked = map[string]bool{}
	for _, f := range walk.files {
		w.present[f.key()] = f
		w.walked[f.origin] = true
	}
	go w.apply()
	return w
}

func (w *writer) fail(path string, err error) {
	w.sum.Failures = append(w.sum.Failures, Failure{Path: path, Err: err})
	w.sum.Failed++
}

// removeFile removes the articles of a file that is gone.
func (w *writer) removeFile(ctx context.Context, origin, name string) error {
	ids, err := w.ix.IDsFrom(context.WithoutCancel(ctx), origin, name)
	if err != nil {
		return fmt.Errorf("read index: %w", err)
	}
	w.pending.deletes = append(w.pending.deletes, ids...)
	w.pending.gone = append(w.pending.gone, index.Source{Origin: origin, File: name})
	w.sum.Removed += len(ids)
	return w.flushIfFull()
}

// showPath is how a file of an origin is named in messages.
func showPath(origin, rel string) string {
	if filepath.Base(origin) == rel {
		if info, err := os.Stat(origin); err == nil && !info.IsDir() {
			return origin // a file given by itself
		}
	}
	return filepath.Join(origin, filepath.FromSlash(rel))
}

// stillThere reports whether the file an article came from is still
// there: found by this run, or (for an origin this run did not walk) on
// disk.
func (w *writer) stillThere(origin, rel string) bool {
	if _, ok := w.present[origin+"\x00"+rel]; ok {
		return true
	}
	if w.walked[origin] {
		return false // walked, and not found
	}
	_, err := os.Stat(showPath(origin, rel))
	return err == nil
}

// add takes one chunk.
func (w *writer) add(ctx context.Context, c chunk) error {
	f := c.f
	st := w.open[f]
	if st == nil {
		st = &fileState{seen: map[string]bool{}}
		w.open[f] = st
	}
	for _, fl := range c.failures {
		w.fail(fl.Path, fl.Err)
	}
	st.partial = st.partial || c.partial
	w.progress.BytesDone += c.bytes
	prev := c.prev
	written := map[string]bool{}
	for _, d := range c.docs {
		id := d.ID()
		written[id] = true
		if st.seen[id] {
			w.fail(f.path, fmt.Errorf("article %q appears twice in the file; the first is kept", id))
			st.partial = true
			continue
		}
		st.seen[id] = true
		if other := w.rival(f, id, prev); other != "" {
			if other < f.key() { // the first in order keeps it
				w.fail(f.path, fmt.Errorf("article ID %q is also in %s, whose article is kept (the first path in order wins): give one of them another id", id, showKey(other)))
				st.partial = true
				continue
			}
			w.fail(showKey(other), fmt.Errorf("article ID %q is also in %s, whose article is kept (the first path in order wins): give one of them another id", id, f.path))
			w.reread[other] = true
		}
		w.owner[id] = f
		st.articles++
		if n := d.Note(); n != "" {
			w.sum.Notes = append(w.sum.Notes, Failure{Path: f.path, Err: fmt.Errorf("article %q: %s", id, n)})
		}
		w.pending.docs = append(w.pending.docs, d)
		if _, ok := prev[id]; ok {
			w.pending.counts[1]++
		} else {
			w.pending.counts[0]++
		}
	}
	for _, id := range c.ids {
		if written[id] {
			continue
		}
		// unchanged (or refused: then not in seen next time either)
		if !st.seen[id] {
			st.seen[id] = true
			if o := w.owner[id]; o != nil && o != f {
				// another file of this run wrote it: the index has that one
				if o.key() < f.key() {
					w.fail(f.path, fmt.Errorf("article ID %q is also in %s, whose article is kept (the first path in order wins): give one of them another id", id, o.path))
					st.partial = true
					continue
				}
			}
			w.owner[id] = f
			st.articles++
		}
	}
	w.sum.Unchanged += c.unchanged
	if c.last {
		if err := w.close(ctx, c, st); err != nil {
			return err
		}
	}
	return w.flushIfFull()
}

// rival returns the key of another file that has article id, or "".
func (w *writer) rival(f *file, id string, prev map[string]index.Fingerprint) string {
	if o := w.owner[id]; o != nil {
		if o != f {
			return o.key()
		}
		return ""
	}
	p, ok := prev[id]
	if !ok || (p.Origin == f.origin && p.File == f.rel) || (p.Origin == "" && p.File == "") {
		return ""
	}
	if !w.stillThere(p.Origin, p.File) {
		return "" // moved or gone: the article is this file's now
	}
	return p.Origin + "\x00" + p.File
}

func showKey(key string) string {
	for i := range len(key) {
		if key[i] == 0 {
			return showPath(key[:i], key[i+1:])
		}
	}
	return key
}

// close ends a file: what it no longer has is removed, and it is recorded
// (unless it could not be read to its end: then it stays as the index has
// it, and the next run reads it again).
func (w *writer) close(ctx context.Context, c chunk, st *fileState) error {
	f := c.f
	delete(w.open, f)
	w.progress.FilesDone++
	if !c.whole {
		return nil
	}
	srcs, err := w.ix.Sources(f.origin)
	if err != nil {
		return err
	}
	// a file read before may have lost articles; a stream may have been
	// cut short by a crash after some of it was committed
	if _, known := srcs[f.rel]; known || reader.Streamable(f.rel) {
		old, err := w.ix.IDsFrom(context.WithoutCancel(ctx), f.origin, f.rel)
		if err != nil {
			return fmt.Errorf("read index: %w", err)
		}
		for _, id := range old {
			if !st.seen[id] && (w.owner[id] == nil || w.owner[id] == f) {
				w.pending.deletes = append(w.pending.deletes, id)
				w.sum.Removed++
			}
		}
	}
	w.pending.sources = append(w.pending.sources, index.Source{Origin: f.origin, File: f.rel, Size: f.size, ModTime: f.mtime,
		Hash: c.hash, Articles: st.articles, Partial: st.partial || w.reread[f.key()]})
	return nil
}

func (w *writer) flushIfFull() error {
	if w.pending.size() >= w.opt.BatchSize {
		return w.send()
	}
	return nil
}

// send hands the pending batch to the applier.
func (w *writer) send() error {
	if w.fails.Load() {
		return errStopped
	}
	if !w.pending.empty() {
		w.queue <- w.pending
		w.pending = batch{}
	}
	return nil
}

// apply writes batches in order, records the files they complete, and
// commits when it is time. A failure stops it; the batches after it are
// dropped.
func (w *writer) apply() {
	defer close(w.done)
	for b := range w.queue {
		if w.err != nil {
			continue
		}
		if err := w.write(b); err != nil {
			w.err = err
			w.fails.Store(true)
		}
	}
}

func (w *writer) write(b batch) error {
	if b.size() > 0 {
		if err := w.ix.Apply(context.Background(), b.docs, b.deletes); err != nil {
			return fmt.Errorf("write batch: %w", err)
		}
	}
	for _, s := range b.sources {
		if err := w.ix.SetSource(s); err != nil {
			return err
		}
	}
	for _, s := range b.gone {
		if err := w.ix.RemoveSource(s.Origin, s.File); err != nil {
			return err
		}
	}
	w.applied[0] += b.counts[0]
	w.applied[1] += b.counts[1]
	w.written.Add(int64(b.counts[0] + b.counts[1]))
	if time.Since(w.lastCommit) >= max(w.opt.CommitEvery, 10*w.commitCost) {
		start := time.Now()
		if err := w.ix.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		w.lastCommit, w.commitCost = time.Now(), time.Since(start)
	}
	return nil
}

// finish writes what is pending, waits for the applier, and marks the
// files that lost an article ID to another to be read again next time (so
// that the clash is reported on every run).
func (w *writer) finish() error {
	for key := range w.reread {
		f := w.present[key]
		if f == nil {
			continue
		}
		for i := range w.pending.sources {
			if s := &w.pending.sources[i]; s.Origin == f.origin && s.File == f.rel {
				s.Partial = true
			}
		}
	}
	_ = w.send()
	w.stop()
	w.sum.Indexed += w.applied[0]
	w.sum.Updated += w.applied[1]
	if w.err != nil {
		return w.err
	}
	for key := range w.reread {
		f := w.present[key]
		if f == nil {
			continue
		}
		srcs, err := w.ix.Sources(f.origin)
		if err != nil {
			return err
		}
		if s, ok := srcs[f.rel]; ok && !s.Partial {
			s.Partial = true
			if err := w.ix.SetSource(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// stop ends the applier (after what was sent) and waits for it.
func (w *writer) stop() {
	w.once.Do(func() { close(w.queue) })
	<-w.done
}
