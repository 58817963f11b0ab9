package difftest

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
	"github.com/newsearch/newsearch/internal/reader"
)

var jst = time.FixedZone("JST", 9*3600)

// doc is an article as the index should hold it, with what brute force
// needs to answer queries about it.
type doc struct {
	index.Article
	month         string // JST, "" when undated
	people, orgs  []string
	titleN, bodyN string // NFKC, lower-cased
}

// model is the set of articles a folder holds.
type model struct {
	docs []*doc // by ID
	byID map[string]*doc
}

// clean is what the index does to a facet value.
func clean(s string) string { return strings.TrimSpace(norm.NFKC.String(s)) }

// newModel reads the files of a state as newsearch does (the reader, then
// the ID and category rules of the README), and finds each article's
// people and organisations with the analyzer of ix.
func newModel(t testing.TB, ix *index.Index, dir string, state []file) *model {
	t.Helper()
	m := &model{byID: map[string]*doc{}}
	for _, f := range state {
		path := filepath.Join(dir, filepath.FromSlash(f.rel))
		arts, err := reader.Parse(path, f.content())
		if err != nil {
			t.Fatalf("%s: %v", f.rel, err)
		}
		for i, a := range arts {
			// the README's rules: the article's own ID, else its path
			// (#N for one of several); its own category, else its folder's
			if a.ID == "" {
				a.ID = f.rel
				if len(arts) > 1 {
					a.ID = fmt.Sprintf("%s#%d", f.rel, i+1)
				}
			}
			if a.Category == "" && strings.Contains(f.rel, "/") {
				a.Category = filepath.Base(filepath.Dir(filepath.FromSlash(f.rel)))
			}
			d := &doc{Article: index.Article{ID: a.ID, Title: a.Title, Body: a.Body, URL: a.URL,
				Published: a.Published, Category: clean(a.Category), Source: clean(a.Source)}}
			seen := map[string]bool{}
			for _, tag := range a.Tags {
				if tag = clean(tag); tag != "" && !seen[tag] {
					seen[tag] = true
					d.Tags = append(d.Tags, tag)
				}
			}
			if !d.Published.IsZero() {
				d.month = d.Published.In(jst).Format("2006-01")
			}
			d.people, d.orgs = ix.Entities(d.Article)
			d.titleN, d.bodyN = strings.ToLower(norm.NFKC.String(d.Title)), strings.ToLower(norm.NFKC.String(d.Body))
			if m.byID[d.ID] != nil {
				t.Fatalf("generated ID %s twice", d.ID)
			}
			m.byID[d.ID] = d
			m.docs = append(m.docs, d)
		}
	}
	sort.Slice(m.docs, func(i, j int) bool { return m.docs[i].ID < m.docs[j].ID })
	return m
}

