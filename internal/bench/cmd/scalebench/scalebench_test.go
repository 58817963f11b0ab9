package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestPercentile(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, c := range []struct{ p, want float64 }{{50, 5}, {90, 9}, {99, 10}, {100, 10}, {10, 1}, {1, 1}} {
		if got := percentile(xs, c.p); got != c.want {
			t.Errorf("percentile(1..10, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median(1..4) = %v, want 2.5", got)
	}
	if !slices.Equal(xs, []float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}) {
		t.Errorf("percentile sorted its argument: %v", xs)
	}
}

func TestGroongaArgs(t *testing.T) {
	if got, want := groongaPhrase(`a "b" c\d`), `"a \"b\" c\\d"`; got != want {
		t.Errorf("groongaPhrase = %s, want %s", got, want)
	}
	page := groongaArgs("日本", true)
	if page.Get("limit") != "10" || page.Get("drilldown") != "category,source,tags" || page.Get("cache") != "no" || page.Get("query") != `"日本"` {
		t.Errorf("page args = %v", page)
	}
	all := groongaArgs("日本", false)
	if all.Get("limit") != "-1" || all.Get("output_columns") != "_key" || all.Has("drilldown") {
		t.Errorf("all args = %v", all)
	}
}

func TestParseGroonga(t *testing.T) {
	var a answer
	ok := `[[0,1.5,0.0123],[[[2],[["_key","ShortText"],["title","ShortText"]],["g1-1","t"],["g1-2","u"]],[[1],[["_key","ShortText"],["_nsubrecs","Int32"]],["it",2]]]]`
	if err := parseGroonga([]byte(ok), &a); err != nil {
		t.Fatal(err)
	}
	if a.Total != 2 || !slices.Equal(a.IDs, []string{"g1-1", "g1-2"}) || a.ServerMS != 12.3 || a.Err != "" {
		t.Errorf("parseGroonga = %+v", a)
	}
	a = answer{}
	bad := `[[-22,1.5,0.0004,"[select][table] invalid name: <Nope>",[["execute","proc_select.cpp",4983]]]]`
	if err := parseGroonga([]byte(bad), &a); err != nil {
		t.Fatal(err)
	}
	if a.Err != "[select][table] invalid name: <Nope>" {
		t.Errorf("error answer: Err = %q", a.Err)
	}
	if err := parseGroonga([]byte(`{"total":1}`), &a); err == nil {
		t.Error("parseGroonga accepted newsearch JSON")
	}
}

func TestCompareNeedles(t *testing.T) {
	s := compare([]string{"a", "b", "c"}, []string{"b", "c", "d", "c"})
	if s.listed != 3 || s.found != 3 || s.hit != 2 || !slices.Equal(s.missing, []string{"a"}) || !slices.Equal(s.extra, []string{"d"}) {
		t.Errorf("compare = %+v", s)
	}
	if ratio(0, 0) != 1 || ratio(0, 3) != 0 || ratio(1, 4) != 0.25 {
		t.Error("ratio")
	}
}

func TestReadManifestsMerges(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.needles.json"), filepath.Join(dir, "b.needles.json")
	os.WriteFile(a, []byte(`{"Foo1": ["g1-3", "g1-1"], "バー": []}`), 0o644)
	os.WriteFile(b, []byte(`{"Foo1": ["g1-9", "g1-1"], "バー": ["g1-5"]}`), 0o644)
	m, err := readManifests([]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m["Foo1"], []string{"g1-1", "g1-3", "g1-9"}) || !slices.Equal(m["バー"], []string{"g1-5"}) {
		t.Errorf("merged = %v", m)
	}
	os.WriteFile(b, []byte(`["not", "a", "manifest"]`), 0o644)
	if _, err := readManifests([]string{b}); err == nil || !strings.Contains(err.Error(), b) {
		t.Errorf("a bad manifest: err = %v, want one naming the file", err)
	}
}

func TestReadNewsearchJSONChecksOrder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.jsonl")
	os.WriteFile(p, []byte(`{"query":"\"A\"","total":1,"hits":[{"id":"x"}]}`+"\n"+`{"query":"\"B\"","total":0,"hits":[]}`+"\n"), 0o644)
	got, err := readNewsearchJSON(p, []string{`"A"`, `"B"`})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[`"A"`], []string{"x"}) || len(got[`"B"`]) != 0 {
		t.Errorf("got %v", got)
	}
	if _, err := readNewsearchJSON(p, []string{`"B"`, `"A"`}); err == nil {
		t.Error("answers out of order were accepted")
	}
	if _, err := readNewsearchJSON(p, []string{`"A"`, `"B"`, `"C"`}); err == nil {
		t.Error("a missing answer was accepted")
	}
}

