package server

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/render"
)

// categoryNames keeps the display names of categories (index.CategoryNames)
// of the index served, read again when its file changes.
type categoryNames struct {
	dir  string
	logf func(string, ...any)

	mu    sync.Mutex
	mtime time.Time
	size  int64
	names map[string]string
}

// get returns the names; a file that cannot be read is logged, and the
// names known before are kept.
func (c *categoryNames) get() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var mtime time.Time
	var size int64 = -1
	if info, err := os.Stat(filepath.Join(c.dir, index.CategoryNamesFile)); err == nil {
		mtime, size = info.ModTime(), info.Size()
	}
	if c.names != nil && mtime.Equal(c.mtime) && size == c.size {
		return c.names
	}
	names, err := index.CategoryNames(c.dir)
	if err != nil {
		c.logf("category names: %v", err)
		if c.names != nil {
			return c.names
		}
	}
	c.names, c.mtime, c.size = names, mtime, size
	return names
}

// of returns the names of the categories of a result that have one.
func (c *categoryNames) of(res *index.Result) map[string]string {
	return render.NamesOf(c.get(), res)
}
