package server

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/newsearch/newsearch/index"
)

func TestResultCacheKeepsTheMostRecent(t *testing.T) {
	c := newResultCache(2)
	a, b, d := &index.Result{Query: "a"}, &index.Result{Query: "b"}, &index.Result{Query: "d"}
	c.put("a", a)
	c.put("b", b)
	if got, ok := c.get("a"); !ok || got != a { // a is now the most recent
		t.Fatalf("get a: %v %v, want the result put", got, ok)
	}
	c.put("d", d) // evicts b, the least recently used
	if _, ok := c.get("b"); ok {
		t.Errorf("b is still cached after a third entry in a cache of 2")
	}
	for key, want := range map[string]*index.Result{"a": a, "d": d} {
		if got, ok := c.get(key); !ok || got != want {
			t.Errorf("get %s: %v %v, want the result put", key, got, ok)
		}
	}
	if n := c.len(); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}

	big := &index.Result{Hits: make([]index.Hit, maxCachedHits+1)}
	c.put("big", big)
	if _, ok := c.get("big"); ok {
		t.Errorf("a result of %d hits was cached; the bound is %d", len(big.Hits), maxCachedHits)
	}

	off := newResultCache(-1)
	off.put("a", a)
	if _, ok := off.get("a"); ok || off.len() != 0 {
		t.Errorf("a disabled cache cached")
	}
}

func TestCachedAnswerIsTheSame(t *testing.T) {
	srv, ts := start(t, sampleIndex(t), Config{})
	params := url.Values{"q": {"発表"}, "sort": {"-date"}}
	first, _ := search(t, ts, params)
	if n := srv.holder.cur.Load().results.len(); n != 1 {
		t.Fatalf("%d results cached after one search, want 1", n)
	}
	second, _ := search(t, ts, params)
	if !reflect.DeepEqual(first, second) {
		t.Errorf("the cached answer differs:\nfirst:  %+v\nsecond: %+v", first, second)
	}
	other, _ := search(t, ts, url.Values{"q": {"発表"}, "sort": {"date"}})
	if reflect.DeepEqual(first.Hits, other.Hits) {
		t.Errorf("sort=date answered with the cached sort=-date hits")
	}
}
