package server

import (
	"bytes"
	"container/list"
	"strconv"
	"sync"
)

// DefaultCacheEntries is how many search answers a generation keeps.
const DefaultCacheEntries = 512

// maxCachedBytes bounds one cached answer: a request for hundreds of hits
// is rare and large, and runs again.
const maxCachedBytes = 64 << 10

// answer is the JSON of a search, kept around its took_ms value so that a
// cached answer says how long this request took.
type answer struct {
	head, tail []byte // the JSON before and after took_ms's value
}

var tookKey = []byte(`"took_ms":`)

// newAnswer splits the JSON of a render.QueryJSON at took_ms. The first
// "took_ms": is the key: within a JSON string the quotes would be escaped.
func newAnswer(body []byte) (answer, bool) {
	i := bytes.Index(body, tookKey)
	if i < 0 {
		return answer{}, false
	}
	start := i + len(tookKey)
	n := bytes.IndexAny(body[start:], ",}")
	if n < 0 {
		return answer{}, false
	}
	return answer{head: body[:start], tail: body[start+n:]}, true
}

// with returns the answer's JSON with took_ms set to ms.
func (a answer) with(ms float64) []byte {
	b := make([]byte, 0, len(a.head)+len(a.tail)+12)
	b = append(b, a.head...)
	b = strconv.AppendFloat(b, ms, 'f', -1, 64)
	return append(b, a.tail...)
}

func (a answer) size() int { return len(a.head) + len(a.tail) }

// resultCache keeps the latest search answers of one generation, least
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
	ans answer
}

func newResultCache(max int) *resultCache {
	if max <= 0 {
		return nil
	}
	return &resultCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the answer cached for key.
func (c *resultCache) get(key string) (answer, bool) {
	if c == nil {
		return answer{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return answer{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).ans, true
}

// put caches a for key, unless it is too large to keep.
func (c *resultCache) put(key string, a answer) {
	if c == nil || a.size() > maxCachedBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*cacheEntry).ans = a
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, ans: a})
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
