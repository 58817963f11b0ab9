// Package ingest brings folders of article files into an index: it finds
// the files, reads and analyses the new and changed ones on all cores,
// writes them in batches, commits now and then, and removes the articles
// whose files are gone.
//
// What it keeps in the index besides the articles (index.Source): per
// file, its size, modification time and content hash, so that a run reads
// only files that changed; per article, a fingerprint of its content, so
// that a changed file (a JSON Lines dump that grew by a few records)
// analyses only the articles that changed. JSON Lines files are read as
// streams, a record at a time: memory does not depend on their size.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/newsearch/newsearch/index"
)

// DefaultMaxFileSize bounds the size of one article file read whole (every
// format but JSON Lines, which is read as a stream). A larger file is
// reported as failed rather than read: no news article is that long, and a
// mistaken dump or binary should not exhaust memory.
const DefaultMaxFileSize = 16 << 20

// Options tune a run.
type Options struct {
	Workers     int   // reading and analysing goroutines; 0: all cores
	BatchSize   int   // articles per index batch and shard; 0: 250
	MaxFileSize int64 // 0: DefaultMaxFileSize
	// CommitEvery is how often progress is published to readers (a
	// rebuild's is kept for the next run instead); 0: one minute. A commit
	// waits for at least ten times as long as the last one took, so that
	// committing a large index does not eat the run.
	CommitEvery time.Duration
	// FollowSymlinks follows symbolic links inside the folders given
	// (loops are found and skipped); without it they are skipped and
	// listed. A folder given by a link is followed either way.
	FollowSymlinks bool
	// Progress, if set, is called after each chunk of work with the counts
	// so far.
	Progress func(Progress)
}

// Progress is the state of a run in progress.
type Progress struct {
	Files, FilesDone int   // article files found, and handled so far
	Articles         int   // articles written so far
	Bytes, BytesDone int64 // bytes of the files to read, and read so far
	Elapsed          time.Duration
}

// Failure is a file (or a record in it) that could not be indexed.
type Failure struct {
	Path string
	Err  error
}

// Summary is the outcome of a run. Article counts, except Failed, Files and
// Skipped.
type Summary struct {
	Indexed, Updated, Unchanged, Removed int
	Failed                               int    // files or records that failed
	Files                                int    // article files found
	Skipped                              []Skip // files found and not read
	Failures                             []Failure
	// Notes are what the index could not take of articles it indexed
	// (a date outside the years it searches); they are no failure.
	Notes       []Failure
	Interrupted bool
	Elapsed     time.Duration
}

// Rate returns articles written (indexed or updated) per second.
func (s *Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Indexed+s.Updated) / s.Elapsed.Seconds()
}

// Run indexes the article files under roots (folders, searched
// recursively, or single files) into ix. Files that fail are reported in
// the summary and the run goes on. When ctx is cancelled, Run stops
// reading, writes what it has analysed and returns with Interrupted set;
// the caller then suspends the index (index.Index.Suspend) and a later run
// goes on from there.
func Run(ctx context.Context, ix *index.Index, roots []string, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 250
	}
	// a batch is split among the shards: each gets about BatchSize
	opt.BatchSize *= ix.Shards()
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.CommitEvery <= 0 {
		opt.CommitEvery = time.Minute
	}
	sum := &Summary{}
	walk, err := find(roots, ix.Dir(), opt.FollowSymlinks)
	if err != nil {
		return nil, err
	}
	sum.Files, sum.Skipped = len(walk.files), walk.skipped
	sum.Failures = append(sum.Failures, walk.failures...)
	sum.Failed += len(walk.failures)

	n, err := ix.Count()
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	fresh := n == 0
	w := newWriter(ix, sum, opt, walk)
	defer w.stop()
	// what the index recorded of these origins
	known := map[string]map[string]index.Source{}
	for _, f := range walk.files {
		if _, ok := known[f.origin]; !ok {
			if known[f.origin], err = ix.Sources(f.origin); err != nil {
				return nil, fmt.Errorf("read index: %w", err)
			}
		}
	}
	// files gone from the folders given: their articles go
	present := make(map[string]bool, len(walk.files))
	for _, f := range walk.files {
		present[f.key()] = true
	}
	for origin, srcs := range known {
		if walk.failedRoot[origin] {
			continue // a folder we could not read fully: remove nothing from it
		}
		for name := range srcs {
			if !present[origin+"\x00"+name] {
				if err := w.removeFile(ctx, origin, name); err != nil {
					return nil, err
				}
			}
		}
	}
	// files whose size and time are as recorded are not read
	var todo []*file
	var total int64
	for _, f := range walk.files {
		if s, ok := known[f.origin][f.rel]; ok && !s.Partial && s.Size == f.size && s.ModTime == f.mtime {
			sum.Unchanged += s.Articles
			continue
		}
		todo = append(todo, f)
		total += f.size
	}
	w.progress.Files, w.progress.Bytes = len(walk.files), total
	w.progress.FilesDone = len(walk.files) - len(todo)

	jobs := make(chan *file)
	chunks := make(chan chunk, 2*opt.Workers)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{ix: ix, maxSize: opt.MaxFileSize, out: chunks, fresh: fresh}
			for f := range jobs {
				wk.process(ctx, f)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range todo {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(chunks)
	}()

	var werr error
	for c := range chunks {
		if werr == nil {
			werr = w.add(ctx, c)
		}
		if opt.Progress != nil {
			p := w.progress
			p.Articles = int(w.written.Load())
			p.Elapsed = time.Since(start)
			opt.Progress(p)
		}
	}
	if err := w.finish(); werr == nil || (errors.Is(werr, errStopped) && err != nil) {
		werr = err // the applier's own error says what failed
	}
	// stopped only if work was left undone
	sum.Interrupted = ctx.Err() != nil && w.progress.FilesDone < w.progress.Files
	sum.Elapsed = time.Since(start)
	return sum, werr
}

// errStopped ends a run whose index write failed.
var errStopped = errors.New("the index write failed")
