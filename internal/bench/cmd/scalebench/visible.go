package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

// jsonlIDs reads the id of every line of a JSON Lines file.
func jsonlIDs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var ids []string
	for n := 1; sc.Scan(); n++ {
		var r struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID == "" {
			return nil, fmt.Errorf("%s: line %d: want an object with an id", path, n)
		}
		ids = append(ids, r.ID)
	}
	return ids, sc.Err()
}

// health is what /healthz says.
type health struct {
	Generation string `json:"generation"`
	Articles   uint64 `json:"articles"`
}

func getJSON(c *http.Client, u string, v any) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if v != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(body, v); err != nil {
			return resp.StatusCode, fmt.Errorf("%s: %w: %.200s", u, err, body)
		}
	}
	return resp.StatusCode, nil
}

// shows reports whether the server answers with the new articles: the
// article count, the first and last new article by ID, and every needle
// that the new articles carry finding them.
func shows(c *http.Client, base string, want uint64, ids []string, needles manifest) (bool, string, error) {
	var h health
	if st, err := getJSON(c, base+"/healthz", &h); err != nil || st != 200 {
		return false, fmt.Sprintf("healthz status %d", st), err
	}
	if h.Articles != want {
		return false, fmt.Sprintf("%s has %d articles", h.Generation, h.Articles), nil
	}
	for _, id := range []string{ids[0], ids[len(ids)-1]} {
		st, err := getJSON(c, base+"/api/articles/"+url.PathEscape(id), nil)
		if err != nil {
			return false, "", err
		}
		if st != 200 {
			return false, fmt.Sprintf("article %s: status %d", id, st), nil
		}
	}
	for _, w := range needles.words() {
		if len(needles[w]) == 0 {
			continue
		}
		var r struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		q := url.Values{"q": {needleQuery(w)}, "limit": {"1000"}, "facet": {"none"}}
		if st, err := getJSON(c, base+"/api/search?"+q.Encode(), &r); err != nil || st != 200 {
			return false, fmt.Sprintf("search %s: status %d", w, st), err
		}
		found := map[string]bool{}
		for _, h := range r.Hits {
			found[h.ID] = true
		}
		for _, id := range needles[w] {
			if !found[id] {
				return false, fmt.Sprintf("needle %s does not find %s yet", w, id), nil
			}
		}
	}
	return true, "", nil
}

func cmdVisible(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("visible", stderr)
	base := fs.String("url", "", "the newsearch serve, http://HOST:PORT")
	next := fs.String("next", "", "the JSON Lines file just added")
	want := fs.Uint64("articles", 0, "the article count once the file is in")
	var mans multi
	fs.Var(&mans, "manifest", "the added file's needles manifest (its needles must find its articles)")
	since := fs.Int64("since", 0, "when the add finished, Unix nanoseconds (date +%s%N); default now")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long")
	interval := fs.Duration("interval", 20*time.Millisecond, "poll this often")
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *next == "" || *want == 0 {
		return usage(fs, "give -url, -next and -articles")
	}
	ids, err := jsonlIDs(*next)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("%s: no articles", *next)
	}
	needles, err := readManifests(mans)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if *since != 0 {
		t0 = time.Unix(0, *since)
	}
	c := &http.Client{Timeout: requestTimeout}
	fig := figures{}
	var why string
	for {
		ok, w, err := shows(c, *base, *want, ids, needles)
		if err != nil {
			return err
		}
		el := time.Since(t0)
		if ok {
			fmt.Fprintf(stdout, "visible %.0f ms after the add finished (%d articles, new articles %s..%s found by ID, %d needles of the new articles found)\n",
				ms(el), *want, ids[0], ids[len(ids)-1], nonEmpty(needles))
			fig.set("newsearch.add.visible_ms", "%.0f", ms(el))
			break
		}
		why = w
		if el > *timeout {
			fmt.Fprintf(stdout, "NOT visible %s after the add finished: %s\n", *timeout, why)
			fig.set("newsearch.add.visible_ms", "not within %s (%s)", *timeout, why)
			break
		}
		time.Sleep(*interval)
	}
	return fig.appendTo(*figs)
}

func nonEmpty(m manifest) int {
	n := 0
	for _, ids := range m {
		if len(ids) > 0 {
			n++
		}
	}
	return n
}
