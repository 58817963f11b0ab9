package server

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
	closer  *closer

	statsMu chan struct{} // a lock a request can stop waiting for
	stats   *index.Stats
}

func newHandle(ix *index.Index, cacheEntries int, c *closer) *handle {
	h := &handle{ix: ix, results: newResultCache(cacheEntries), closer: c, statsMu: make(chan struct{}, 1)}
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

// release drops a reference; the last one closes the index, in a
// goroutine of its own: a Close that blocks must not block the request or
// the reload that released the generation.
func (h *handle) release(logf func(string, ...any)) {
	if h.refs.Add(-1) == 0 {
		h.closer.close(h.ix, logf)
	}
}

// Stats computes the index's statistics once per generation: a generation
// never changes, so neither do they. A failure is not kept: the next
// request tries again.
func (h *handle) Stats(ctx context.Context) (*index.Stats, error) {
	select {
	case h.statsMu <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.statsMu }()
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

// closer closes generations in the background and knows which are still
// closing.
type closer struct {
	closeIndex func(*index.Index) error
	wg         sync.WaitGroup
	mu         sync.Mutex
	closing    map[string]bool // generations whose Close has not returned
}

func newCloser(closeIndex func(*index.Index) error) *closer {
	return &closer{closeIndex: closeIndex, closing: map[string]bool{}}
}

// close closes ix in a goroutine of its own.
func (c *closer) close(ix *index.Index, logf func(string, ...any)) {
	gen := ix.Generation()
	c.mu.Lock()
	c.closing[gen] = true
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			delete(c.closing, gen)
		}()
		if _, err := safely(logf, "close generation "+gen, func() (struct{}, error) { return struct{}{}, c.closeIndex(ix) }); err != nil {
			logf("close generation %s: %v", gen, err)
		}
	}()
}

// wait waits until every close begun has returned, or ctx ends: then it
// names the generations still closing.
func (c *closer) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	gens := make([]string, 0, len(c.closing))
	for g := range c.closing {
		gens = append(gens, g)
	}
	sort.Strings(gens)
	return fmt.Errorf("generation %s did not close in time: %w", strings.Join(gens, ", "), ctx.Err())
}

// holder keeps the current generation of a read-only index and replaces it
// when a writer publishes a newer one.
type holder struct {
	dir          string
	cur          atomic.Pointer[handle]
	logf         func(string, ...any)
	cacheEntries int // per generation
	closer       *closer

	reloadMu sync.Mutex // one reload at a time
	closed   bool       // guarded by reloadMu

	reloadErr atomic.Pointer[error] // the last reload's error; nil after a success
}

func openHolder(dir string, logf func(string, ...any), cacheEntries int, c *closer) (*holder, error) {
	ix, err := openWarm(dir)
	if err != nil {
		return nil, err
	}
	h := &holder{dir: dir, logf: logf, cacheEntries: cacheEntries, closer: c}
	h.cur.Store(newHandle(ix, cacheEntries, c))
	return h, nil
}

// reloadError is why the latest attempt to open a newer generation failed,
// or nil if it did not.
func (h *holder) reloadError() error {
	if p := h.reloadErr.Load(); p != nil {
		return *p
	}
	return nil
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
		h.reloadErr.Store(&err)
		return false, err
	}
	h.reloadErr.Store(nil)
	h.cur.Store(newHandle(ix, h.cacheEntries, h.closer))
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
		_, err := safely(h.logf, "reload", h.reloadIfStale)
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
