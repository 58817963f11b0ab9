package server

import (
	"container/list"
	"sync"

	"github.com/newsearch/newsearch/index"
)

// DefaultCacheEntries is how many search results a generation keeps.
const DefaultCacheEntries = 512

// maxCachedHits bounds the size of a cached result: a request for
// hundreds of hits is rare and large, and runs again.
const maxCachedHits = 50

// resultCache keeps the latest search results of one generation, least
// recently used out first. A generation never changes, so neither does the
// answer to a request; a new generation starts with an empty cache. A nil
// *resultCache caches nothing.
type resultCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recent first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key string
	res *index.Result
}

func newResultCache(max int) *resultCache {
	if max <= 0 {
		return nil
	}
	return &resultCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the result cached for key. The result is shared: read it,
// do not change it.
func (c *resultCache) get(key string) (*index.Result, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).res, true
}

// put caches res for key, unless it is too large to keep.
func (c *resultCache) put(key string, res *index.Result) {
	if c == nil || len(res.Hits) > maxCachedHits {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*cacheEntry).res = res
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, res: res})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

func (c *resultCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