// values returns a facet's values of an article.
func (d *doc) values(facet string) []string {
	switch facet {
	case index.FacetCategory:
		return nonEmpty(d.Category)
	case index.FacetSource:
		return nonEmpty(d.Source)
	case index.FacetTag:
		return d.Tags
	case index.FacetMonth:
		return nonEmpty(d.month)
	case index.FacetPerson:
		return d.people
	case index.FacetOrg:
		return d.orgs
	}
	panic("unknown facet " + facet)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// facet counts a facet over docs as the engine should report it: every
// month in order; other facets the top size by count, then value.
func facet(docs []*doc, name string, size int) []index.Count {
	counts := map[string]int{}
	for _, d := range docs {
		for _, v := range d.values(name) {
			counts[v]++
		}
	}
	out := []index.Count{}
	for v, n := range counts {
		out = append(out, index.Count{Value: v, Count: n})
	}
	if name == index.FacetMonth {
		slices.SortFunc(out, func(a, b index.Count) int { return cmp.Compare(a.Value, b.Value) })
		return out
	}
	slices.SortFunc(out, func(a, b index.Count) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out[:min(size, len(out))]
}

// pred is a query's meaning, decided on one article.
type pred func(*doc) bool

// query is a random query with its meaning.
type query struct {
	text  string
	match pred
	req   index.Request
	// within: Request.Since/Until, applied besides the text
}

// dateIn reports whether d was published in [since, until); zero bounds are open.
func dateIn(d *doc, since, until time.Time) bool {
	if d.Published.IsZero() {
		return false
	}
	return (since.IsZero() || !d.Published.Before(since)) && (until.IsZero() || d.Published.Before(until))
}

// queryGen makes random queries over what a model holds.
type queryGen struct {
	g *gen
	m *model
	// values of each filter field present in the model
	values map[string][]string
	months []string
	// noWords: clauses are filters and dates only (real text, where a
	// substring test does not say whether a word is there)
	noWords bool
}

func newQueryGen(seed uint64, m *model) *queryGen {
	q := &queryGen{g: newGen(seed), m: m, values: map[string][]string{}}
	sets := map[string]map[string]bool{}
	for _, name := range index.AllFacets {
		sets[name] = map[string]bool{}
	}
	for _, d := range m.docs {
		for _, name := range index.AllFacets {
			for _, v := range d.values(name) {
				sets[name][v] = true
			}
		}
	}
	for name, set := range sets {
		for v := range set {
			q.values[name] = append(q.values[name], v)
		}
		sort.Strings(q.values[name])
	}
	q.months = q.values[index.FacetMonth]
	return q
}

// filterField is the query-language field of a facet.
var filterField = map[string]string{index.FacetCategory: "category", index.FacetSource: "source",
	index.FacetTag: "tag", index.FacetPerson: "person", index.FacetOrg: "org"}

// quote writes a filter value for the query language.
func quote(v string) string {
	if strings.ContainsAny(v, " \t\"()") {
		return `"` + v + `"`
	}
	return v
}

// clause returns one random leaf: a planted word (anywhere or in the
// title), a filter, or a date range.
func (q *queryGen) clause() (string, pred) {
	g := q.g
	k := g.r.IntN(10)
	if q.noWords {
		k = 5 + g.r.IntN(5)
	}
	switch {
	case k < 5:
		w := vocab[g.zipf(len(vocab))]
		wn := strings.ToLower(w)
		if g.r.IntN(5) == 0 {
			return "title:" + w, func(d *doc) bool { return strings.Contains(d.titleN, wn) }
		}
		return w, func(d *doc) bool { return strings.Contains(d.titleN, wn) || strings.Contains(d.bodyN, wn) }
	case k < 8:
		facets := []string{index.FacetCategory, index.FacetSource, index.FacetTag, index.FacetPerson, index.FacetOrg}
		name := facets[g.r.IntN(len(facets))]
		vals := q.values[name]
		if len(vals) == 0 {
			return q.clause()
		}
		v := vals[g.r.IntN(len(vals))]
		return filterField[name] + ":" + quote(v), func(d *doc) bool { return slices.Contains(d.values(name), v) }
	default:
		return q.dates()
	}
}

// dates returns a random date clause: since, until, a month, a year or a
// range.
func (q *queryGen) dates() (string, pred) {
	g := q.g
	if len(q.months) == 0 {
		return "", nil
	}
	m1 := q.months[g.r.IntN(len(q.months))]
	m2 := q.months[g.r.IntN(len(q.months))]
	if m2 < m1 {
		m1, m2 = m2, m1
	}
	var text string
	switch g.r.IntN(5) {
	case 0:
		text = "since:" + m1
	case 1:
		text = "until:" + m2
	case 2:
		text = "date:" + m1
	case 3:
		text = "date:" + m1[:4]
	default:
		text = "date:" + m1 + ".." + m2
	}
	_, value, _ := strings.Cut(text, ":")
	from, to, err := qparse.ParseDateRange(value)
	if err != nil {
		panic(err)
	}
	switch {
	case strings.HasPrefix(text, "since:"):
		to = time.Time{}
	case strings.HasPrefix(text, "until:"):
		from = time.Time{}
	}
	return text, func(d *doc) bool { return dateIn(d, from, to) }
}

// next returns a random query: one to three clauses joined by AND, OR or
// AND NOT, sometimes grouped, sometimes none (every article), with a
// random sort, facet size and date bounds of the request.
func (q *queryGen) next() query {
	g := q.g
	var parts []string
	var preds []pred
	n := g.r.IntN(4)
	for range n {
		text, p := q.clause()
		if p == nil {
			continue
		}
		parts = append(parts, text)
		preds = append(preds, p)
	}
	// Strict: the brute force answers the query as written; a query that
	// matches nothing is not relaxed (that is tested in package index)
	// NoCollapse and NamesApart: the brute force counts every article and
	// every name as indexed (the livedoor corpus has 11 clusters of
	// near-duplicates and names glossed as each other's; folding and
	// merging are tested in package index)
	out := query{req: index.Request{Strict: true, NoCollapse: true, NamesApart: true, Facets: index.AllFacets, FacetSize: []int{3, 10, 50, 1000}[g.r.IntN(4)]}}
	switch {
	case len(parts) == 0:
		out.match = func(*doc) bool { return true }
	case len(parts) == 1:
		out.text, out.match = parts[0], preds[0]
	case g.r.IntN(3) == 0: // a OR b [c]
		out.text = strings.Join(parts[:2], " OR ")
		a, b := preds[0], preds[1]
		out.match = func(d *doc) bool { return a(d) || b(d) }
		if len(parts) == 3 {
			out.text = "(" + out.text + ") " + parts[2]
			c := preds[2]
			out.match = func(d *doc) bool { return (a(d) || b(d)) && c(d) }
		}
	case g.r.IntN(3) == 0: // a -b
		out.text = parts[0] + " -" + parts[1]
		a, b := preds[0], preds[1]
		out.match = func(d *doc) bool { return a(d) && !b(d) }
	default: // all
		out.text = strings.Join(parts, " ")
		out.match = func(d *doc) bool {
			for _, p := range preds {
				if !p(d) {
					return false
				}
			}
			return true
		}
	}
	out.req.Query = out.text
	out.req.Sort = []index.Sort{index.ByRelevance, index.ByDate, index.ByDateDesc}[g.r.IntN(3)]
	if g.r.IntN(5) == 0 && len(q.months) > 0 {
		since, _, _ := qparse.ParseDateRange(q.months[g.r.IntN(len(q.months))])
		out.req.Since = since
		inner := out.match
		out.match = func(d *doc) bool { return inner(d) && dateIn(d, since, time.Time{}) }
	}
	return out
}

// truth returns the articles a query matches, by ID.
func (m *model) truth(p pred) []*doc {
	var out []*doc
	for _, d := range m.docs {
		if p(d) {
			out = append(out, d)
		}
	}
	return out
}

// check runs one query against ix with every hit returned and compares
// all it says with brute force (want: the articles it matches); then a
// page, and clicks on facet values. It returns the number of hits.
func check(ctx context.Context, t *testing.T, ix *index.Index, m *model, q query, want []*doc, g *gen) int {
	t.Helper()
	req := q.req
	req.Limit = len(m.docs) + 1
	req.NoSnippets = true
	res, err := ix.Search(ctx, req)
	if err != nil {
		t.Errorf("%q: %v", q.text, err)
		return 0
	}
	got := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		got[i] = h.ID
	}
	wantIDs := make([]string, len(want))
	for i, d := range want {
		wantIDs[i] = d.ID
	}
	sorted := slices.Clone(got)
	sort.Strings(sorted)
	if res.Total != uint64(len(want)) || !slices.Equal(sorted, wantIDs) {
		t.Errorf("%q: total %d, %d hits; want %d\n  missing %v\n  extra %v", q.text, res.Total, len(got), len(want),
			diff(wantIDs, sorted), diff(sorted, wantIDs))
		return len(got)
	}
	checkOrder(t, q, res, m)
	for _, name := range req.Facets {
		size := req.FacetSize
		wantF := facet(want, name, size)
		if gotF := res.Facets[name]; !slices.Equal(gotF, wantF) {
			t.Errorf("%q: facet %s (size %d):\n  got  %v\n  want %v", q.text, name, size, gotF, wantF)
		}
	}
	// a page of the same answer
	if len(got) > 2 {
		off := g.r.IntN(len(got) - 1)
		n := 1 + g.r.IntN(len(got)-off)
		preq := q.req
		preq.Limit, preq.Offset, preq.NoSnippets = n, off, true
		preq.Facets = nil
		page, err := ix.Search(ctx, preq)
		if err != nil {
			t.Errorf("%q page: %v", q.text, err)
			return len(got)
		}
		var pids []string
		for _, h := range page.Hits {
			pids = append(pids, h.ID)
		}
		if !slices.Equal(pids, got[off:off+n]) || page.Total != res.Total {
			t.Errorf("%q: offset %d limit %d gives %v (total %d), want %v", q.text, off, n, pids, page.Total, got[off:off+n])
		}
	}
	// clicking a facet value filters to as many articles as it said
	for range 2 {
		name := req.Facets[g.r.IntN(len(req.Facets))]
		counts := res.Facets[name]
		if len(counts) == 0 {
			continue
		}
		c := counts[g.r.IntN(len(counts))]
		clause := "date:" + c.Value
		if name != index.FacetMonth {
			clause = filterField[name] + ":" + quote(c.Value)
		}
		text := clause
		if q.text != "" {
			text = "(" + q.text + ") " + clause
		}
		creq := q.req
		creq.Query, creq.Facets, creq.NoSnippets, creq.Limit = text, nil, true, 1
		clicked, err := ix.Search(ctx, creq)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if clicked.Total != uint64(c.Count) {
			t.Errorf("%q: facet %s says %q %d, clicking it gives %d", q.text, name, c.Value, c.Count, clicked.Total)
		}
	}
	return len(got)
}

// checkOrder checks a date sort: dated hits in order, undated ones last.
func checkOrder(t *testing.T, q query, res *index.Result, m *model) {
	t.Helper()
	if q.req.Sort == index.ByRelevance {
		return
	}
	undated := false
	var prev time.Time
	for i, h := range res.Hits {
		p := m.byID[h.ID].Published
		if !h.Published.Equal(p) {
			t.Errorf("%q: hit %s published %v, the article says %v", q.text, h.ID, h.Published, p)
			return
		}
		if p.IsZero() {
			undated = true
			continue
		}
		if undated {
			t.Errorf("%q sorted by %s: dated %s after an undated article", q.text, q.req.Sort, h.ID)
			return
		}
		if i > 0 && !prev.IsZero() && ((q.req.Sort == index.ByDate && p.Before(prev)) || (q.req.Sort == index.ByDateDesc && p.After(prev))) {
			t.Errorf("%q sorted by %s: hit %d %s (%v) after %v", q.text, q.req.Sort, i, h.ID, p, prev)
			return
		}
		prev = p
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("... %d more", len(out)-10))
	}
	return out
}

