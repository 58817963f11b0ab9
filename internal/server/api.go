package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
	"github.com/newsearch/newsearch/internal/render"
)

// articlePrefix is the path under which articles are found by ID.
const articlePrefix = "/api/articles/"

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/search", s.withIndex(s.search))
	mux.HandleFunc(articlePrefix, s.withIndex(s.article))
	mux.HandleFunc("/api/stats", s.withIndex(s.stats))
	mux.HandleFunc("/api/aliases", s.withIndex(s.aliases)) // knowledge.go
	mux.HandleFunc("/api/suggest", s.withIndex(s.suggest))
	mux.HandleFunc("/healthz", s.withIndex(s.health))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, render.Error{Code: render.CodeNotFound}, "no such endpoint: %s (see /api/search, /api/articles/ID, /api/articles/ID/related, /api/aliases, /api/suggest, /api/stats)", r.URL.Path)
	})
	mux.HandleFunc("/", s.static)
	return s.recoverer(s.limits(mux))
}

// apiError is an error with the HTTP status it answers with and its JSON.
type apiError struct {
	status int
	body   render.Error
}

func (e *apiError) Error() string { return e.body.Message }

// badParam is a mistake in the parameter param.
func badParam(param, format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, body: render.Error{Code: render.CodeBadParameter, Param: param, Message: fmt.Sprintf(format, args...)}}
}

func notFound(format string, args ...any) error {
	return &apiError{status: http.StatusNotFound, body: render.Error{Code: render.CodeNotFound, Message: fmt.Sprintf(format, args...)}}
}

// withIndex checks the method, takes a reference on the current
// generation for the length of the request, and writes the handler's
// error as JSON.
func (s *Server) withIndex(f func(http.ResponseWriter, *http.Request, *handle) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allowGet(w, r) {
			return
		}
		x := s.holder.acquire()
		if x == nil {
			writeError(w, http.StatusServiceUnavailable, render.Error{Code: render.CodeUnavailable}, "the server is shutting down")
			return
		}
		defer x.release(s.cfg.Logf)
		if err := f(w, r, x); err != nil {
			s.writeErr(w, r, err)
		}
	}
}

// writeErr answers with err's status: the message of a mistake by the
// client, a generic one (and a log line) for a fault of ours.
func (s *Server) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var se *qparse.Error
	switch {
	case errors.As(err, &ae):
		writeJSON(w, ae.status, errorJSON{ae.body})
	case errors.As(err, &se), errors.Is(err, index.ErrInvalidRequest):
		writeJSON(w, http.StatusBadRequest, errorJSON{render.ErrorOf(err)})
	case errors.Is(err, index.ErrArticleNotFound):
		writeError(w, http.StatusNotFound, render.Error{Code: render.CodeNotFound}, "%s", err.Error())
	case errors.Is(err, index.ErrCorrupt):
		// a file of the generation served changed under it: say so, and
		// what to do, rather than "internal error"
		s.cfg.Logf("%s %s: %v", r.Method, r.URL.RequestURI(), err)
		writeError(w, http.StatusServiceUnavailable, render.Error{Code: render.CodeDamaged}, "the index is damaged (%v): rebuild it with newsearch index --rebuild", err)
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, render.Error{Code: render.CodeTimeout}, "the request took longer than %s", s.cfg.RequestTimeout)
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// the client went away: nobody reads an answer
	default:
		if pe, ok := errors.AsType[*panicError](err); ok {
			s.cfg.Logf("%s %s: %v\n%s", r.Method, r.URL.RequestURI(), err, pe.stack)
		} else if ie, ok := errors.AsType[*index.InternalError](err); ok {
			s.cfg.Logf("%s %s: %v\n%s", r.Method, r.URL.RequestURI(), err, ie.Stack)
		} else {
			s.cfg.Logf("%s %s: %v", r.Method, r.URL.RequestURI(), err)
		}
		writeError(w, http.StatusInternalServerError, render.Error{Code: render.CodeInternal}, "internal error")
	}
}

func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	writeError(w, http.StatusMethodNotAllowed, render.Error{Code: render.CodeMethodNotAllowed}, "method %s not allowed: use GET", r.Method)
	return false
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, encodeJSON(v))
}

// encodeJSON encodes v as one line of JSON; HTML in snippets is left
// readable.
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	if err := render.JSON(&b, v); err != nil {
		// our own types always encode; this is a bug, not a client's mistake
		panic(fmt.Sprintf("encode %T: %v", v, err))
	}
	return b.Bytes()
}

// writeBody answers with a JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorJSON is the body of every error answer: {"error": {"code",
// "message", ...}}.
type errorJSON struct {
	Error render.Error `json:"error"`
}

// writeError answers with e, its message made of format and args.
func writeError(w http.ResponseWriter, status int, e render.Error, format string, args ...any) {
	e.Message = fmt.Sprintf(format, args...)
	writeJSON(w, status, errorJSON{e})
}

