package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsearch/newsearch/index"
)

// handle is one open generation of the index, shared by the requests that
// use it. refs counts the holder's reference (while the handle is current)
// plus one per request in flight; the last release closes the index.
type handle struct {
	ix      *index.Index
	refs    atomic.Int64
	results *resultCache

	statsMu sync.Mutex
	stats   *index.Stats
}

func newHandle(ix *index.Index, cacheEntries int) *handle {
	h := &handle{ix: ix, results: newResultCache(cacheEntries)}
	h.refs.Store(1)
	return h
}

// tryAcquire takes a reference unless the handle is already closed (refs
// reached zero, which is final).
func (h *handle) tryAcquire() bool {
	for {
		n := h.refs.Load()
		if n <= 0 {
			return false
		}
		if h.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release drops a reference; the last one closes the index.
func (h *handle) release(logf func(string, ...any)) {
	if h.refs.Add(-1) == 0 {
		if err := h.ix.Close(); err != nil {
			logf("close generation %s: %v", h.ix.Generation(), err)
		}
	}
}

// Stats computes the index's statistics once per generation: a generation
// never changes, so neither do they. A failure is not kept: the next
// request tries again.
func (h *handle) Stats(ctx context.Context) (*index.Stats, error) {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	if h.stats != nil {
		return h.stats, nil
	}
	st, err := h.ix.Stats(ctx)
	if err != nil {
		return nil, err
	}
	h.stats = st
	return st, nil
}

// holder keeps the current generation of a read-only index and replaces it
// when a writer publishes a newer one.
type holder struct {
	dir          string
	cur          atomic.Pointer[handle]
	logf         func(string, ...any)
	cacheEntries int // per generation

	reloadMu sync.Mutex // one reload at a time
	closed   bool       // guarded by reloadMu
}

func openHolder(dir string, logf func(string, ...any), cacheEntries int) (*holder, error) {
	ix, err := openWarm(dir)
	if err != nil {
		return nil, err
	}
	h := &holder{dir: dir, logf: logf, cacheEntries: cacheEntries}
	h.cur.Store(newHandle(ix, cacheEntries))
	return h, nil
}

// openWarm opens the index read-only and analyses a word, which loads the
// dictionary and the tokenizer: the first request after a start or a
// reload should not wait for them (seconds, on a busy machine).
func openWarm(dir string) (*index.Index, error) {
	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		return nil, err
	}
	ix.Analyzer().Analyze("検索エンジン")
	return ix, nil
}

// acquire returns the current generation with a reference taken, or nil
// once the holder is closed: call release when done. A request keeps the
// generation it started with even if a newer one is swapped in meanwhile.
func (h *holder) acquire() *handle {
	for {
		x := h.cur.Load()
		if x.tryAcquire() {
			return x
		}
		if h.cur.Load() == x {
			return nil // closed, and no successor: the holder is closed
		}
		// x was swapped out and closed between Load and tryAcquire: the
		// pointer now holds its successor
	}
}

// reloadIfStale opens the newest generation when the current one is stale,
// swaps it in and releases the old one, which closes when the last request
// on it finishes. It reports whether it swapped.
func (h *holder) reloadIfStale() (bool, error) {
	h.reloadMu.Lock()
	defer h.reloadMu.Unlock()
	if h.closed {
		return false, nil
	}
	old := h.cur.Load()
	if !old.ix.Stale() {
		return false, nil
	}
	ix, err := openWarm(h.dir)
	if err != nil {
		return false, err
	}
	h.cur.Store(newHandle(ix, h.cacheEntries))
	h.logf("index %s: now serving %s (was %s)", h.dir, ix.Generation(), old.ix.Generation())
	old.release(h.logf)
	return true, nil
}

// watch checks for a new generation every interval until ctx is done.
func (h *holder) watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, err := h.reloadIfStale()
		switch {
		case err != nil && !failing:
			// keep serving the old generation; say so once, not every tick
			h.logf("index %s: cannot open the new generation, still serving the old one: %v", h.dir, err)
			failing = true
		case err == nil:
			failing = false
		}
	}
}

// close releases the current generation; requests still in flight finish
// on it first.
func (h *holder) close() {
	h.reloadMu.Lock()
	defer h.reloadMu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	h.cur.Load().release(h.logf)
}
