package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClosedIndex calls every method of a closed Index, for reading and
// for writing: each returns ErrClosed (no nil dereference), and closing
// again is harmless.
func TestClosedIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, testArticles...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for name, ix := range map[string]*Index{"writer": w, "reader": r} {
		calls := map[string]func() error{
			"Search":       func() error { _, err := ix.Search(ctx, Request{Query: "京都"}); return err },
			"Get":          func() error { _, err := ix.Get(ctx, "a/kyoto"); return err },
			"Count":        func() error { _, err := ix.Count(); return err },
			"Stats":        func() error { _, err := ix.Stats(ctx); return err },
			"Fingerprints": func() error { _, err := ix.Fingerprints(ctx, []string{"a/kyoto"}); return err },
			"IDsFrom":      func() error { _, err := ix.IDsFrom(ctx, "o", "f"); return err },
		}
		if name == "writer" {
			calls["Add"] = func() error { return ix.Add(ctx, testArticles[0]) }
			calls["Delete"] = func() error { return ix.Delete(ctx, "a/kyoto") }
			calls["Commit"] = ix.Commit
			calls["Sources"] = func() error { _, err := ix.Sources("o"); return err }
			calls["SetSource"] = func() error { return ix.SetSource(Source{Origin: "o", File: "f"}) }
		}
		for call, f := range calls {
			if err := f(); !errors.Is(err, ErrClosed) {
				t.Errorf("%s.%s after Close: %v, want ErrClosed", name, call, err)
			}
		}
		if err := ix.Close(); err != nil {
			t.Errorf("%s: second Close: %v", name, err)
		}
	}
}

// TestPanicInSearch makes a search panic on one shard: Search returns an
// InternalError with the stack, the next search answers, and Close does
// not hang.
func TestPanicInSearch(t *testing.T) {
	ix := openTest(t)
	testHookShard = func(i int) {
		if i == ix.Shards()-1 {
			panic("injected")
		}
	}
	_, err := ix.Search(context.Background(), Request{Query: "京都"})
	testHookShard = nil
	var ie *InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "injected") || len(ie.Stack) == 0 {
		t.Fatalf("Search with a panicking shard: %v, want an InternalError with its stack", err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "京都"})
	if err != nil || res.Total != 1 {
		t.Fatalf("the search after: %v, %v", res, err)
	}
	done := make(chan error, 1)
	go func() { done <- ix.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close hangs after a panicking search")
	}
}

// TestSegmentCutUnderReader cuts every segment of a generation a reader
// has open (a segment is memory-mapped: reading past its new end is a
// fault, SIGBUS) and searches: the search fails with an error that says
// the index changed, the process lives on.
func TestSegmentCutUnderReader(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var many []Article
	for i := range 200 {
		a := testArticles[i%len(testArticles)]
		a.ID = fmt.Sprintf("%s/%d", a.ID, i)
		many = append(many, a)
	}
	if err := w.Add(context.Background(), many...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	zaps, _ := filepath.Glob(filepath.Join(dir, r.Generation(), "shard-*", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segments")
	}
	for _, z := range zaps {
		if err := os.Truncate(z, 0); err != nil {
			t.Fatal(err)
		}
	}
	_, err = r.Search(context.Background(), Request{Query: "京都 OR 東京都 OR サーバー", Facets: AllFacets})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("search over cut segments: %v, want ErrCorrupt", err)
	}
	problems, err := r.Verify()
	if err != nil || len(problems) != len(zaps) {
		t.Errorf("Verify: %v %v, want the %d segments", problems, err, len(zaps))
	}
}

// TestMergeDoneKey checks that bleve still reports a forced merge's outcome
// under the context key this package uses (scorch's unexported
// mergeDoneKey): if bleve renames it, a failed merge would be retried for
// ever and only the writer's failure would end the wait. It reads bleve's
// source, as the module cache holds it.
func TestMergeDoneKey(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/blevesearch/bleve/v2").Output()
	if err != nil {
		t.Skip("go list: ", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "index", "scorch", "merge.go"))
	if err != nil {
		t.Skip("bleve's source is not at hand: ", err)
	}
	if !strings.Contains(string(src), fmt.Sprintf("mergeDoneKey = %q", bleveMergeDoneKey)) ||
		!strings.Contains(string(src), "ctrlMsg.ctx.Value(mergeDoneKey).(chan error)") {
		t.Fatalf("bleve no longer reports forced merges under the key %q with a chan error: update bleveMergeDoneKey and forceMerge", bleveMergeDoneKey)
	}
}

// TestRebuildBesideTheLiveIndex: while a rebuild writes, commits and is
// suspended, readers see the old index; a rebuild opened again with the
// same settings goes on from its checkpoint; Close publishes it.
func TestRebuildBesideTheLiveIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, testArticles...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	count := func() uint64 {
		t.Helper()
		r, err := Open(dir, ReadOnly())
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		n, err := r.Count()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	old := uint64(len(testArticles))
	rb, err := Open(dir, Rebuild())
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.Add(ctx, testArticles[0]); err != nil {
		t.Fatal(err)
	}
	if err := rb.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != old {
		t.Fatalf("after a rebuild's commit readers see %d articles, want the old %d", n, old)
	}
	if err := rb.Add(ctx, testArticles[1]); err != nil {
		t.Fatal(err)
	}
	if err := rb.Suspend(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != old {
		t.Fatalf("after a suspended rebuild readers see %d articles, want the old %d", n, old)
	}
	rb, err = Open(dir, Rebuild())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := rb.Count(); err != nil || n != 2 {
		t.Fatalf("the resumed rebuild holds %d articles (%v), want the 2 written before", n, err)
	}
	if err := rb.Add(ctx, testArticles[2]); err != nil {
		t.Fatal(err)
	}
	if err := rb.Close(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Fatalf("after the rebuild: %d articles, want 3", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "REBUILD")); !os.IsNotExist(err) {
		t.Errorf("REBUILD is still there after the rebuild was published (%v)", err)
	}
}

// TestDatesOutsideTheSearchableYears: an article dated outside the years
// bleve holds keeps its date (Get, hits) with a note, and no date filter
// finds it.
func TestDatesOutsideTheSearchableYears(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, when := range []time.Time{time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, jst)} {
		a := testArticles[2]
		a.ID, a.Published = when.Format("2006"), when
		d, err := ix.Prepare(a)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Note(), "outside the years") {
			t.Errorf("%v: note %q", when, d.Note())
		}
		if err := ix.Apply(context.Background(), []*Doc{d}, nil); err != nil {
			t.Fatal(err)
		}
		got, err := ix.Get(context.Background(), a.ID)
		if err != nil || !got.Published.Equal(when) {
			t.Errorf("%v: Get says published %v (%v)", when, got.Published, err)
		}
	}
	res, err := ix.Search(context.Background(), Request{Query: "京都 since:1678"})
	if err != nil || res.Total != 0 {
		t.Errorf("a date filter finds %v (%v), want none", res, err)
	}
	res, err = ix.Search(context.Background(), Request{Query: "京都", Sort: ByDate})
	if err != nil || res.Total != 2 {
		t.Fatalf("京都: %v (%v)", res, err)
	}
}
