package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/reader"
)

// chunkSize is how many records of a stream a worker reads, checks and
// analyses before it hands them on: what one file holds in memory at once.
const chunkSize = 64

// chunk is part of what a worker made of a file: all of a file read whole,
// or up to chunkSize records of a stream. The last chunk of a file says so.
type chunk struct {
	f         *file
	docs      []*index.Doc                 // analysed articles to write
	prev      map[string]index.Fingerprint // what the index had of them
	ids       []string                     // every article ID the file has, written or unchanged
	unchanged int                          // articles left as they are
	failures  []Failure
	bytes     int64 // bytes of the file read since the chunk before
	// on the last chunk:
	last    bool
	whole   bool   // the file was read to its end (else nothing is removed)
	partial bool   // some of the file failed: it is read again next time
	hash    string // the file's content hash
}

// worker reads, checks and analyses files.
type worker struct {
	ix      *index.Index
	maxSize int64
	out     chan<- chunk
	fresh   bool // the index was empty when the run began: nothing to look up
}

// process reads one file and sends its chunks; it returns when the last
// is sent. A stopped run (ctx) ends a stream early.
func (w *worker) process(ctx context.Context, f *file) {
	if reader.Streamable(f.rel) {
		w.stream(ctx, f)
		return
	}
	c := chunk{f: f, last: true}
	fail := func(err error) { // the file is left as the index has it
		c.failures = append(c.failures, Failure{Path: f.path, Err: err})
		c.partial = true
		w.out <- c
	}
	data, err := readLimited(f.path, w.maxSize)
	if err != nil {
		fail(err)
		return
	}
	c.bytes, c.whole = int64(len(data)), true
	sum := sha256.Sum256(data)
	c.hash = hex.EncodeToString(sum[:16])
	articles, err := reader.Parse(f.path, data)
	var pe *reader.PartialError
	if err != nil && !errors.As(err, &pe) {
		c.whole = false
		fail(err)
		return
	}
	if pe != nil {
		for _, le := range pe.Errors {
			c.failures = append(c.failures, Failure{Path: where(f.path, reader.Article{Line: le.Line, Item: le.Item}), Err: le.Err})
		}
		c.partial = true
	}
	items := make([]item, 0, len(articles))
	for _, a := range articles {
		items = append(items, item{a: a, n: a.Item}) // 0 but in an array
	}
	w.analyse(ctx, f, items, &c)
	w.out <- c
}

// item is an article read from a file, and its place there, which names it
// when it has no ID of its own: its line in JSON Lines, its position in a
// JSON array, 0 for the one article of a file.
type item struct {
	a reader.Article
	n int
}

// stream reads a JSON Lines file record by record, chunkSize at a time:
// memory does not depend on the size of the file.
func (w *worker) stream(ctx context.Context, f *file) {
	fh, err := os.Open(f.path)
	if err != nil {
		w.out <- chunk{f: f, last: true, partial: true, failures: []Failure{{Path: f.path, Err: err}}}
		return
	}
	defer fh.Close()
	h := sha256.New()
	counted := &counter{r: io.TeeReader(fh, h)}
	partial, whole := false, true
	c := chunk{f: f}
	var items []item
	send := func(last bool) {
		w.analyse(ctx, f, items, &c)
		partial = partial || c.partial
		c.bytes, c.last = counted.take(), last
		if last {
			c.partial, c.hash, c.whole = partial, hexSum(h), whole
		}
		w.out <- c
		c, items = chunk{f: f}, nil
	}
	err = reader.Stream(f.path, counted, func(r reader.Record) error {
		if r.Err != nil {
			c.failures = append(c.failures, Failure{Path: fmt.Sprintf("%s:%d", f.path, r.Line), Err: unwrapLine(r.Err)})
			c.partial = true
		} else {
			items = append(items, item{a: r.Article, n: r.Line})
		}
		if len(items) >= chunkSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			send(false)
		}
		return nil
	})
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		whole, items = false, nil // stopped: the next run reads the file again
	case err != nil:
		c.failures = append(c.failures, Failure{Path: f.path, Err: err})
		c.partial, whole = true, false
	}
	send(true)
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)[:16]) }

