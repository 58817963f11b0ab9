package crashtest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/reader"
)

// State is what an index holds, or should hold: articles by ID. Only ID,
// Title, Body and Category are compared.
type State map[string]reader.Article

// ReadIndex reads every article of the index at dir through the library,
// as any reader beside a writer would. It fails on anything a reader must
// never see: a count that disagrees with the hits, an ID twice, a hit that
// Get does not find or whose title is not the stored one.
func ReadIndex(dir string) (State, error) {
	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	return ReadOpen(context.Background(), ix)
}

// ReadOpen is ReadIndex for an open index.
func ReadOpen(ctx context.Context, ix *index.Index) (State, error) {
	n, err := ix.Count()
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	// every article, near-duplicates not folded: the generated articles
	// can be near-duplicates of each other
	res, err := ix.Search(ctx, index.Request{Limit: 1_000_000, NoSnippets: true, NoCollapse: true})
	if err != nil {
		return nil, fmt.Errorf("search all: %w", err)
	}
	if res.Total != n || uint64(len(res.Hits)) != n {
		return nil, fmt.Errorf("generation %s: Count says %d articles, a search for all says %d and returns %d hits",
			ix.Generation(), n, res.Total, len(res.Hits))
	}
	got := State{}
	var dups []string
	for _, h := range res.Hits {
		if _, dup := got[h.ID]; dup {
			dups = append(dups, h.ID)
			continue
		}
		a, err := ix.Get(ctx, h.ID)
		if err != nil {
			return nil, fmt.Errorf("get %s, a hit of the search for all: %w", h.ID, err)
		}
		if a.Title != h.Title {
			return nil, fmt.Errorf("%s: the hit's title %q is not the stored title %q", h.ID, h.Title, a.Title)
		}
		got[h.ID] = reader.Article{ID: a.ID, Title: a.Title, Body: a.Body, Category: a.Category}
	}
	if len(dups) > 0 {
		return nil, fmt.Errorf("generation %s: articles appear twice: %v", ix.Generation(), dups)
	}
	return got, nil
}

// Compare describes how got differs from want: articles missing, not
// wanted, and with other text. It returns "" when they agree.
func Compare(got, want State) string {
	var lost, extra, changed []string
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			lost = append(lost, id)
		case g.Title != w.Title || g.Body != w.Body:
			changed = append(changed, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	if len(lost)+len(extra)+len(changed) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d articles, want %d", len(got), len(want))
	list := func(what string, ids []string) {
		if len(ids) > 0 {
			sort.Strings(ids)
			if len(ids) > 5 {
				ids = append(ids[:5:5], "...")
			}
			fmt.Fprintf(&b, "; %s: %v", what, ids)
		}
	}
	list(fmt.Sprintf("%d missing", len(lost)), lost)
	list(fmt.Sprintf("%d not wanted", len(extra)), extra)
	list(fmt.Sprintf("%d with other text", len(changed)), changed)
	if len(changed) > 0 {
		id := changed[0]
		fmt.Fprintf(&b, "\n%s: got title %q body %q\nwant title %q body %q",
			id, got[id].Title, short(got[id].Body), want[id].Title, short(want[id].Body))
	}
	return b.String()
}

func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "..."
	}
	return s
}

// Between checks that got is a state an index may pass through while a
// writer takes it from before to after, committing part of its work: no ID
// outside both, every article with the text of before or of after, and,
// unless the writer rebuilds the index from nothing, every article that is
// the same in before and after still there.
func Between(got, before, after State, rebuild bool) error {
	for id, g := range got {
		b, inBefore := before[id]
		a, inAfter := after[id]
		okBefore := inBefore && b.Title == g.Title && b.Body == g.Body
		okAfter := inAfter && a.Title == g.Title && a.Body == g.Body
		if !okBefore && !okAfter {
			if !inBefore && !inAfter {
				return fmt.Errorf("%s is in the index but in neither the old nor the new corpus", id)
			}
			return fmt.Errorf("%s has title %q, neither its old nor its new text", id, g.Title)
		}
	}
	if rebuild {
		return nil
	}
	for id, a := range after {
		if b, ok := before[id]; ok && b.Title == a.Title && b.Body == a.Body {
			if _, ok := got[id]; !ok {
				return fmt.Errorf("%s was indexed and did not change, but is gone", id)
			}
		}
	}
	return nil
}
