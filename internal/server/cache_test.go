package server

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestResultCacheKeepsTheMostRecent(t *testing.T) {
	c := newResultCache(2)
	ans := func(s string) answer { return answer{head: []byte(s)} }
	c.put("a", ans("a"))
	c.put("b", ans("b"))
	if got, ok := c.get("a"); !ok || string(got.head) != "a" { // a is now the most recent
		t.Fatalf("get a: %q %v, want the answer put", got.head, ok)
	}
	c.put("d", ans("d")) // evicts b, the least recently used
	if _, ok := c.get("b"); ok {
		t.Errorf("b is still cached after a third entry in a cache of 2")
	}
	for _, key := range []string{"a", "d"} {
		if got, ok := c.get(key); !ok || string(got.head) != key {
			t.Errorf("get %s: %q %v, want the answer put", key, got.head, ok)
		}
	}
	if n := c.len(); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}

	c.put("big", ans(strings.Repeat("x", maxCachedBytes+1)))
	if _, ok := c.get("big"); ok {
		t.Errorf("an answer of %d bytes was cached; the bound is %d", maxCachedBytes+1, maxCachedBytes)
	}

	off := newResultCache(-1)
	off.put("a", ans("a"))
	if _, ok := off.get("a"); ok || off.len() != 0 {
		t.Errorf("a disabled cache cached")
	}
}

func TestAnswerSetsTookMS(t *testing.T) {
	body := `{"query":"\"took_ms\":1","total":3,"took_ms":12.5,"hits":[]}` + "\n"
	a, ok := newAnswer([]byte(body))
	if !ok {
		t.Fatalf("no took_ms found in %s", body)
	}
	got := string(a.with(0.042))
	want := `{"query":"\"took_ms\":1","total":3,"took_ms":0.042,"hits":[]}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, ok := newAnswer([]byte(`{"error":"x"}`)); ok {
		t.Errorf("an answer without took_ms was split")
	}
}

func TestCachedAnswerIsTheSame(t *testing.T) {
	srv, ts := start(t, sampleIndex(t), Config{})
	params := url.Values{"q": {"発表"}, "sort": {"-date"}}
	var first, second map[string]any
	get(t, ts, "/api/search?"+params.Encode(), &first)
	if n := srv.holder.cur.Load().results.len(); n != 1 {
		t.Fatalf("%d answers cached after one search, want 1", n)
	}
	get(t, ts, "/api/search?"+params.Encode(), &second)
	for _, m := range []map[string]any{first, second} {
		if _, ok := m["took_ms"].(float64); !ok {
			t.Fatalf("took_ms is %v, want a number", m["took_ms"])
		}
		delete(m, "took_ms")
	}
	if !reflect.DeepEqual(first, second) {
		b1, _ := json.Marshal(first)
		b2, _ := json.Marshal(second)
		t.Errorf("the cached answer differs:\nfirst:  %s\nsecond: %s", b1, b2)
	}
	byDate, _ := search(t, ts, url.Values{"q": {"発表"}, "sort": {"date"}})
	newest, _ := search(t, ts, params)
	if len(byDate.Hits) < 2 || byDate.Hits[0].ID == newest.Hits[0].ID {
		t.Errorf("sort=date and sort=-date answer with the same first hit %s: a cached answer was reused", byDate.Hits[0].ID)
	}
}
