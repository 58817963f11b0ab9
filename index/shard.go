package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/newsearch/newsearch/internal/store"
)

// A generation holds its articles in shards: separate bleve indexes in
// shard-00, shard-01, ..., each article in the shard its ID hashes to. They
// are written in parallel and searched in parallel, and each is a fraction
// of the whole, so that merges and the memory they need stay bounded.

func shardName(i int) string { return fmt.Sprintf("shard-%02d", i) }

// shardOf returns the shard of an article ID (FNV-1a): a pure function of
// the ID, so an update or a delete goes where the article is.
func shardOf(id string, n int) int {
	if n == 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64() % uint64(n))
}

// shard is one bleve index of an open generation.
type shard struct {
	bi   bleve.Index
	path string
	// files are the shard's segment files and their sizes when published
	// (a reader's only): a reader checks them before it reads, since a
	// segment cut short under a memory map faults where no recover reaches
	files map[string]int64
	// cols are the facet columns of the segments searched (facetcols.go)
	cols *columnCache
}

// unchanged reports a segment file of the shard that is not as published.
func (s *shard) unchanged() error {
	for path, size := range s.files {
		info, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("%w: segment %s is gone after it was published (%v): run newsearch verify, or rebuild the index", ErrCorrupt, path, err)
		}
		if info.Size() != size {
			return fmt.Errorf("%w: segment %s changed after it was published (%d bytes, was %d): run newsearch verify, or rebuild the index", ErrCorrupt, path, info.Size(), size)
		}
	}
	return nil
}

// writerCallback is the name under which writers register for bleve's
// asynchronous errors: a failed persist or merge, which bleve otherwise
// retries for ever without telling anyone.
const writerCallback = "newsearch"

// trackers routes bleve's asynchronous errors, which name the path of the
// failing index's store (a shard's store/), to the writer of that path.
var trackers sync.Map // storePath of a shard -> *tracker

// storePath is the path bleve's scorch knows a shard by.
func storePath(shard string) string { return filepath.Join(filepath.Clean(shard), "store") }

func init() {
	scorch.RegistryAsyncErrorCallbacks[writerCallback] = func(err error, path string) {
		if t, ok := trackers.Load(filepath.Clean(path)); ok {
			t.(*tracker).fail(err)
		}
	}
}

// tracker follows a writer's batches until they are on disk, and its
// first failure. Waiting on it ends when enough batches are persisted or
// when anything fails: a full disk stops a writer instead of hanging it.
type tracker struct {
	mu      sync.Mutex
	changed *sync.Cond // on every batch persisted, and on failure
	pending int
	failed  chan struct{} // closed on the first failure
	err     error
}

func newTracker() *tracker {
	t := &tracker{failed: make(chan struct{})}
	t.changed = sync.NewCond(&t.mu)
	return t
}

func (t *tracker) add() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending++
}

func (t *tracker) done(err error) {
	if err != nil {
		t.fail(err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending--
	t.changed.Broadcast()
}

func (t *tracker) fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		t.err = err
		close(t.failed)
		t.changed.Broadcast()
	}
}

// Err returns the first failure.
func (t *tracker) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// waitBelow returns when fewer than n batches wait to be persisted, or at
// the first failure.
func (t *tracker) waitBelow(n int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.pending >= n && t.err == nil {
		t.changed.Wait()
	}
	return t.err
}

// wait returns when every batch is persisted, or at the first failure.
func (t *tracker) wait() error { return t.waitBelow(1) }

// maxSegmentDocs bounds the articles of a segment that merges make: a
// merge reads its segments whole through memory maps, so this bounds the
// memory a merge takes (about 10 KiB of index an article: 200 MB), and a
// build does not end with one merge as large as the index.
const maxSegmentDocs = 20_000

// writerConfig is bleve's configuration for a writer's shard. It merges in
// the background by bleve's tiers (ten segments of about the same size at
// a time), up to maxSegmentDocs: without merging, every batch looks its
// article IDs up in every segment (to replace older versions), and a large
// build slows down with each segment it adds.
func writerConfig() map[string]interface{} {
	return map[string]interface{}{
		"bolt_timeout":           "1s",
		"unsafe_batch":           true,
		"asyncErrorCallbackName": writerCallback,
		// read over bleve's defaults (mergeplan.DefaultMergePlanOptions)
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentSize": maxSegmentDocs},
	}
}

// createShards makes the empty shards of a new generation.
func createShards(dir string, n int, t *tracker) ([]*shard, error) {
	shards := make([]*shard, 0, n)
	for i := range n {
		path := filepath.Join(dir, shardName(i))
		trackers.Store(storePath(path), t)
		bi, err := bleve.NewUsing(path, newMapping(), scorch.Name, scorch.Name, writerConfig())
		if err != nil {
			closeShards(shards)
			return nil, err
		}
		shards = append(shards, &shard{bi: bi, path: path, cols: newColumnCache()})
	}
	return shards, nil
}

// openWriterShards opens the shards of a cloned generation for writing.
func openWriterShards(st *store.Store, gen string, n int, t *tracker) ([]*shard, error) {
	shards := make([]*shard, 0, n)
	for i := range n {
		path := st.Path(gen, shardName(i))
		trackers.Store(storePath(path), t)
		bi, err := openRecovered(path, writerConfig())
		if err != nil {
			closeShards(shards)
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, diagnose(st, gen, path, err))
		}
		shards = append(shards, &shard{bi: bi, path: path, cols: newColumnCache()})
	}
	return shards, nil
}

// closeShards closes every shard, and returns the first error.
func closeShards(shards []*shard) error {
	var first error
	for _, s := range shards {
		if s == nil || s.bi == nil {
			continue
		}
		if err := s.bi.Close(); err != nil && first == nil {
			first = err
		}
		trackers.Delete(storePath(s.path))
		s.bi = nil
	}
	return first
}

// openReaderShards opens the shards of a published generation for
// reading, checking each as openChecked does.
func openReaderShards(st *store.Store, gen string, n int) ([]*shard, error) {
	shards := make([]*shard, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	stamps := st.ReadStamps(gen)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := st.Path(gen, shardName(i))
			bi, err := openChecked(st, gen, path)
			shards[i], errs[i] = &shard{bi: bi, path: path, files: map[string]int64{}, cols: newColumnCache()}, err
			if err == nil {
				prefix := shardName(i) + "/"
				for rel, s := range stamps {
					if strings.HasPrefix(rel, prefix) && strings.HasSuffix(rel, ".zap") {
						shards[i].files[st.Path(gen, filepath.FromSlash(rel))] = s.Size
					}
				}
				errs[i] = warm(bi)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeShards(shards)
		return nil, err
	}
	return shards, nil
}

// warm reads once, while the files were just checked, what bleve computes
// on first use with goroutines of its own (where a fault in a damaged
// file could not be caught): the field lengths BM25 needs.
func warm(bi bleve.Index) error {
	s, err := scorchOf(bi)
	if err != nil || s == nil {
		return err
	}
	r, err := s.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	if br, ok := r.(interface{ FieldCardinality(string) (int, error) }); ok {
		for _, f := range []string{fieldTitle, fieldBody} {
			if _, err := br.FieldCardinality(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// openChecked opens a shard of a published generation read-only. bleve
// trusts its files: a damaged segment makes it panic, hang, fail with a
// message about something else, answer from bytes that are not what was
// written, or fall back to an older snapshot without a word. So root.bolt
// is checked against its recorded checksum before bleve maps it, a panic
// is an error, a failure names the damaged file where it can be found, and
// the newest snapshot must be the one opened, with segments that match the
// checksums zap wrote at their end (read whole only when a segment does not
// look as it did at publish).
func openChecked(st *store.Store, gen, path string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		return nil, err
	}
	stamps := st.ReadStamps(gen)
	if err := st.CheckRootBolt(gen, stamps, filepath.Join(path, "store", store.RootBolt)); err != nil {
		return nil, err
	}
	// a segment that does not look as it did at publish is checked whole
	// before bleve opens it: zap trusts the lengths it reads, and a
	// damaged one can make it allocate without bound, a fatal error no
	// recover catches
	zaps, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	for _, z := range zaps {
		if !st.Unchanged(gen, stamps, z) {
			if err := store.CheckSegment(z); err != nil {
				return nil, err
			}
		}
	}
	bi, err := openRecovered(path, map[string]interface{}{"bolt_timeout": "1s", "read_only": true})
	if err != nil {
		return nil, diagnose(st, gen, path, err)
	}
	if err := checkNewest(st, gen, path, bi, stamps); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return bi, nil
}

// diagnose looks for the damaged file of a shard that bleve failed to open
// with err, and returns an error that names it.
func diagnose(st *store.Store, gen, path string, err error) error {
	meta := filepath.Join(path, "index_meta.json")
	if b, rerr := os.ReadFile(meta); rerr == nil && !json.Valid(b) {
		return fmt.Errorf("%s is damaged: it is not JSON", meta)
	}
	bolt := filepath.Join(path, "store", store.RootBolt)
	switch info, serr := os.Stat(bolt); {
	case errors.Is(serr, fs.ErrNotExist):
		return fmt.Errorf("%s is missing", bolt)
	case serr == nil && info.Size() == 0:
		return fmt.Errorf("%s is damaged: it is empty", bolt)
	}
	prefix := shardNameOf(path) + "/store/"
	for rel := range st.ReadStamps(gen) {
		if strings.HasPrefix(rel, prefix) {
			if _, serr := os.Stat(st.Path(gen, filepath.FromSlash(rel))); errors.Is(serr, fs.ErrNotExist) {
				return fmt.Errorf("segment %s is missing", st.Path(gen, filepath.FromSlash(rel)))
			}
		}
	}
	zaps, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	for _, z := range zaps {
		if serr := store.CheckSegment(z); serr != nil {
			return serr
		}
	}
	msg, _, _ := strings.Cut(err.Error(), "\n") // bleve appends the whole mapping
	return fmt.Errorf("%s: %s (its store/root.bolt is damaged, or a segment it names is missing)", path, msg)
}

func shardNameOf(path string) string { return filepath.Base(path) }

func openRecovered(path string, cfg map[string]interface{}) (bi bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			bi, err = nil, fmt.Errorf("bleve failed on %s: %v", path, r)
		}
	}()
	return bleve.OpenUsing(path, cfg)
}

// checkNewest checks that the newest snapshot in the root.bolt of the shard
// at path loads (if it does, bleve opened it) and that its segment files
// match their checksums.
func checkNewest(st *store.Store, gen, path string, bi bleve.Index, stamps store.Stamps) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bleve failed on %s: %v", path, r)
		}
	}()
	s, err := scorchOf(bi)
	if err != nil || s == nil {
		return err
	}
	epochs, err := s.RootBoltSnapshotEpochs() // newest first
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if len(epochs) == 0 {
		return nil // nothing written yet
	}
	snap, err := s.LoadSnapshot(epochs[0])
	if err != nil {
		return fmt.Errorf("%s: its newest snapshot does not load: %v", path, err)
	}
	defer snap.Close()
	for _, seg := range snap.Segments() {
		if f, ok := seg.Segment().(interface{ Path() string }); ok {
			if st.Unchanged(gen, stamps, f.Path()) {
				continue
			}
			if err := store.CheckSegment(f.Path()); err != nil {
				return err
			}
		}
	}
	return nil
}