// search answers /api/search with the object of newsearch query --json.
func (s *Server) search(w http.ResponseWriter, r *http.Request, x *handle) error {
	start := time.Now()
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// r.URL.Query() would drop what it cannot read and answer with
		// every article
		return badParam("", "the query string is malformed (%v): separate parameters with &, and escape ; %% & + as %%3B %%25 %%26 %%2B", err)
	}
	req, explain, err := searchRequest(params)
	if err != nil {
		return err
	}
	key := cacheKey(req, explain) + " " + x.ix.AliasesVersion()
	if a, ok := x.results.get(key); ok {
		writeBody(w, http.StatusOK, a.with(msSince(start)))
		return nil
	}
	res, err := s.runSearch(r.Context(), x, req)
	if err != nil {
		return err
	}
	if req.NoSnippets {
		res.Hits = res.Hits[:0] // limit=0: the count and the facets only
	}
	out := render.QueryJSON{Result: res, CategoryNames: s.categories.of(res)}
	if explain {
		out.Explain = res.Terms
	}
	if (res.Total == 0 || res.Relaxed) && req.Query != "" {
		// a mistyped word? (a failure here only costs the suggestion)
		c, err := runIn(s, r.Context(), x, func(ix *index.Index) (*index.Correction, error) { return ix.Correct(r.Context(), req.Query) })
		if err != nil && r.Context().Err() == nil {
			s.cfg.Logf("%s %s: correct: %v", r.Method, r.URL.RequestURI(), err)
		}
		out.Correction = c
	}
	if out.Facets == nil {
		out.Facets = map[string][]index.Count{}
	}
	body := encodeJSON(out)
	if a, ok := newAnswer(body); ok {
		x.results.put(key, a)
	}
	writeBody(w, http.StatusOK, body)
	return nil
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

// searchParams are the parameters of /api/search.
var searchParams = []string{"q", "limit", "offset", "sort", "facet", "since", "until", "explain", "collapse"}

// searchRequest reads the parameters of /api/search. The defaults are
// newsearch query's: 10 hits, by relevance, every facet.
func searchRequest(v url.Values) (index.Request, bool, error) {
	req := index.Request{Limit: 10, Facets: index.AllFacets}
	for name, vals := range v {
		if !slices.Contains(searchParams, name) {
			return req, false, badParam(name, "unknown parameter %q: the parameters are %s", name, strings.Join(searchParams, ", "))
		}
		if len(vals) > 1 && name != "facet" {
			return req, false, badParam(name, "parameter %s is given %d times: give it once", name, len(vals))
		}
	}
	req.Query = v.Get("q")
	if !utf8.ValidString(req.Query) {
		return req, false, badParam("q", "q is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(req.Query); n > MaxQueryRunes {
		return req, false, &apiError{status: http.StatusBadRequest, body: render.Error{Code: render.CodeSyntax, Reason: string(qparse.CodeTooLong), Column: MaxQueryRunes + 1,
			Message: fmt.Sprintf("q is %d characters long; the limit is %d", n, MaxQueryRunes)}}
	}
	var err error
	if req.Limit, err = intParam(v, "limit", 10, 0, MaxLimit); err != nil {
		return req, false, err
	}
	if req.Limit == 0 {
		req = countOnly(req)
	}
	if req.Offset, err = intParam(v, "offset", 0, 0, MaxOffset); err != nil {
		return req, false, err
	}
	if req.Sort, err = index.ParseSort(v.Get("sort")); err != nil {
		return req, false, badParam("sort", "sort: %v", err)
	}
	if s := v.Get("since"); s != "" {
		if req.Since, err = qparse.ParseSince(s); err != nil {
			return req, false, badParam("since", "since: %v", err)
		}
	}
	if s := v.Get("until"); s != "" {
		if req.Until, err = qparse.ParseUntil(s); err != nil {
			return req, false, badParam("until", "until: %v", err)
		}
	}
	if vals, ok := v["facet"]; ok {
		if req.Facets, err = index.ParseFacets(vals); err != nil {
			return req, false, badParam("facet", "%v", err)
		}
	}
	if s := v.Get("collapse"); s != "" {
		collapse, err := strconv.ParseBool(s)
		if err != nil {
			return req, false, badParam("collapse", "collapse is true or false, not %q", s)
		}
		req.NoCollapse = !collapse
	}
	explain := false
	if s := v.Get("explain"); s != "" {
		if explain, err = strconv.ParseBool(s); err != nil {
			return req, false, badParam("explain", "explain is true or false, not %q", s)
		}
	}
	return req, explain, nil
}

// cacheKey names a request: equal keys, equal answers (from one
// generation).
func cacheKey(r index.Request, explain bool) string {
	return fmt.Sprintf("%q %d %d %d %d %d %q %d %t %t %t", r.Query, r.Since.Unix(), r.Until.Unix(), r.Sort, r.Limit, r.Offset, r.Facets, r.FacetSize, r.NoSnippets, explain, r.NoCollapse)
}

// countOnly makes req ask for the count and the facets only (limit=0): the
// library's Limit 0 means its default, so it asks for one hit without a
// snippet, which the answer leaves out.
func countOnly(req index.Request) index.Request {
	req.Limit, req.NoSnippets = 1, true
	return req
}

// intParam reads an integer parameter in [lo, hi].
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(name, "%s is a number from %d to %d, not %q", name, lo, hi, s)
	}
	if n < lo || n > hi {
		return 0, badParam(name, "%s %d is out of range: use %d to %d", name, n, lo, hi)
	}
	return n, nil
}

