package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// maxPending bounds the batches per shard written and not yet on disk.
const maxPending = 2

// ErrClosed is returned by the methods of an Index after Close, or after
// a Commit that failed (wrapped with its error).
var ErrClosed = errors.New("index is closed")

// Apply writes prepared articles and deletes IDs in one batch: after a
// crash, all of it or none of it is in the index (once committed). Each
// shard's part is written on a goroutine of its own.
func (ix *Index) Apply(ctx context.Context, docs []*Doc, deletes []string) error {
	if ix.readOnly {
		return ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	shards, err := ix.live()
	if err != nil {
		return err
	}
	if err := ix.w.t.Err(); err != nil {
		return ix.diskError(fmt.Errorf("write to disk: %w", err))
	}
	n := len(shards)
	batches := make([]*bleve.Batch, n)
	batch := func(i int) *bleve.Batch {
		if batches[i] == nil {
			batches[i] = shards[i].bi.NewBatch()
		}
		return batches[i]
	}
	for _, id := range deletes {
		batch(shardOf(id, n)).Delete(id)
	}
	for _, d := range docs {
		if err := batch(shardOf(d.id, n)).IndexAdvanced(d.doc); err != nil {
			return fmt.Errorf("article %s: %w", d.id, err)
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, b := range batches {
		if b == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ix.write(shards[i].bi, b)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return ix.diskError(err)
	}
	return ix.recordKnowledge(docs, deletes)
}

// write hands a batch to bleve, which writes it to disk in the background
// (writers run with unsafe_batch): the next batch's segment is built
// meanwhile. Commit and Close wait for every batch to be on disk (its
// persisted callback), or for the first failure, before they publish.
func (ix *Index) write(bi bleve.Index, b *bleve.Batch) error {
	t := ix.w.t
	// bleve holds a batch in memory until it is persisted: a writer
	// faster than the disk waits here rather than grow
	if err := t.waitBelow(maxPending * ix.meta.Shards); err != nil {
		return fmt.Errorf("write to disk: %w", err)
	}
	ix.w.dirty.Store(true)
	t.add()
	b.SetPersistedCallback(func(err error) { t.done(err) })
	if err := bi.Batch(b); err != nil {
		t.done(nil) // bleve refused it: no callback will come
		return err
	}
	if err := t.Err(); err != nil {
		return fmt.Errorf("write to disk: %w", err)
	}
	return nil
}

// Add analyses and writes articles, using all cores.
func (ix *Index) Add(ctx context.Context, articles ...Article) error {
	docs := make([]*Doc, len(articles))
	errs := make([]error, len(articles))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(articles)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				docs[i], errs[i] = ix.Prepare(articles[i])
			}
		}()
	}
	for i := range articles {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return ix.Apply(ctx, docs, nil)
}

// Delete removes articles by ID.
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	return ix.Apply(ctx, nil, ids)
}

// Commit publishes everything written so far to readers (for a rebuild:
// records a checkpoint that a later writer resumes, without publishing),
// and goes on writing in a new generation. Close commits too. After a
// failed Commit the Index is closed: its methods return the error.
func (ix *Index) Commit() error {
	if ix.readOnly {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, err := ix.live(); err != nil {
		return err
	}
	if err := ix.finish(false, ix.w.rebuild); err != nil {
		return err
	}
	if err := ix.continueFrom(ix.gen, ix.w.bulk); err != nil {
		ix.broken = fmt.Errorf("%w: commit: %w", ErrClosed, err)
		return err
	}
	return nil
}

// Close commits (when open for writing) and releases the index: a rebuild
// becomes the live index.
func (ix *Index) Close() error { return ix.close(false) }

// Suspend closes a writer without finishing its work: what was written is
// kept for the next writer to go on from, without the final merge, and a
// rebuild is not published (a later writer opened with Rebuild resumes it).
// For a writer asked to stop.
func (ix *Index) Suspend() error { return ix.close(true) }

func (ix *Index) close(suspend bool) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.readOnly {
		err := closeShards(ix.shards)
		ix.shards = nil
		ix.pin.Unpin()
		return err
	}
	defer ix.lock.Unlock()
	if ix.shards == nil {
		return nil // closed already, or a failed Commit closed it
	}
	if !ix.w.dirty.Load() && !ix.w.bulk {
		// nothing written: the live generation stays, no reader reopens
		err := closeShards(ix.shards)
		ix.shards = nil
		_ = ix.st.Remove(ix.gen)
		return err
	}
	checkpoint := suspend && ix.w.rebuild
	merge := !suspend && !ix.w.skipMerge.Load()
	ix.w.suspended, ix.w.closing = suspend, true
	return ix.finish(merge, checkpoint)
}

