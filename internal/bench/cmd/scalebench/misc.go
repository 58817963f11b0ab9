package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/newsearch/newsearch/index"
)

// cmdTextSize counts a JSON Lines corpus: articles, bytes of the file, and
// bytes of title+body (UTF-8), the raw text the index size is compared
// with.
func cmdTextSize(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("textsize", stderr)
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage(fs, "give one FILE.jsonl")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var n, text int64
	for sc.Scan() {
		var r struct {
			Title string `json:"title"`
			Body  string `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, n+1, err)
		}
		n++
		text += int64(len(r.Title) + len(r.Body))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(stdout, "%s: %d articles, %d bytes of JSON Lines, %d bytes of title+body\n", path, n, st.Size(), text)
	return figures{
		"corpus.articles":    strconv.FormatInt(n, 10),
		"corpus.jsonl_bytes": strconv.FormatInt(st.Size(), 10),
		"corpus.text_bytes":  strconv.FormatInt(text, 10),
	}.appendTo(*figs)
}

// cmdFreePort prints a TCP port free on 127.0.0.1 now.
func cmdFreePort(args []string, stdout, stderr io.Writer) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Fprintln(stdout, l.Addr().(*net.TCPAddr).Port)
	return nil
}

// cmdWait waits until a URL answers 200.
func cmdWait(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("wait", stderr)
	u := fs.String("url", "", "the URL")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := &http.Client{Timeout: 5 * time.Second}
	t0 := time.Now()
	for {
		st, err := getJSON(c, *u, nil)
		if err == nil && st == 200 {
			fmt.Fprintf(stdout, "%s answers after %.1f s\n", *u, time.Since(t0).Seconds())
			return nil
		}
		if time.Since(t0) > *timeout {
			return fmt.Errorf("%s: no 200 within %s (status %d, %v)", *u, *timeout, st, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cmdPaths writes the request path of each query, one a line, for the
// wrk script (wrk-cycle.lua).
func cmdPaths(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("paths", stderr)
	kind := fs.String("kind", "newsearch", "newsearch or groonga")
	queries := fs.String("queries", "", "the query set, one a line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kind != "newsearch" && *kind != "groonga" {
		return usage(fs, "-kind is newsearch or groonga")
	}
	qs, err := readLines(*queries)
	if err != nil {
		return err
	}
	e := engine{Name: *kind, Groonga: *kind == "groonga"}
	w := bufio.NewWriter(stdout)
	for _, q := range qs {
		fmt.Fprintln(w, e.pagePath(q))
	}
	return w.Flush()
}

var (
	wrkRPS     = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkTotal   = regexp.MustCompile(`(?m)^\s+(\d+) requests in ([0-9.]+)(ms|s|m)`)
	wrkNon2xx  = regexp.MustCompile(`(?m)^\s+Non-2xx or 3xx responses: (\d+)`)
	wrkSockErr = regexp.MustCompile(`(?m)^\s+Socket errors: (.*)$`)
)

// cmdWrk reads the output of wrk --latency into figures.
func cmdWrk(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("wrk", stderr)
	name := fs.String("engine", "", "the engine's name")
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || fs.NArg() != 1 {
		return usage(fs, "give -engine NAME and the wrk output file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	fig, err := parseWrk(string(data), *name)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	return fig.appendTo(*figs)
}

func parseWrk(out, name string) (figures, error) {
	fig := figures{}
	k := name + ".wrk."
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("no Requests/sec line: not the output of wrk")
	}
	fig[k+"rps"] = m[1]
	pcts := wrkPct.FindAllStringSubmatch(out, -1)
	if len(pcts) != 4 {
		return nil, fmt.Errorf("no latency distribution: run wrk with --latency")
	}
	unit := map[string]float64{"us": 1e-3, "ms": 1, "s": 1e3, "m": 60e3}
	for _, p := range pcts {
		v, _ := strconv.ParseFloat(p[2], 64)
		fig.set(k+"p"+p[1], "%.3f", v*unit[p[3]])
	}
	if m := wrkTotal.FindStringSubmatch(out); m != nil {
		fig[k+"requests"] = m[1]
	}
	fig[k+"non2xx"] = "0"
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		fig[k+"non2xx"] = m[1]
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		fig[k+"socket_errors"] = m[1]
	}
	return fig, nil
}

// cmdProfile runs one query again and again in this process through the
// index library, the search serve does (limit 10, every facet, snippets),
// under the CPU profiler.
func cmdProfile(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("profile", stderr)
	dir := fs.String("index", "", "the newsearch index")
	q := fs.String("query", "", "the query")
	runs := fs.Int("runs", 20, "searches profiled, at least")
	dur := fs.Duration("for", 10*time.Second, "and for at least this long")
	out := fs.String("cpuprofile", "", "write the CPU profile here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *q == "" || *out == "" || *runs < 1 {
		return usage(fs, "give -index, -query, -cpuprofile and -runs >= 1")
	}
	ix, err := index.Open(*dir, index.ReadOnly())
	if err != nil {
		return err
	}
	defer ix.Close()
	req := index.Request{Query: *q, Limit: 10, Facets: index.AllFacets}
	ctx := context.Background()
	res, err := ix.Search(ctx, req) // warm-up: opens what the first search opens
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	var took []float64
	for t0 := time.Now(); len(took) < *runs || time.Since(t0) < *dur; {
		t := time.Now()
		if _, err := ix.Search(ctx, req); err != nil {
			pprof.StopCPUProfile()
			return err
		}
		took = append(took, ms(time.Since(t)))
	}
	pprof.StopCPUProfile()
	fmt.Fprintf(stdout, "profile of %q: %d hits, %d searches in this process, median %.2f ms, p90 %.2f ms; %s\n",
		*q, res.Total, len(took), median(took), percentile(took, 90), *out)
	return nil
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }
