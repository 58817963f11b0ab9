package index

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Get returns the article with the given ID, or an error wrapping
// ErrArticleNotFound.
func (ix *Index) Get(ctx context.Context, id string) (a *Article, err error) {
	defer guard(&err)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	s := shards[shardOf(id, len(shards))]
	req := bleve.NewSearchRequestOptions(idQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fieldTitle, fieldBody, fieldURL, fieldPublished, fieldPublishedText, fieldCategory, fieldSource, fieldTag, fieldOrigin, fieldFile}
	res, err := s.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrArticleNotFound, id)
	}
	h := res.Hits[0]
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	a = &Article{ID: h.ID, Title: str(fieldTitle), Body: str(fieldBody), URL: str(fieldURL),
		Category: str(fieldCategory), Source: str(fieldSource), Origin: str(fieldOrigin), File: str(fieldFile),
		Tags: stringsOf(h.Fields[fieldTag])}
	a.Published = publishedOf(str)
	return a, nil
}

// stringsOf reads a stored field that may hold one value or several.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []interface{}:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Fingerprint is what the index knows of where an article came from.
type Fingerprint struct {
	Origin      string
	File        string
	Fingerprint string
}

// Fingerprints returns, for those of the given IDs that the index has,
// where each came from and its fingerprint (Article.Fingerprint).
func (ix *Index) Fingerprints(ctx context.Context, ids []string) (out map[string]Fingerprint, err error) {
	defer guard(&err)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	byShard := make([][]string, len(shards))
	for _, id := range ids {
		i := shardOf(id, len(shards))
		byShard[i] = append(byShard[i], id)
	}
	out = make(map[string]Fingerprint, len(ids))
	var mu sync.Mutex
	err = eachShard(shards, func(i int, s *shard) error {
		if len(byShard[i]) == 0 {
			return nil
		}
		req := bleve.NewSearchRequestOptions(idQuery(byShard[i]), len(byShard[i]), 0, false)
		req.Fields = []string{fieldOrigin, fieldFile, fieldFP}
		req.Score = "none"
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, h := range res.Hits {
			str := func(f string) string { s, _ := h.Fields[f].(string); return s }
			out[h.ID] = Fingerprint{Origin: str(fieldOrigin), File: str(fieldFile), Fingerprint: str(fieldFP)}
		}
		return nil
	})
	return out, err
}

// IDsFrom returns the IDs of the articles added from a file of an origin
// (Article.Origin and Article.File).
func (ix *Index) IDsFrom(ctx context.Context, origin, file string) (ids []string, err error) {
	defer guard(&err)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return nil, err
	}
	q := query.NewTermQuery(sourceKey(origin, file))
	q.SetField(fieldSrc)
	var mu sync.Mutex
	err = eachShard(shards, func(_ int, s *shard) error {
		n, err := s.bi.DocCount()
		if err != nil || n == 0 {
			return err
		}
		req := bleve.NewSearchRequestOptions(q, int(n), 0, false)
		req.Score = "none"
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return nil
	})
	return ids, err
}

// sourceKey is the term that names an article's file.
func sourceKey(origin, file string) string { return origin + "\x00" + file }

// publishedOf reads the date of a hit's stored fields: a searchable date,
// else one kept as text; zero when there is none.
func publishedOf(str func(string) string) time.Time {
	for _, f := range []string{fieldPublished, fieldPublishedText} {
		if t, err := time.Parse(time.RFC3339, str(f)); err == nil {
			return t.In(jst)
		}
	}
	return time.Time{}
}