// checkStats compares Stats with the model.
func checkStats(ctx context.Context, t *testing.T, ix *index.Index, m *model) {
	t.Helper()
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != uint64(len(m.docs)) {
		t.Errorf("stats: %d articles, want %d", st.Articles, len(m.docs))
	}
	if want := facet(m.docs, index.FacetCategory, 1<<30); !slices.Equal(st.Categories, want) {
		t.Errorf("stats: categories %v, want %v", st.Categories, want)
	}
	if want := facet(m.docs, index.FacetSource, 1<<30); !slices.Equal(st.Sources, want) {
		t.Errorf("stats: sources %v, want %v", st.Sources, want)
	}
	var first, last time.Time
	for _, d := range m.docs {
		if p := d.Published; !p.IsZero() {
			if first.IsZero() || p.Before(first) {
				first = p
			}
			if p.After(last) {
				last = p
			}
		}
	}
	if !st.FirstPublished.Equal(first) || !st.LastPublished.Equal(last) {
		t.Errorf("stats: published %v to %v, want %v to %v", st.FirstPublished, st.LastPublished, first, last)
	}
}

// checkGet compares Get with the model for n random articles, and asks for
// IDs that are not there.
func checkGet(ctx context.Context, t *testing.T, ix *index.Index, m *model, gone []string, g *gen, n int) {
	t.Helper()
	for range n {
		d := m.docs[g.r.IntN(len(m.docs))]
		a, err := ix.Get(ctx, d.ID)
		if err != nil {
			t.Errorf("get %s: %v", d.ID, err)
			continue
		}
		if a.Title != d.Title || a.Body != d.Body || a.URL != d.URL || !a.Published.Equal(d.Published) ||
			a.Category != d.Category || a.Source != d.Source || !slices.Equal(a.Tags, d.Tags) {
			t.Errorf("get %s:\n  got  %+v\n  want %+v", d.ID, *a, d.Article)
		}
	}
	for _, id := range gone {
		if _, err := ix.Get(ctx, id); err == nil {
			t.Errorf("get %s: found an article that was removed", id)
		}
	}
}
