// Package server serves a newsearch index over HTTP, read-only: a JSON API
// and a search page.
//
//	GET /api/search?q=&limit=&offset=&sort=&facet=&since=&until=&explain=
//	                       the object of newsearch query --json
//	GET /api/articles/ID?q=
//	                       one article in full (IDs contain slashes:
//	                       /api/articles/it-life-hack/it-life-hack-6295327.txt),
//	                       with where q matches its title and body
//	GET /api/suggest?q=&limit=
//	                       names and title words that start with q
//	GET /api/stats         the object of newsearch stats --json, without dir
//	GET /articles/ID       the page, showing the article
//	GET /healthz           {"status": "ok", "generation", "articles", ...}:
//	                       503 when searches are not being answered
//	GET /                  the search page (files embedded in the binary)
//
// Errors are JSON, {"error": {"code", "message", "column", ...}} (see
// render.Error), with status 400 for a bad
// parameter, a malformed query string or a query syntax error, 404 for an
// unknown article or path, 405 for a method other than GET or HEAD, 503
// when a search runs out of time, and 500 (logged, never a stack trace in
// the answer) for anything else.
//
// # Faults
//
// A panic in a search is an error: the request answers 500, the panic is
// logged with its stack, and the server goes on answering. Every search
// runs in a goroutine of its own that holds its search slot and its
// generation until it returns, so a request answers within its time limit
// even if the search ignores its context, and the slot is freed however the
// search ends. /healthz answers {"status", "generation", "articles",
// "panics", "problems"}: ok; degraded (searches are answered, but searches
// panicked in the last ten minutes, a search is stuck, or a newer
// generation cannot be opened); or failing, with status 503 (the index
// cannot be read, every search slot is held by a stuck search, or, after a
// panic, a small test search fails too). Generations are closed in the
// background, so a Close that hangs blocks neither requests nor reloads,
// and Shutdown gives up on it at its deadline.
//
// # New articles without a restart
//
// A writer (newsearch index) never changes a generation that readers can
// see: it publishes a new one by renaming the index's CURRENT file. The
// server holds the generation it opened in an atomic pointer; every second
// it asks the index whether it is stale (one small file read) and, if so,
// opens the new generation read-only and swaps the pointer. Each request
// takes a reference on the generation it starts with and drops it when it
// ends; the server's own reference is dropped at the swap, and whoever
// drops the last reference closes the old generation, which lets the writer
// delete it. So requests never wait for a reload, an answer never mixes two
// generations, and a generation that fails to open leaves the old one
// serving (the failure is logged and retried).
//
// # Load
//
// At most MaxSearches searches run at once (default: one per CPU); the
// others wait their turn, first come first served, within the request's
// time limit. More at once would only share the CPUs with more preemption
// and garbage collection, and stretch every answer. Each generation keeps
// the results of its latest searches (CacheEntries): the same request to
// the same generation has the same answer, and a new generation starts
// with an empty cache, so a cached answer is never stale. Statistics are
// computed once per generation.
package server

import (
	"context"
	"log"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
)

// Defaults and limits.
const (
	DefaultPollInterval   = time.Second
	DefaultRequestTimeout = 10 * time.Second

	// MaxQueryRunes bounds the length of q, in characters: the query
	// language's own limit.
	MaxQueryRunes = qparse.MaxRunes
	// MaxLimit bounds the hits of one request; MaxOffset how deep paging goes.
	MaxLimit  = 1000
	MaxOffset = 100_000
)

// Config configures a Server.
type Config struct {
	// Dir is the index directory. It is opened read-only.
	Dir string
	// PollInterval is how often the server checks for a newer generation
	// (0: DefaultPollInterval).
	PollInterval time.Duration
	// RequestTimeout bounds the work on one request (0:
	// DefaultRequestTimeout).
	RequestTimeout time.Duration
	// Logf logs reloads and internal errors (nil: the log package).
	Logf func(format string, args ...any)
	// MaxSearches bounds the searches that run at once; more wait their
	// turn (0: the number of CPUs).
	MaxSearches int
	// CacheEntries is how many search results are kept per generation
	// (0: DefaultCacheEntries; negative: none).
	CacheEntries int

	// hooks replaces what the server calls on an index, in tests (nil:
	// the index's own methods).
	hooks *hooks
}

// hooks are the calls the server makes on an index that a test may need to
// make panic or hang.
type hooks struct {
	search func(*index.Index, context.Context, index.Request) (*index.Result, error)
	close  func(*index.Index) error
}

var indexHooks = hooks{search: (*index.Index).Search, close: (*index.Index).Close}

// Server answers HTTP requests from an index. It is an http.Handler.
type Server struct {
	cfg     Config
	hooks   hooks
	holder  *holder
	closer  *closer
	handler http.Handler
	// searching holds a token per search running: more searches than CPUs
	// at once only slow each other down (preemption, garbage collection)
	searching chan struct{}
	searches  *searchHealth
	// categories are the display names of the categories
	categories *categoryNames

	stop     context.CancelFunc
	watching sync.WaitGroup

	shutdown    sync.Once
	shutdownErr error
}

// New opens the index in cfg.Dir read-only and starts watching it for new
// generations. Close stops that and releases the index.
func New(cfg Config) (*Server, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.MaxSearches <= 0 {
		cfg.MaxSearches = runtime.GOMAXPROCS(0)
	}
	if cfg.CacheEntries == 0 {
		cfg.CacheEntries = DefaultCacheEntries
	}
	hk := indexHooks
	if cfg.hooks != nil {
		hk = *cfg.hooks
	}
	c := newCloser(hk.close)
	h, err := openHolder(cfg.Dir, cfg.Logf, cfg.CacheEntries, c)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, hooks: hk, holder: h, closer: c, searching: make(chan struct{}, cfg.MaxSearches), searches: newSearchHealth(),
		categories: &categoryNames{dir: cfg.Dir, logf: cfg.Logf}}
	s.handler = s.routes()
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.watching.Add(1)
	go func() {
		defer s.watching.Done()
		h.watch(ctx, cfg.PollInterval)
	}()
	return s, nil
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Generation names the generation new requests are served from.
func (s *Server) Generation() string {
	x := s.holder.acquire()
	if x == nil {
		return ""
	}
	defer x.release(s.cfg.Logf)
	return x.ix.Generation()
}

// Reload switches to the newest generation now if there is a newer one
// than the one served, rather than at the next poll. It reports whether it
// switched.
func (s *Server) Reload() (bool, error) {
	return s.holder.reloadIfStale()
}

// HTTPServer returns an http.Server for s at addr with timeouts that keep
// slow or idle clients from holding connections.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      s.cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logWriter(s.cfg.Logf), "", 0),
	}
}

// Shutdown stops watching for new generations and releases the index,
// which closes when the requests and searches in flight are done. It waits
// for the generations that are closing until ctx ends, and then returns an
// error that names those still closing. Requests after Shutdown get 503.
// Only the first call waits.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdown.Do(func() {
		s.stop()
		s.watching.Wait()
		s.holder.close()
		s.shutdownErr = s.closer.wait(ctx)
	})
	return s.shutdownErr
}

// Close is Shutdown with the request time limit as its deadline.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	return s.Shutdown(ctx)
}

// logWriter adapts Logf to an io.Writer for http.Server.ErrorLog.
type logWriter func(string, ...any)

func (f logWriter) Write(p []byte) (int, error) {
	f("%s", trimNewline(p))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}