// where names the place of an article in its file: path:line, with the
// item of a JSON array.
func where(path string, a reader.Article) string {
	switch {
	case a.Item > 0:
		return fmt.Sprintf("%s:%d (item %d)", path, a.Line, a.Item)
	case a.Line > 0:
		return fmt.Sprintf("%s:%d", path, a.Line)
	}
	return path
}

// unwrapLine drops the line from a record's error: the failure's path has it.
func unwrapLine(err error) error {
	var le *reader.LineError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// analyse gives the items of a file their IDs, leaves alone those the
// index has already as they are (same fingerprint, same file), and
// analyses the others into c.docs.
func (w *worker) analyse(ctx context.Context, f *file, items []item, c *chunk) {
	if len(items) == 0 {
		return
	}
	arts := make([]index.Article, 0, len(items))
	seen := make(map[string]bool, len(items))
	places := make(map[string]reader.Article, len(items))
	for _, it := range items {
		a := it.a
		id := a.ID
		if id == "" {
			id = f.idBase
			if it.n > 0 {
				id = fmt.Sprintf("%s#%d", f.idBase, it.n)
			}
		}
		if seen[id] {
			c.failures = append(c.failures, Failure{Path: where(f.path, it.a), Err: fmt.Errorf("article %q appears twice in the file; the first is kept", id)})
			c.partial = true
			continue
		}
		seen[id] = true
		category := a.Category
		if category == "" {
			category = f.category
		}
		art := index.Article{
			ID: id, Title: a.Title, Body: a.Body, URL: a.URL, Published: a.Published,
			Category: category, Source: a.Source, Tags: a.Tags, Origin: f.origin, File: f.rel,
		}
		art.Fingerprint = fingerprint(art)
		arts = append(arts, art)
		places[id] = reader.Article{Line: a.Line, Item: a.Item}
		c.ids = append(c.ids, id)
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	var known map[string]index.Fingerprint
	if !w.fresh {
		var err error
		known, err = w.ix.Fingerprints(context.WithoutCancel(ctx), ids)
		if err != nil {
			c.failures = append(c.failures, Failure{Path: f.path, Err: fmt.Errorf("read index: %w", err)})
			c.partial = true
			return
		}
	}
	if c.prev == nil {
		c.prev = map[string]index.Fingerprint{}
	}
	for _, a := range arts {
		if k, ok := known[a.ID]; ok && k.Fingerprint == a.Fingerprint && k.Origin == a.Origin && k.File == a.File {
			c.unchanged++
			continue
		}
		d, err := w.ix.Prepare(a)
		if err != nil {
			c.failures = append(c.failures, Failure{Path: where(f.path, places[a.ID]), Err: err})
			c.partial = true
			continue
		}
		c.docs = append(c.docs, d)
		if k, ok := known[a.ID]; ok {
			c.prev[a.ID] = k
		}
	}
}

// fingerprint is a hash of what an article says, so that a run skips the
// analysis of articles that did not change even when their file did.
func fingerprint(a index.Article) string {
	h := sha256.New()
	for _, s := range []string{a.ID, a.Title, a.Body, a.URL, a.Published.UTC().Format(time.RFC3339Nano), a.Category, a.Source, strings.Join(a.Tags, "\x1f")} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hexSum(h)
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// take returns the bytes read since the last take.
func (c *counter) take() int64 {
	n := c.n
	c.n = 0
	return n
}

func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > max {
		return nil, fmt.Errorf("file is %s, over the limit of %s for a file read whole: split it, or raise --max-file-size (JSON Lines files have no limit)", size(info.Size()), size(max))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file grew over the limit of %s while being read", size(max))
	}
	return data, nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