const wrkOut = `Running 3s test @ http://127.0.0.1:40395
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    25.46ms   16.77ms 122.84ms   83.52%
    Req/Sec   337.35    137.14   640.00     71.67%
  Latency Distribution
     50%  921.16us
     75%   31.00ms
     90%   47.49ms
     99%    1.20s
  2020 requests in 3.01s, 9.04MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    670.52
Transfer/sec:      3.00MB
`

func TestParseWrk(t *testing.T) {
	f, err := parseWrk(wrkOut, "newsearch")
	if err != nil {
		t.Fatal(err)
	}
	want := figures{
		"newsearch.wrk.rps": "670.52", "newsearch.wrk.p50": "0.921", "newsearch.wrk.p75": "31.000",
		"newsearch.wrk.p90": "47.490", "newsearch.wrk.p99": "1200.000", "newsearch.wrk.requests": "2020",
		"newsearch.wrk.non2xx": "7",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	if _, err := parseWrk("Requests/sec: 1\n", "x"); err == nil {
		t.Error("wrk output without --latency was accepted")
	}
}

// fakeServers answer like newsearch serve and a Groonga HTTP server, and
// log the order of the requests.
func fakeServers(t *testing.T) (ns, gr *httptest.Server, log func() []string) {
	var mu sync.Mutex
	var order []string
	rec := func(who string) {
		mu.Lock()
		order = append(order, who)
		mu.Unlock()
	}
	ns = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec("ns:" + r.URL.Query().Get("q"))
		if r.URL.Query().Get("q") == "bad" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"code":"syntax","message":"query syntax"}}`)
			return
		}
		fmt.Fprintf(w, `{"query":%q,"total":3,"took_ms":1.5,"hits":[{"id":"a"}]}`, r.URL.Query().Get("q"))
	}))
	gr = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec("gr:" + strings.Trim(r.URL.Query().Get("query"), `"`))
		io.WriteString(w, `[[0,1.0,0.002],[[[1],[["_key","ShortText"]],["a"]]]]`)
	}))
	t.Cleanup(ns.Close)
	t.Cleanup(gr.Close)
	return ns, gr, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(order) }
}

func TestLatencyAlternatesAndCounts(t *testing.T) {
	ns, gr, log := fakeServers(t)
	r := latencyRun{
		engines: []engine{{Name: "newsearch", Base: ns.URL}, {Name: "groonga-mecab", Groonga: true, Base: gr.URL}},
		queries: []string{"q1", "bad"},
		passes:  2,
		warmup:  1,
	}
	ss, err := r.run(newClient(requestTimeout), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ns:q1", "gr:q1", "ns:bad", "gr:bad", // warm-up
		"ns:q1", "gr:q1", "ns:bad", "gr:bad", // pass 1
		"gr:q1", "ns:q1", "gr:bad", "ns:bad", // pass 2: the other order
	}
	if got := log(); !slices.Equal(got, want) {
		t.Errorf("request order:\n got %v\nwant %v", got, want)
	}
	if len(ss) != 8 {
		t.Fatalf("%d samples, want 8 (2 engines x 2 queries x 2 passes)", len(ss))
	}
	var b strings.Builder
	fig := figures{}
	worst := summarize(&b, r, ss, 5, fig)
	if fig["newsearch.warm.n"] != "2" || fig["newsearch.warm.failed_queries"] != "1" || fig["groonga-mecab.warm.n"] != "4" {
		t.Errorf("figures %v; summary:\n%s", fig, b.String())
	}
	if !slices.Equal(worst, []string{"q1"}) {
		t.Errorf("slowest of newsearch = %v, want [q1] (the failed query is not timed)", worst)
	}
	if !strings.Contains(b.String(), "failed: q002 bad: status 400 query syntax") {
		t.Errorf("the summary does not name the failed query:\n%s", b.String())
	}
}

func TestTableShowsMissingAsDash(t *testing.T) {
	f := figures{
		"corpus.articles":            "1000",
		"corpus.text_bytes":          "2000000",
		"newsearch.build.wall_s":     "10",
		"newsearch.build.size_bytes": "5000000",
		"groonga-mecab.build.wall_s": "4",
		"newsearch.add.visible_ms":   "not within 10s (x)",
	}
	var b strings.Builder
	writeTable(&b, f)
	out := b.String()
	for _, want := range []string{
		"| figure | newsearch | groonga-mecab |",
		"| build: wall s | 10.0 | 4.0 |",
		"| build: × Groonga MeCab wall | 2.50 | - |",
		"| build: articles/s | 100 | 250 |",
		"| index on disk / title+body | 2.50 | - |",
		"| add 1,000: in serve after ms | not within 10s (x) | - |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "warm p50") {
		t.Errorf("a row without figures is shown:\n%s", out)
	}
}
