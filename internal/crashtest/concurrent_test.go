package crashtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// TestQueriesWhileIndexing queries an index from other processes (the
// CLI) and in process (the library) while a writer changes it: first
// newsearch index --rebuild, which commits at its end, then a writer that
// commits after every batch. Every query must answer from a committed
// generation: no error, no article twice, no article that is in neither
// the old nor the new corpus or has neither's text, a total that agrees
// with the hits.
func TestQueriesWhileIndexing(t *testing.T) {
	t.Parallel()
	bin := newsearchBin(t)
	rng := newRand(seed(t))
	tmp := t.TempDir()
	corpusDir, idx := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "index")
	c, err := NewCorpus(corpusDir, rng.Uint64(), corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	indexOK(t, "--index", idx, corpusDir)
	before := wantState(t, corpusDir)

	for _, writer := range []string{"newsearch index --rebuild", "committing writer"} {
		if err := c.Mutate(60, 20, 20); err != nil {
			t.Fatal(err)
		}
		after := wantState(t, corpusDir)
		rebuild := writer == "newsearch index --rebuild"
		var p *process
		if rebuild {
			p = startCLI(t, "index", "--index", idx, "--rebuild", "--batch-size", "2", corpusDir)
		} else {
			p = startHelper(t, idx, 3, corpusDir)
		}

		var (
			wg       sync.WaitGroup
			failed   = make(chan error, 16)
			cliN     atomic.Int64
			libN     atomic.Int64
			held     *index.Index
			heldGen  string
			heldSeen State
		)
		fail := func(err error) {
			select {
			case failed <- err:
			default:
			}
		}
		held, err = index.Open(idx, index.ReadOnly()) // keeps its generation all along
		if err != nil {
			t.Fatal(err)
		}
		heldGen = held.Generation()
		if heldSeen, err = ReadOpen(t.Context(), held); err != nil {
			t.Fatal(err)
		}
		// readers through the CLI
		markers := sampleMarkers(before, 20)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !p.exited(); i++ {
				var err error
				switch i % 3 {
				case 0:
					err = cliQueryAll(bin, idx, before, after, rebuild)
				case 1:
					m := markers[i%len(markers)]
					err = cliQueryMarker(bin, idx, m.marker, m.id)
				case 2:
					err = cliStats(bin, idx, before, after, rebuild)
				}
				if err != nil {
					fail(err)
					return
				}
				cliN.Add(1)
			}
		}()
		// readers in process
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !p.exited() {
					got, err := ReadIndex(idx)
					if err == nil {
						err = Between(got, before, after, rebuild)
					}
					if err != nil {
						fail(fmt.Errorf("library reader: %w", err))
						return
					}
					libN.Add(1)
				}
			}()
		}
		res := p.wait(t, 2*time.Minute)
		wg.Wait()
		close(failed)
		for err := range failed {
			t.Errorf("%s: %v", writer, err)
		}
		noPanic(t, writer, res)
		if res.code != 0 {
			t.Fatalf("%s: %v", writer, res)
		}
		// the reader that stayed open still reads its generation whole
		got, err := ReadOpen(t.Context(), held)
		if err != nil {
			t.Errorf("%s: the reader opened before it on %s: %v", writer, heldGen, err)
		} else if msg := Compare(got, heldSeen); msg != "" {
			t.Errorf("%s: the reader opened before it on %s now reads other articles: %s", writer, heldGen, msg)
		}
		held.Close()
		if t.Failed() {
			t.FailNow()
		}
		mustMatch(t, idx, after, rng, writer)
		t.Logf("%s: %d CLI queries and %d complete reads through the library while it ran, all answered from committed generations", writer, cliN.Load(), libN.Load())
		before = after
	}
}

type markedArticle struct{ id, marker string }

