package difftest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
)

// The child process of the killed shape: it indexes a folder until it is
// killed.
const (
	childEnv = "NEWSEARCH_DIFFTEST_CHILD" // index dir, folder and batch size, tab-separated
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		parts := strings.Split(spec, "\t")
		batch, _ := strconv.Atoi(parts[2])
		if err := runIngest(parts[0], parts[1], ingest.Options{BatchSize: batch, CommitEvery: time.Millisecond}, false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runIngest runs newsearch index over folder into the index at dir.
func runIngest(dir, folder string, opt ingest.Options, skipMerge bool, opts ...index.Option) error {
	ix, err := index.Open(dir, opts...)
	if err != nil {
		return err
	}
	sum, err := ingest.Run(context.Background(), ix, []string{folder}, opt)
	if skipMerge {
		ix.SkipMerge()
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err == nil && sum.Failed > 0 {
		err = fmt.Errorf("%d failures, first: %v", sum.Failed, sum.Failures[0])
	}
	return err
}

// shape builds an index of the final state of h in idx, from the folder at
// dir, in some particular way.
type shape struct {
	name  string
	build func(t *testing.T, h *history, dir, idx string)
}

func oneRun(batch int, skipMerge bool, opts ...index.Option) func(*testing.T, *history, string, string) {
	return func(t *testing.T, h *history, dir, idx string) {
		write(t, dir, h.final())
		if err := runIngest(idx, dir, ingest.Options{BatchSize: batch}, skipMerge, opts...); err != nil {
			t.Fatal(err)
		}
	}
}

var shapes = []shape{
	{"batch1", oneRun(1, false)},
	{"batch7", oneRun(7, false)},
	{"batch7-nomerge", oneRun(7, true)},
	{"batch250-nomerge", oneRun(250, true)},
	{"batch1000", oneRun(1000, false)},
	{"shards1-batch7", oneRun(7, false, index.WithShards(1))},
	{"shards8-batch3-nomerge", oneRun(3, true, index.WithShards(8))},
	{"runs", func(t *testing.T, h *history, dir, idx string) {
		// a half-filled folder, then the first state, then the final one:
		// articles added, changed and removed between runs
		for i, st := range [][]file{subset(h.states[0], 0.5), h.states[0], h.final()} {
			write(t, dir, st)
			if err := runIngest(idx, dir, ingest.Options{BatchSize: []int{7, 250, 3}[i]}, i == 1); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{"killed", func(t *testing.T, h *history, dir, idx string) {
		write(t, dir, h.states[0])
		if err := runIngest(idx, dir, ingest.Options{BatchSize: 50}, false); err != nil {
			t.Fatal(err)
		}
		write(t, dir, h.final())
		killDuringIngest(t, idx, dir, 2)
		if err := runIngest(idx, dir, ingest.Options{BatchSize: 7}, false); err != nil {
			t.Fatal(err)
		}
	}},
}

// killDuringIngest starts a child that indexes folder into idx, committing
// after every batch, and kills it with SIGKILL once it has published a
// generation.
func killDuringIngest(t *testing.T, idx, folder string, batch int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+idx+"\t"+folder+"\t"+strconv.Itoa(batch))
	cmd.Stderr = os.Stderr
	before, _ := os.ReadFile(filepath.Join(idx, "CURRENT"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		now, _ := os.ReadFile(filepath.Join(idx, "CURRENT"))
		if len(now) > 0 && string(now) != string(before) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !st.Signaled() {
		t.Logf("the child ended before it was killed (%v): the resumed run has less to do", err)
	}
}

// TestAnswersMatchBruteForce is the differential test: every shape, the
// same random queries, every answer compared with brute force.
func TestAnswersMatchBruteForce(t *testing.T) {
	n, queries := 360, 150
	if testing.Short() {
		n, queries = 150, 40
	}
	h := newHistory(7, n)
	checkGenerator(t, h)
	var m *model
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			dir, idx := filepath.Join(t.TempDir(), "articles"), filepath.Join(t.TempDir(), "index")
			s.build(t, h, dir, idx)
			// facets and dates are counted from doc values or from
			// columns built from the inverted index (index/facetcols.go):
			// both ways are checked
			for _, mode := range []string{"never", "always"} {
				t.Setenv("NEWSEARCH_COLUMNS", mode)
				ix, err := index.Open(idx, index.ReadOnly())
				if err != nil {
					t.Fatal(err)
				}
				if m == nil {
					m = newModel(t, ix, dir, h.final())
				}
				ctx := context.Background()
				checkStats(ctx, t, ix, m)
				checkGet(ctx, t, ix, m, goneIDs(h, m), newGen(3), 40)
				qg, pick := newQueryGen(11, m), newGen(5)
				answered := 0
				for range queries {
					q := qg.next()
					if check(ctx, t, ix, m, q, m.truth(q.match), pick) > 0 {
						answered++
					}
					if t.Failed() {
						ix.Close()
						return // one failure explains the rest
					}
				}
				ix.Close()
				// a generator whose queries find nothing would test nothing
				if answered < queries/2 {
					t.Fatalf("only %d of %d queries have hits", answered, queries)
				}
				t.Logf("columns %s: %d queries, %d with hits, over %d articles", mode, queries, answered, len(m.docs))
			}
		})
	}
}

// goneIDs are the articles of the first state that the final one lacks.
func goneIDs(h *history, m *model) []string {
	var out []string
	for _, f := range h.states[0] {
		for _, a := range f.articles {
			if m.byID[a.ID] == nil {
				out = append(out, a.ID)
			}
		}
	}
	return out
}

// checkGenerator checks what the brute force relies on: no planted word is
// part of another or of the filler, and the facets have many values.
func checkGenerator(t *testing.T, h *history) {
	t.Helper()
	var fixed []string
	fixed = append(fixed, filler...)
	fixed = append(fixed, planting...)
	fixed = append(fixed, surnames...)
	fixed = append(fixed, givenNames...)
	fixed = append(fixed, companies...)
	fixed = append(fixed, places...)
	for _, w := range vocab {
		for _, s := range append(fixed, vocab...) {
			if s != w && strings.Contains(strings.ToLower(s), strings.ToLower(w)) {
				t.Fatalf("planted word %q is part of %q", w, s)
			}
		}
	}
	tags := map[string]bool{}
	for _, f := range h.final() {
		for _, a := range f.articles {
			for _, tag := range a.Tags {
				tags[tag] = true
			}
		}
	}
	if len(tags) < 100 {
		t.Fatalf("only %d distinct tags: facets need more values than their size", len(tags))
	}
}