// finish ends the writer's generation: every batch on disk, the segments
// merged (when merge is set and worth it), the shards closed, segments no
// snapshot uses removed, the sources and stamps written, and the
// generation published (or, with checkpoint, recorded as the rebuild's
// checkpoint). The shards are closed whatever happens; on failure the
// generation is removed and the Index is broken with the error.
func (ix *Index) finish(merge, checkpoint bool) (err error) {
	shards := ix.shards
	ix.shards = nil
	defer func() {
		if err != nil {
			_ = closeShards(shards)
			_ = ix.st.Remove(ix.gen)
			err = ix.diskError(err)
			ix.broken = fmt.Errorf("%w: %w", ErrClosed, err)
		}
	}()
	t := ix.w.t
	if err := t.wait(); err != nil {
		return fmt.Errorf("write to disk: %w", err)
	}
	if merge {
		if err := ix.compact(shards); err != nil {
			return err
		}
	}
	if err := ix.writeGenStats(shards); err != nil {
		return err
	}
	if err := closeShards(shards); err != nil {
		return err
	}
	for _, s := range shards {
		if err := tidy(s.path); err != nil {
			return err
		}
	}
	if err := ix.saveSources(); err != nil {
		return err
	}
	if err := ix.saveKnowledge(ix.w.closing && !ix.w.suspended); err != nil {
		return err
	}
	if err := ix.st.WriteStamps(ix.gen); err != nil {
		return err
	}
	if checkpoint {
		err = ix.st.Checkpoint(ix.gen)
	} else if err = ix.st.Publish(ix.gen); err == nil && (ix.w.rebuild || !ix.w.suspended) {
		// a rebuild is done; or a complete update was published over a
		// stopped rebuild, whose checkpoint would keep its disk space for
		// ever: asked again, the rebuild starts over
		err = ix.st.DropRebuild()
	}
	if err != nil {
		return err
	}
	ix.st.Collect(ix.gen)
	return nil
}

// compact merges each shard's segments before the generation is
// published: the small ones into as few as fit under maxSegmentDocs for a
// generation built from empty (fewer segments are smaller and faster to
// search), by bleve's tiered plan for an update. Shards are merged in parallel, as
// many at a time as there are cores; a failure is the writer's failure.
func (ix *Index) compact(shards []*shard) error {
	plan := mergeTiers
	if ix.w.bulk {
		plan = mergeSmall
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, s := range shards {
		if segmentCount(s.bi) <= 1 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := forceMerge(s.bi, plan, ix.w.t); err != nil {
				errs[i] = fmt.Errorf("merge %s: %w", s.path, err)
				return
			}
			errs[i] = ix.sync(s.bi)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// sync waits until everything a shard holds, a merge included, is on disk:
// a last batch (a timestamp in the shard's internal storage) is persisted
// only after what came before it.
func (ix *Index) sync(bi bleve.Index) error {
	b := bi.NewBatch()
	b.SetInternal([]byte("newsearch:written"), []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	if err := ix.write(bi, b); err != nil {
		return err
	}
	return ix.w.t.wait()
}

// SkipMerge makes Close publish without merging the segments into one:
// quicker, and the index a little larger until a later writer merges.
func (ix *Index) SkipMerge() { ix.w.skipMerge.Store(true) }
