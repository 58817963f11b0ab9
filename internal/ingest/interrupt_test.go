package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/crashtest"
	"github.com/newsearch/newsearch/internal/ingest"
)

// newCorpus writes n generated articles into a temporary folder and returns
// it with what the index must hold after a complete run.
func newCorpus(t *testing.T, n int) (*crashtest.Corpus, crashtest.State) {
	t.Helper()
	c, err := crashtest.NewCorpus(filepath.Join(t.TempDir(), "corpus"), 7, n)
	if err != nil {
		t.Fatal(err)
	}
	return c, want(t, c)
}

func want(t *testing.T, c *crashtest.Corpus) crashtest.State {
	t.Helper()
	w, failed, err := crashtest.Want(c.Dir)
	if err != nil || len(failed) > 0 {
		t.Fatalf("corpus: %v, failed %v", err, failed)
	}
	return w
}

// run opens the index at dir for writing, runs ingest over roots and
// closes it.
func run(t *testing.T, ctx context.Context, dir string, opt ingest.Options, roots ...string) *ingest.Summary {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ingest.Run(ctx, ix, roots, opt)
	if cerr := ix.Close(); cerr != nil {
		t.Fatalf("close: %v", cerr)
	}
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

func mustHold(t *testing.T, dir string, want crashtest.State, what string) {
	t.Helper()
	got, err := crashtest.ReadIndex(dir)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if msg := crashtest.Compare(got, want); msg != "" {
		t.Fatalf("%s: %s", what, msg)
	}
}

// TestRunCancelled checks Ctrl-C at every stage of a run: before it starts
// (while the index is opened), after some files, and after all of them. Run
// must report Interrupted (unless all was done) without an error, keep what
// it wrote, and the next run must complete the index.
func TestRunCancelled(t *testing.T) {
	c, full := newCorpus(t, 60)
	for _, after := range []int{0, 1, 25, 60} {
		t.Run("after"+strconv.Itoa(after), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			run(t, context.Background(), dir, ingest.Options{}, c.Dir) // an index to update
			if err := c.Mutate(20, 5, 5); err != nil {
				t.Fatal(err)
			}
			before, next := full, want(t, c)
			defer func() { full = next }()

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if after == 0 {
				cancel()
			}
			opt := ingest.Options{BatchSize: 3, Workers: 2, Progress: func(p ingest.Progress) {
				if p.FilesDone >= after {
					cancel()
				}
			}}
			sum := run(t, ctx, dir, opt, c.Dir)
			// after the last file there is nothing left to stop: the run
			// says so rather than report an interruption
			if wantStopped := after < 60; sum.Interrupted != wantStopped {
				t.Errorf("summary: Interrupted is %v after a cancel when %d files of 60 were done", sum.Interrupted, after)
			}
			got, err := crashtest.ReadIndex(dir)
			if err != nil {
				t.Fatalf("after the interrupted run: %v", err)
			}
			if err := crashtest.Between(got, before, next, false); err != nil {
				t.Fatalf("after the interrupted run: %v", err)
			}
			sum = run(t, context.Background(), dir, ingest.Options{}, c.Dir)
			if sum.Interrupted || sum.Failed > 0 {
				t.Errorf("the next run: interrupted %v, %d failed: %v", sum.Interrupted, sum.Failed, sum.Failures)
			}
			mustHold(t, dir, next, "after the next run")
		})
	}
}

// TestRunWhileSearching runs readers beside a writer that commits after
// every batch (run it with -race): every search answers from a committed
// generation, with no article twice and every hit readable, and readers
// that keep an old generation open go on reading it.
func TestRunWhileSearching(t *testing.T) {
	c, first := newCorpus(t, 80)
	dir := filepath.Join(t.TempDir(), "index")
	run(t, context.Background(), dir, ingest.Options{}, c.Dir)
	if err := c.Mutate(40, 20, 10); err != nil {
		t.Fatal(err)
	}
	next := want(t, c)

	held, err := index.Open(dir, index.ReadOnly()) // stays on the first generation
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	var (
		done     atomic.Bool
		wg       sync.WaitGroup
		reads    atomic.Int64
		failures = make(chan error, 10)
	)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				got, err := crashtest.ReadIndex(dir)
				if err == nil {
					err = crashtest.Between(got, first, next, false)
				}
				if err != nil {
					failures <- err
					return
				}
				reads.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !done.Load() {
			got, err := crashtest.ReadOpen(context.Background(), held)
			if err == nil {
				err = crashtest.Between(got, first, first, false)
			}
			if err != nil {
				failures <- err
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()

	sum := run(t, context.Background(), dir, ingest.Options{BatchSize: 4, Workers: 2, CommitEvery: time.Nanosecond}, c.Dir)
	done.Store(true)
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	if sum.Failed > 0 {
		t.Errorf("%d failed: %v", sum.Failed, sum.Failures)
	}
	if !held.Stale() {
		t.Errorf("a reader of the first generation is not Stale after the writer committed")
	}
	mustHold(t, dir, next, "after the run")
	t.Logf("%d complete reads of the index during the run", reads.Load())
}

// TestSecondWriter checks that a second writer fails at once with ErrLocked
// while the first writes, and can write once the first has closed.
func TestSecondWriter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	first, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := index.Open(dir)
	if err == nil {
		second.Close()
		first.Close()
		t.Fatal("a second writer opened the index while the first held it")
	}
	if !errors.Is(err, index.ErrLocked) {
		t.Errorf("second writer: got %v, want ErrLocked", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err = index.Open(dir)
	if err != nil {
		t.Fatalf("after the first writer closed: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
}
