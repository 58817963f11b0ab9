package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsearch/newsearch/index/qparse"
)

// Marks returns where a query matches one article: the byte ranges of its
// title and of its whole body to highlight for someone reading it, as a
// hit's snippet marks them (see Hit.TitleMarks). A query that matches the
// article only in a looser form (the article came from relaxed results)
// marks what that form found. Both are nil when the query marks nothing;
// an unknown ID is an error wrapping ErrArticleNotFound.
func (ix *Index) Marks(ctx context.Context, id, q string) (title, body []Span, err error) {
	defer guard(&err)
	node, err := qparse.Parse(q)
	if err != nil {
		return nil, nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, nil, err
	}
	s := shards[shardOf(id, len(shards))]
	fetch := func(q query.Query) (*bleve.SearchResult, error) {
		req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{idQuery([]string{id}), q}), 1, 0, false)
		req.Fields = []string{fieldTitle, fieldBody, fieldTitleFold, fieldBodyFold}
		req.IncludeLocations, req.Score = true, "none"
		return s.bi.SearchInContext(ctx, req)
	}
	// the article exists?
	res, err := fetch(query.NewMatchAllQuery())
	if err != nil {
		return nil, nil, err
	}
	if len(res.Hits) == 0 {
		return nil, nil, fmt.Errorf("%w: %q", ErrArticleNotFound, id)
	}
	if node == nil {
		return nil, nil, nil
	}
	c := &compiler{an: ix.an, stats: newCorpusStats(), count: countShards(ctx, shards)}
	root, err := c.compile(node)
	if err != nil || root == nil {
		return nil, nil, err
	}
	// every form of the query (its other spellings and translations too),
	// then its looser forms, until one matches the article
	forms := []query.Query{build(root, levelAll, false)}
	for _, r := range c.relaxations(root) {
		forms = append(forms, build(r.root, levelVariant, false))
	}
	for _, f := range forms {
		res, err := fetch(f)
		if err != nil {
			return nil, nil, err
		}
		if len(res.Hits) == 0 {
			continue
		}
		h := res.Hits[0]
		str := func(f string) string { s, _ := h.Fields[f].(string); return s }
		title, body := str(fieldTitle), str(fieldBody)
		tm := gramMarks(title, str(fieldTitleFold), h.Locations[fieldTitleGram])
		bm := gramMarks(body, str(fieldBodyFold), h.Locations[fieldBodyGram])
		words := matchedWords(title, tm, body, bm)
		return mergeSpans(append(tm, compoundMarks(title, words, tm)...)), mergeSpans(append(bm, compoundMarks(body, words, bm)...)), nil
	}
	return nil, nil, nil
}