// articleJSON is an article as /api/articles answers it.
type articleJSON struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Body         string    `json:"body"`
	URL          string    `json:"url,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Category     string    `json:"category,omitempty"`
	CategoryName string    `json:"category_name,omitempty"`
	Source       string    `json:"source,omitempty"`
	Tags         []string  `json:"tags,omitempty"`
	File         string    `json:"file,omitempty"`
	// With q: where it matches, as byte ranges of title and body.
	TitleHighlights []index.Span `json:"title_highlights,omitempty"`
	Highlights      []index.Span `json:"highlights,omitempty"`
}

// article answers /api/articles/ID[?q=QUERY]. The ID is the rest of the
// path, decoded: slashes may be written as they are or as %2F. With q, the
// answer says where the query matches the article.
func (s *Server) article(w http.ResponseWriter, r *http.Request, x *handle) error {
	id := strings.TrimPrefix(r.URL.Path, articlePrefix)
	if id == "" {
		return notFound("no article ID: use /api/articles/ID")
	}
	if id, ok := strings.CutSuffix(id, relatedSuffix); ok {
		return s.related(w, r, x, id) // knowledge.go
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badParam("", "the query string is malformed (%v)", err)
	}
	for name := range params {
		if name != "q" {
			return badParam(name, "unknown parameter %q: the parameter is q", name)
		}
	}
	a, err := x.ix.Get(r.Context(), id)
	if err != nil {
		return err
	}
	out := articleJSON{ID: a.ID, Title: a.Title, Body: a.Body, URL: a.URL,
		Published: a.Published, Category: a.Category, CategoryName: s.categories.get()[a.Category], Source: a.Source, Tags: a.Tags, File: a.File}
	if q := params.Get("q"); q != "" {
		type marks struct{ title, body []index.Span }
		m, err := runIn(s, r.Context(), x, func(ix *index.Index) (marks, error) {
			t, b, err := ix.Marks(r.Context(), id, q)
			return marks{t, b}, err
		})
		if err != nil {
			return err
		}
		out.TitleHighlights, out.Highlights = m.title, m.body
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// suggestJSON is the answer of /api/suggest.
type suggestJSON struct {
	Query       string             `json:"query"`
	Suggestions []index.Suggestion `json:"suggestions"`
}

// Bounds of /api/suggest.
const (
	defaultSuggestions = 8
	maxSuggestions     = 50
	maxSuggestRunes    = 100
)

// suggest answers /api/suggest?q=PREFIX&limit=N: the names and title
// words of the index that start with q, the most frequent first.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request, x *handle) error {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badParam("", "the query string is malformed (%v)", err)
	}
	for name := range params {
		if name != "q" && name != "limit" {
			return badParam(name, "unknown parameter %q: the parameters are q, limit", name)
		}
	}
	q := params.Get("q")
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxSuggestRunes {
		return badParam("q", "q is valid UTF-8 of up to %d characters", maxSuggestRunes)
	}
	n, err := intParam(params, "limit", defaultSuggestions, 1, maxSuggestions)
	if err != nil {
		return err
	}
	list, err := runIn(s, r.Context(), x, func(ix *index.Index) ([]index.Suggestion, error) { return ix.Suggest(r.Context(), q, n) })
	if err != nil {
		return err
	}
	if list == nil {
		list = []index.Suggestion{}
	}
	writeJSON(w, http.StatusOK, suggestJSON{Query: q, Suggestions: list})
	return nil
}

// stats answers /api/stats with the object of newsearch stats --json but
// its "dir", computed once per generation.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, x *handle) error {
	st, err := x.Stats(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		index.Stats
		CategoryNames map[string]string `json:"category_names,omitempty"`
	}{Stats: *st}
	out.Dir = "" // where the index lies on the server is not the client's business
	names := s.categories.get()
	for _, c := range st.Categories {
		if n, ok := names[c.Value]; ok {
			if out.CategoryNames == nil {
				out.CategoryNames = map[string]string{}
			}
			out.CategoryNames[c.Value] = n
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// limits bounds the time of every request and sets the headers every
// answer carries.
func (s *Server) limits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, ";") {
			semicolonsHandled.ServeHTTP(w, r)
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// semicolonsHandled tells net/http that a semicolon in the query string is
// taken care of (/api/search refuses the request; the other paths read no
// parameters), which keeps http.Server from logging a line for each such
// request. It does nothing else: its handler gets a copy of the request.
var semicolonsHandled = http.AllowQuerySemicolons(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))

// recoverer turns a panic in a handler into a logged 500 with a JSON body,
// never a stack trace in the answer.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &recordingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Logf("panic serving %s %s: %v\n%s", r.Method, r.URL.RequestURI(), v, debug.Stack())
			if !rw.wrote {
				writeError(w, http.StatusInternalServerError, render.Error{Code: render.CodeInternal}, "internal error")
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

// recordingWriter remembers whether the answer has begun.
type recordingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *recordingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