// sampleMarkers returns the marker words of n articles of s.
func sampleMarkers(s State, n int) []markedArticle {
	ids := make([]string, 0, len(s))
	for id := range s {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []markedArticle
	for i := 0; i < len(ids) && len(out) < n; i += max(1, len(ids)/n) {
		if m := markerRE.FindString(s[ids[i]].Body); m != "" {
			out = append(out, markedArticle{ids[i], m})
		}
	}
	return out
}

type queryJSON struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"hits"`
}

// cliQueryAll asks newsearch query for every article and checks the answer
// against the two states the index may be in, and anything between.
func cliQueryAll(bin, idx string, before, after State, rebuild bool) error {
	r, err := runBin(bin, time.Minute, "query", "--index", idx, "--json", "--limit", "1000000", "--facet", "none", "")
	if err := cliOK("query all", r, err); err != nil {
		return err
	}
	var res queryJSON
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		return fmt.Errorf("query all: %v in %q", err, r.stdout)
	}
	if res.Total != uint64(len(res.Hits)) {
		return fmt.Errorf("query all: total %d, but %d hits", res.Total, len(res.Hits))
	}
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if seen[h.ID] {
			return fmt.Errorf("query all: %s appears twice", h.ID)
		}
		seen[h.ID] = true
		b, inBefore := before[h.ID]
		a, inAfter := after[h.ID]
		if !(inBefore && b.Title == h.Title) && !(inAfter && a.Title == h.Title) {
			return fmt.Errorf("query all: hit %s with title %q is in neither corpus", h.ID, h.Title)
		}
	}
	if !rebuild {
		return nil
	}
	// newsearch index commits once, at its end
	if len(res.Hits) != len(before) && len(res.Hits) != len(after) {
		return fmt.Errorf("query all: %d hits, want %d (before the run) or %d (after)", len(res.Hits), len(before), len(after))
	}
	return nil
}

// cliQueryMarker searches for the marker word of article id: the answer is
// that article, or nothing once a writer has changed or removed it.
func cliQueryMarker(bin, idx, marker, id string) error {
	r, err := runBin(bin, time.Minute, "query", "--index", idx, "--json", marker)
	if err := cliOK("query "+marker, r, err); err != nil {
		return err
	}
	var res queryJSON
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		return fmt.Errorf("query %s: %v in %q", marker, err, r.stdout)
	}
	if len(res.Hits) > 1 || (len(res.Hits) == 1 && res.Hits[0].ID != id) || res.Total != uint64(len(res.Hits)) {
		return fmt.Errorf("query %s: total %d, hits %+v; want %s alone, or nothing", marker, res.Total, res.Hits, id)
	}
	return nil
}

func cliStats(bin, idx string, before, after State, rebuild bool) error {
	r, err := runBin(bin, time.Minute, "stats", "--index", idx, "--json")
	if err := cliOK("stats", r, err); err != nil {
		return err
	}
	var st struct{ Articles int }
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		return fmt.Errorf("stats: %v in %q", err, r.stdout)
	}
	if rebuild && st.Articles != len(before) && st.Articles != len(after) {
		return fmt.Errorf("stats: %d articles, want %d (before the run) or %d (after)", st.Articles, len(before), len(after))
	}
	return nil
}

func cliOK(what string, r result, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %v", what, err)
	}
	for _, s := range []string{"panic:", "goroutine ", "fatal error:"} {
		if strings.Contains(r.stderr, s) {
			return fmt.Errorf("%s crashed: %v", what, r)
		}
	}
	if r.code != 0 {
		return fmt.Errorf("%s beside a writer: %v", what, r)
	}
	return nil
}

// TestSecondWriter starts newsearch index twice on one index: the second
// must fail at once (not wait for the first) with an error that names the
// lock, and a hint; the library's Open must return ErrLocked. The bound on
// the time is generous: it tells a refusal from a wait.
func TestSecondWriter(t *testing.T) {
	t.Parallel()
	rng := newRand(seed(t))
	tmp := t.TempDir()
	corpusDir, idx := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "index")
	if _, err := NewCorpus(corpusDir, rng.Uint64(), corpusFiles); err != nil {
		t.Fatal(err)
	}
	first := startCLI(t, "index", "--index", idx, "--batch-size", "1", "--workers", "1", corpusDir)
	waitLocked(t, first, idx)

	second := cli(t, "index", "--index", idx, corpusDir)
	noPanic(t, "second writer", second)
	if first.exited() {
		t.Fatalf("the first writer ended before the second was refused; make its run longer")
	}
	if second.code != 1 || !strings.Contains(second.stderr, "newsearch: error: ") || !strings.Contains(second.stderr, "locked") ||
		!strings.Contains(second.stderr, "LOCK") || !strings.Contains(second.stderr, "hint: ") {
		t.Errorf("second writer: want status 1, an error naming the lock and a hint: %v", second)
	}
	if second.elapsed > 3*time.Second {
		t.Errorf("second writer: refused after %v, want at once", second.elapsed)
	}
	t.Logf("second writer refused after %v: %s", second.elapsed.Round(time.Millisecond), strings.TrimSpace(second.stderr))

	start := time.Now()
	ix, err := index.Open(idx)
	if err == nil {
		ix.Close()
		t.Fatal("index.Open for writing succeeded beside a writer")
	}
	if !errors.Is(err, index.ErrLocked) || time.Since(start) > 3*time.Second {
		t.Errorf("index.Open beside a writer: got %v after %v, want ErrLocked at once", err, time.Since(start))
	}

	_ = first.cmd.Process.Signal(syscall.SIGINT) // no need to wait for its end
	if r := first.wait(t, time.Minute); r.code != 1 || !strings.Contains(r.stderr, "interrupted") {
		t.Fatalf("first writer, interrupted: %v", r)
	}
	indexOK(t, "--index", idx, corpusDir) // the lock is free again
	mustMatch(t, idx, wantState(t, corpusDir), rng, "after both writers")
}
