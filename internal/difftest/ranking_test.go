package difftest

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
)

// buildShards indexes folder into a new index of n shards.
func buildShards(t *testing.T, folder string, n, batch int) *index.Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := index.Open(dir, index.WithShards(n))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(context.Background(), ix, []string{folder}, ingest.Options{BatchSize: batch}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// sameTop compares the first ten hits of a query on two indexes: the same
// articles in the same order with the same scores (to the last few bits:
// a disjunction may add its clauses in another order).
func sameTop(t *testing.T, q string, a, b *index.Index) {
	t.Helper()
	top := func(ix *index.Index) ([]string, []float64, uint64) {
		res, err := ix.Search(context.Background(), index.Request{Query: q, Limit: 10, NoSnippets: true})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var ids []string
		var scores []float64
		for _, h := range res.Hits {
			ids, scores = append(ids, h.ID), append(scores, h.Score)
		}
		return ids, scores, res.Total
	}
	ia, sa, na := top(a)
	ib, sb, nb := top(b)
	same := slices.EqualFunc(sa, sb, func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y)) })
	if !slices.Equal(ia, ib) || !same || na != nb {
		t.Errorf("%q: %d shards: %v %v (%d hits)\n%d shards: %v %v (%d hits)", q, a.Shards(), ia, sa, na, b.Shards(), ib, sb, nb)
	}
}

// TestRankingIndependentOfShards: the first ten hits of every query, and
// their scores, are the same in one shard and in eight, on generated
// articles (planted words) and, when present, the livedoor corpus with
// the public query set.
func TestRankingIndependentOfShards(t *testing.T) {
	h := newHistory(5, 200)
	folder := filepath.Join(t.TempDir(), "articles")
	write(t, folder, h.final())
	one, eight := buildShards(t, folder, 1, 50), buildShards(t, folder, 8, 7)
	for _, w := range vocab {
		sameTop(t, w, one, eight)
	}
	sameTop(t, vocab[0]+" OR "+vocab[1], one, eight)
	sameTop(t, "title:"+vocab[2], one, eight)

	if testing.Short() {
		return
	}
	queries, err := os.Open("../../../shared/eval/queries.txt")
	if err != nil {
		t.Log("no public query set beside the repository: generated articles only")
		return
	}
	defer queries.Close()
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Log("no shared corpus: generated articles only")
		return
	}
	one, eight = buildShards(t, sharedCorpus, 1, 250), buildShards(t, sharedCorpus, 8, 100)
	sc := bufio.NewScanner(queries)
	n := 0
	for sc.Scan() {
		sameTop(t, sc.Text(), one, eight)
		n++
	}
	t.Logf("%d public queries: the same top 10 in 1 shard and in 8", n)
}
