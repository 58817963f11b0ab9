package difftest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
)

// sharedCorpus is the livedoor corpus beside the repository, if present.
const sharedCorpus = "../../../shared/corpus/ldcc"

// TestSharedCorpus builds the livedoor corpus in two shapes (one run in
// batches of 250, merged; two runs in batches of 50, not merged) and checks
// filters, dates, facets, clicks, order, pages, stats and Get against brute
// force over the articles. The hit set of a text query cannot be computed
// by a substring test on real text, so it is compared between the shapes,
// and everything else the engine says about it against brute force over
// that set.
func TestSharedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds the corpus twice")
	}
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Skip("no shared corpus at", sharedCorpus)
	}
	root, err := filepath.Abs(sharedCorpus)
	if err != nil {
		t.Fatal(err)
	}
	state := corpusState(t, root)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if err := runIngest(a, root, ingest.Options{BatchSize: 250}, false); err != nil {
		t.Fatal(err)
	}
	// shape b: a copy of the corpus, indexed half-filled, then whole
	copied := filepath.Join(t.TempDir(), "ldcc")
	for _, st := range [][]file{subset(state, 0.5), state} {
		write(t, copied, st)
		if err := runIngest(b, copied, ingest.Options{BatchSize: 50}, true); err != nil {
			t.Fatal(err)
		}
	}
	// A counts facets from doc values, B from columns (index/facetcols.go)
	t.Setenv("NEWSEARCH_COLUMNS", "never")
	ixA, err := index.Open(a, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ixA.Close()
	t.Setenv("NEWSEARCH_COLUMNS", "always")
	ixB, err := index.Open(b, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ixB.Close()
	m := newModel(t, ixA, root, state)
	ctx := context.Background()

	words := titleWords(ixA.Analyzer(), m, 200)
	qg, pick := newQueryGen(13, m), newGen(17)
	qg.noWords = true
	for i := range 200 {
		q := qg.next()
		if i%2 == 0 {
			// a word of some title, alone or with the random clauses
			w := words[i/2%len(words)]
			if q.text == "" {
				q.text = w
			} else {
				q.text = w + " " + q.text
			}
			q.req.Query = q.text
			req := q.req
			req.Limit, req.NoSnippets, req.Facets = len(m.docs)+1, true, nil
			res, err := ixA.Search(ctx, req)
			if err != nil {
				t.Fatalf("%q: %v", q.text, err)
			}
			var want []*doc
			for _, h := range res.Hits {
				want = append(want, m.byID[h.ID])
			}
			sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
			check(ctx, t, ixA, m, q, want, pick)
			check(ctx, t, ixB, m, q, want, pick)
		} else {
			want := m.truth(q.match)
			check(ctx, t, ixA, m, q, want, pick)
			check(ctx, t, ixB, m, q, want, pick)
		}
		if t.Failed() {
			return
		}
	}
	for _, ix := range []*index.Index{ixA, ixB} {
		checkStats(ctx, t, ix, m)
		checkGet(ctx, t, ix, m, nil, pick, 100)
	}
}

// corpusState lists the livedoor files as a state whose content() is the
// file as it is, so that newModel reads them as newsearch does.
func corpusState(t *testing.T, root string) []file {
	t.Helper()
	var out []file
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		base := strings.ToUpper(strings.TrimSuffix(d.Name(), ".txt"))
		if base == "LICENSE" || base == "README" || base == "CHANGES" {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, file{rel: filepath.ToSlash(rel), raw: path})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// titleWords returns up to n distinct content words of article titles, as
// a user might type them.
func titleWords(an *analyzer.Analyzer, m *model, n int) []string {
	seen := map[string]bool{}
	var out []string
	g := newGen(23)
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		d := m.docs[g.r.IntN(len(m.docs))]
		toks := an.Words(d.Title)
		if len(toks) == 0 {
			continue
		}
		tok := toks[g.r.IntN(len(toks))]
		w := d.Title[tok.Start:tok.End]
		if len([]rune(w)) < 2 || seen[w] || !strings.HasPrefix(tok.POS, "名詞") || strings.ContainsAny(w, `"():-`) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}
