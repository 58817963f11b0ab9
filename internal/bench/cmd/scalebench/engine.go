package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// An engine is a running search server the benchmark asks over HTTP: a
// newsearch serve or a Groonga HTTP server (groonga -s --protocol http).
type engine struct {
	Name    string // column name in the results: newsearch, groonga-mecab, ...
	Groonga bool
	Base    string // http://127.0.0.1:PORT
}

// parseEngine reads NAME=URL; a name that starts with groonga is a Groonga
// server, any other a newsearch serve.
func parseEngine(s string) (engine, error) {
	name, base, ok := strings.Cut(s, "=")
	if !ok || name == "" || !strings.HasPrefix(base, "http://") {
		return engine{}, fmt.Errorf("engine %q: want NAME=http://HOST:PORT (a NAME that starts with groonga is a Groonga server)", s)
	}
	return engine{Name: name, Groonga: strings.HasPrefix(name, "groonga"), Base: strings.TrimRight(base, "/")}, nil
}

// Page is what a search page asks, the request of the warm latency and load
// figures: the top 10 by relevance with facets and snippets. For newsearch,
// /api/search with limit 10 and every facet (category, source, tag, month,
// person, org); for Groonga, the request of groonga.sh query --mode page:
// the line as a phrase on title,body, 10 hits by score with _key, title and
// snippet_html(body), drilldowns on category, source and tags (10 values
// each). Groonga's result cache is off (cache=no); newsearch's is off when
// serve runs with --cache 0.
func (e engine) pagePath(q string) string {
	if e.Groonga {
		return "/d/select?" + groongaArgs(q, true).Encode()
	}
	v := url.Values{"q": {q}, "limit": {"10"}, "facet": {"all"}}
	return "/api/search?" + v.Encode()
}

// groongaAllPath asks Groonga for the _key of every article with the word
// (needles).
func groongaAllPath(w string) string {
	return "/d/select?" + groongaArgs(w, false).Encode()
}

// groongaPhrase quotes a query line as one Groonga phrase, as groonga.sh
// does.
func groongaPhrase(q string) string {
	q = strings.ReplaceAll(q, `\`, `\\`)
	q = strings.ReplaceAll(q, `"`, `\"`)
	return `"` + q + `"`
}

// groongaArgs are the select arguments of groonga.sh's runner: page mode
// (top 10, drilldowns, snippets) or every hit's _key.
func groongaArgs(q string, page bool) url.Values {
	v := url.Values{
		"table":         {"Docs"},
		"match_columns": {"title,body"},
		"query":         {groongaPhrase(q)},
		"cache":         {"no"},
	}
	if page {
		v.Set("limit", "10")
		v.Set("sort_keys", "-_score")
		v.Set("output_columns", "_key,title,snippet_html(body)")
		v.Set("drilldown", "category,source,tags")
		v.Set("drilldown_limit", "10")
	} else {
		v.Set("limit", "-1")
		v.Set("output_columns", "_key")
	}
	return v
}

// answer is one search's outcome as the client saw it.
type answer struct {
	ClientMS float64  // request sent to body read, measured here
	ServerMS float64  // took_ms (newsearch) or the elapsed time of Groonga's header
	Total    int64    // hits found
	IDs      []string // the IDs returned
	Status   int      // HTTP status
	Err      string   // the engine's error message, if any
}

// client asks engines one request at a time over a kept-alive connection.
// Compression is off, as with wrk: the figures are of searching, not of
// gzip.
type client struct {
	http *http.Client
}

func newClient(timeout time.Duration) *client {
	return &client{http: &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4},
	}}
}

// get fetches e.Base+path, timing the round trip including the body.
func (c *client) get(e engine, path string) (answer, error) {
	t := time.Now()
	resp, err := c.http.Get(e.Base + path)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", e.Name, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	a := answer{ClientMS: ms(time.Since(t)), Status: resp.StatusCode}
	if err != nil {
		return a, fmt.Errorf("%s: reading the answer: %w", e.Name, err)
	}
	if e.Groonga {
		err = parseGroonga(body, &a)
	} else {
		err = parseNewsearch(body, &a)
	}
	if err != nil {
		return a, fmt.Errorf("%s: %s: %w", e.Name, path, err)
	}
	return a, nil
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// parseNewsearch reads the JSON of newsearch query --json (or an
// {"error": {"code", "message"}} answer).
func parseNewsearch(body []byte, a *answer) error {
	var r struct {
		Total  int64   `json:"total"`
		TookMS float64 `json:"took_ms"`
		Hits   []struct {
			ID string `json:"id"`
		} `json:"hits"`
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("not newsearch JSON (%v): %.200s", err, body)
	}
	a.Total, a.ServerMS, a.Err = r.Total, r.TookMS, r.Error.Message
	for _, h := range r.Hits {
		a.IDs = append(a.IDs, h.ID)
	}
	return nil
}

// parseGroonga reads a select answer: [[rc, start, elapsed, msg?], [[[n],
// [columns], rows...], drilldowns...]], the first column of a row being
// _key.
func parseGroonga(body []byte, a *answer) error {
	var top []json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || len(top) == 0 {
		return fmt.Errorf("not a Groonga answer: %.200s", body)
	}
	var head []any
	if err := json.Unmarshal(top[0], &head); err != nil || len(head) < 3 {
		return fmt.Errorf("not a Groonga header: %.200s", top[0])
	}
	rc, _ := head[0].(float64)
	el, _ := head[2].(float64)
	a.ServerMS = el * 1000
	if rc != 0 {
		a.Err = fmt.Sprintf("rc %v", rc)
		if len(head) > 3 {
			if msg, ok := head[3].(string); ok {
				a.Err = msg
			}
		}
		return nil
	}
	if len(top) < 2 {
		return errors.New("a Groonga answer without a body")
	}
	var res []json.RawMessage
	if err := json.Unmarshal(top[1], &res); err != nil || len(res) == 0 {
		return fmt.Errorf("not a Groonga select body: %.200s", top[1])
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(res[0], &rows); err != nil || len(rows) < 2 {
		return fmt.Errorf("not a Groonga result set: %.200s", res[0])
	}
	var n []int64
	if err := json.Unmarshal(rows[0], &n); err != nil || len(n) != 1 {
		return fmt.Errorf("not a Groonga hit count: %.200s", rows[0])
	}
	a.Total = n[0]
	for _, r := range rows[2:] {
		var cols []json.RawMessage
		var id string
		if err := json.Unmarshal(r, &cols); err != nil || len(cols) == 0 || json.Unmarshal(cols[0], &id) != nil {
			return fmt.Errorf("not a Groonga row with _key first: %.200s", r)
		}
		a.IDs = append(a.IDs, id)
	}
	return nil
}