func scorchOf(bi bleve.Index) (*scorch.Scorch, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	s, _ := adv.(*scorch.Scorch)
	return s, nil
}

// tidy removes the segment files a closed shard no longer uses: bleve
// keeps older snapshots' segments until its persister gets round to them,
// which a closing writer does not wait for. Only the newest snapshot is
// ever opened, so what it does not use goes: the shard is opened
// read-only to see which those are.
func tidy(path string) error {
	bi, err := openRecovered(path, map[string]interface{}{"read_only": true})
	if err != nil {
		return err
	}
	live := map[string]bool{}
	if s, err := scorchOf(bi); err == nil && s != nil {
		if r, err := s.Reader(); err == nil {
			if snap, ok := r.(*scorch.IndexSnapshot); ok {
				for _, seg := range snap.Segments() {
					if f, ok := seg.Segment().(interface{ Path() string }); ok {
						live[filepath.Base(f.Path())] = true
					}
				}
			}
			_ = r.Close()
		}
	}
	if err := bi.Close(); err != nil {
		return err
	}
	if len(live) == 0 {
		return nil // nothing known to be live: remove nothing
	}
	dir := filepath.Join(path, "store")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") && !live[e.Name()] {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

func segmentCount(bi bleve.Index) int {
	s, err := scorchOf(bi)
	if err != nil || s == nil {
		return 0
	}
	r, err := s.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return len(snap.Segments())
	}
	return 0
}

// bleveMergeDoneKey is the context key under which bleve's merger reports
// the outcome of a forced merge (scorch.mergeDoneKey, unexported). Without
// it, a failed forced merge is retried for ever; the tracker's failure (the
// same error, through the async error callback) ends the wait either way,
// and TestMergeDoneKey fails when bleve stops honouring the key.
const bleveMergeDoneKey = "mergeDone"

// forceMerge merges a shard's segments by plan and waits for the outcome
// or for the writer's first failure.
func forceMerge(bi bleve.Index, plan mergeplan.MergePlanOptions, t *tracker) error {
	s, err := scorchOf(bi)
	if err != nil || s == nil {
		return err
	}
	done := make(chan error, 1)
	//lint:ignore SA1029 the key is bleve's, a plain string
	ctx := context.WithValue(context.Background(), bleveMergeDoneKey, done)
	go func() { _ = s.ForceMerge(ctx, &plan) }()
	select {
	case err := <-done:
		return err
	case <-t.failed:
		return t.Err()
	}
}

// mergeTiers is bleve's tiered plan with segments up to maxSegmentDocs.
var mergeTiers = func() mergeplan.MergePlanOptions {
	p := mergeplan.DefaultMergePlanOptions
	p.MaxSegmentSize = maxSegmentDocs
	return p
}()

// mergeSmall merges every segment of less than half maxSegmentDocs into as
// few as fit under it: what a build from empty does at the end, so that
// its shards are a few large segments (one, below maxSegmentDocs
// articles).
var mergeSmall = func() mergeplan.MergePlanOptions {
	p := mergeplan.SingleSegmentMergePlanOptions
	p.SegmentsPerMergeTask = 1 << 20
	p.MaxSegmentSize = maxSegmentDocs
	return p
}()
