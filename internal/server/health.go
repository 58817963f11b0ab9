package server

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/newsearch/newsearch/index"
)

// panicWindow is how long a panic keeps /healthz from saying ok.
const panicWindow = 10 * time.Minute

// stuckGrace is how long past its request's time limit a search runs
// before it counts as stuck: it ignores its context, and holds a search
// slot that no other request can have.
const stuckGrace = time.Second

// panicError is a panic in a search, caught and turned into an error: the
// request answers 500 and the server goes on.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("search panicked: %v", e.value) }

// recovered turns a recovered value into a *panicError with the stack of
// the panic; call it in the deferred function that recovered.
func recovered(v any) *panicError {
	return &panicError{value: v, stack: debug.Stack()}
}

// searchHealth is what /healthz reports about searches: panics, the last
// search that succeeded, and the searches running now.
type searchHealth struct {
	mu        sync.Mutex
	panics    int       // since the server started
	lastPanic time.Time // zero: none
	panicMsg  string
	lastOK    time.Time
	running   map[uint64]time.Time // start of each search running
	next      uint64
}

func newSearchHealth() *searchHealth {
	return &searchHealth{running: map[uint64]time.Time{}}
}

// started records a search starting and returns its ID for finished.
func (h *searchHealth) started() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	h.running[h.next] = time.Now()
	return h.next
}

// finished records how the search id ended.
func (h *searchHealth) finished(id uint64, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.running, id)
	now := time.Now()
	if pe, ok := err.(*panicError); ok {
		h.panics++
		h.lastPanic = now
		h.panicMsg = fmt.Sprint(pe.value)
		return
	}
	if err == nil {
		h.lastOK = now
	}
}

// healthReport is the state of searches at one moment.
type healthReport struct {
	total        int // panics since the server started
	recentPanics bool
	lastPanic    time.Time
	panicMsg     string
	panicSinceOK bool // the latest search to end panicked
	stuck        int  // searches running past their time limit
}

func (h *searchHealth) report(limit time.Duration) healthReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := healthReport{total: h.panics, lastPanic: h.lastPanic, panicMsg: h.panicMsg}
	r.recentPanics = !h.lastPanic.IsZero() && time.Since(h.lastPanic) < panicWindow
	r.panicSinceOK = r.recentPanics && h.lastPanic.After(h.lastOK)
	for _, t := range h.running {
		if time.Since(t) > limit+stuckGrace {
			r.stuck++
		}
	}
	return r
}

// healthJSON is the answer of /healthz.
type healthJSON struct {
	// Status is ok; degraded (searches are answered, but something is
	// wrong: see Problems); or failing (searches are not answered), with
	// HTTP status 503.
	Status     string   `json:"status"`
	Generation string   `json:"generation"`
	Articles   uint64   `json:"articles"`
	Panics     int      `json:"panics"`
	Problems   []string `json:"problems,omitempty"`
}

// health answers /healthz: whether searches are being answered, and what
// is wrong if anything is. It does not search unless the latest search
// panicked: then one small search says whether any search still works.
func (s *Server) health(w http.ResponseWriter, r *http.Request, x *handle) error {
	out := healthJSON{Status: "ok", Generation: x.ix.Generation()}
	failing := func(format string, args ...any) {
		out.Status = "failing"
		out.Problems = append(out.Problems, fmt.Sprintf(format, args...))
	}
	degraded := func(format string, args ...any) {
		if out.Status == "ok" {
			out.Status = "degraded"
		}
		out.Problems = append(out.Problems, fmt.Sprintf(format, args...))
	}
	n, err := safely(s.cfg.Logf, "count the articles", x.ix.Count)
	if err != nil {
		failing("the index cannot be read: %v", err)
	}
	out.Articles = n

	rep := s.searches.report(s.cfg.RequestTimeout)
	out.Panics = rep.total
	switch {
	case rep.stuck >= s.cfg.MaxSearches:
		failing("all %d search slots are held by searches running for longer than %s: new searches wait and time out", s.cfg.MaxSearches, s.cfg.RequestTimeout)
	case rep.stuck > 0:
		degraded("%d of %d search slots are held by searches running for longer than %s", rep.stuck, s.cfg.MaxSearches, s.cfg.RequestTimeout)
	}
	if rep.panicSinceOK && rep.stuck < s.cfg.MaxSearches {
		// the latest search panicked: does any search work now?
		if _, err := s.runSearch(r.Context(), x, index.Request{Limit: 1, NoSnippets: true}); err != nil {
			failing("a test search fails: %v", err)
		}
	}
	if rep.recentPanics {
		degraded("searches panicked %d times since the server started, the latest at %s: %s (logged with its stack)",
			rep.total, rep.lastPanic.Format(time.RFC3339), rep.panicMsg)
	}
	if err := s.holder.reloadError(); err != nil {
		degraded("a newer generation of the index cannot be opened, so %s is still served: %v", out.Generation, err)
	}
	status := http.StatusOK
	if out.Status == "failing" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
	return nil
}

// safely calls f and turns a panic in it into an error, logged with its
// stack.
func safely[T any](logf func(string, ...any), what string, f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			pe := recovered(p)
			logf("%s: %v\n%s", what, pe, pe.stack)
			err = fmt.Errorf("%s: %v", what, pe.value)
		}
	}()
	return f()
}

// runSearch runs a search in a search slot, in a goroutine of its own, and
// returns its result, or ctx's error when ctx ends first. A panic in the
// search is a *panicError (logged with its stack by the caller). A search
// that ignores ctx goes on after the request has answered, holding its
// slot and its generation until it returns: the request still answers in
// time, the slot is not given to two searches at once, and the generation
// is not closed under it.
func (s *Server) runSearch(ctx context.Context, x *handle, req index.Request) (*index.Result, error) {
	return runIn(s, ctx, x, func(ix *index.Index) (*index.Result, error) { return s.hooks.search(ix, ctx, req) })
}

// runIn runs f on the index of x as runSearch runs a search: in a search
// slot, on a goroutine of its own that holds x until f returns, a panic
// turned into an error; it returns when f does or ctx ends.
func runIn[T any](s *Server, ctx context.Context, x *handle, f func(*index.Index) (T, error)) (T, error) {
	var zero T
	select {
	case s.searching <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	x.refs.Add(1) // the caller holds one: x is open
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	id := s.searches.started()
	go func() {
		var o outcome
		defer x.release(s.cfg.Logf)
		defer func() { <-s.searching }()
		defer func() {
			if v := recover(); v != nil {
				o = outcome{err: recovered(v)}
			}
			s.searches.finished(id, o.err)
			done <- o
		}()
		o.v, o.err = f(x.ix)
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
