package dictfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ikawaha/kagome-dict/ipa"
)

// damage describes a way a prepared file can go wrong and the error Open
// must give for it.
type damage struct {
	name string
	want error
	do   func(t *testing.T, data []byte) []byte
}

func flip(at func(data []byte) int) func(*testing.T, []byte) []byte {
	return func(_ *testing.T, data []byte) []byte {
		data[at(data)] ^= 0x20
		return data
	}
}

// sectionByte returns the offset of the middle byte of section i.
func sectionByte(i int) func(data []byte) int {
	return func(data []byte) int {
		srcLen := int(binary.LittleEndian.Uint32(data[28:]))
		e := alignUp(headerSize+srcLen) + i*tableEntry
		off, n := binary.LittleEndian.Uint64(data[e:]), binary.LittleEndian.Uint64(data[e+8:])
		return int(off + n/2)
	}
}

func damages() []damage {
	ds := []damage{
		{"empty", ErrTruncated, func(_ *testing.T, _ []byte) []byte { return nil }},
		{"cut in the header", ErrTruncated, func(_ *testing.T, d []byte) []byte { return d[:20] }},
		{"cut in half", ErrTruncated, func(_ *testing.T, d []byte) []byte { return d[:len(d)/2] }},
		{"last byte missing", ErrTruncated, func(_ *testing.T, d []byte) []byte { return d[:len(d)-1] }},
		{"byte appended", ErrCorrupt, func(_ *testing.T, d []byte) []byte { return append(d, 0) }},
		{"not a dictionary", ErrCorrupt, func(_ *testing.T, _ []byte) []byte {
			return bytes.Repeat([]byte("東京都の天気は晴れ。"), 100)
		}},
		{"bad magic", ErrCorrupt, flip(func([]byte) int { return 2 })},
		{"older version", ErrVersion, func(_ *testing.T, d []byte) []byte {
			binary.LittleEndian.PutUint32(d[8:], Version-1)
			return d
		}},
		{"newer version", ErrVersion, func(_ *testing.T, d []byte) []byte {
			binary.LittleEndian.PutUint32(d[8:], Version+1)
			return d
		}},
		{"header checksum", ErrCorrupt, flip(func([]byte) int { return 13 })},
		{"size field", ErrTruncated, flip(func([]byte) int { return 20 })},
		{"byte in source", ErrSource, flip(func([]byte) int { return headerSize + 3 })},
		{"other source", ErrSource, func(t *testing.T, _ []byte) []byte {
			var b bytes.Buffer
			if err := build(ipa.Dict(), "github.com/ikawaha/kagome-dict/ipa@v0.0.0", &b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}},
		{"byte in section table", ErrCorrupt, flip(func(d []byte) int {
			return alignUp(headerSize+int(binary.LittleEndian.Uint32(d[28:]))) + 5
		})},
		{"last byte", ErrCorrupt, flip(func(d []byte) int { return len(d) - 1 })},
	}
	for i := range numSections {
		ds = append(ds, damage{"byte in " + sectionNames[i], ErrCorrupt, flip(sectionByte(i))})
	}
	return ds
}

// TestOpenRejectsDamage requires every kind of damage to be reported as
// such, naming the file.
func TestOpenRejectsDamage(t *testing.T) {
	_, valid := preparedFile(t)
	dir := t.TempDir()
	for _, dm := range damages() {
		t.Run(dm.name, func(t *testing.T) {
			path := filepath.Join(dir, "damaged.dict")
			if err := os.WriteFile(path, dm.do(t, bytes.Clone(valid)), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := Open(path)
			if err == nil {
				d.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if !errors.Is(err, dm.want) {
				t.Errorf("Open error %q, want %q", err, dm.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("Open error %q does not name the file", err)
			}
		})
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "none.dict"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want os.ErrNotExist", err)
	}
}

// TestOpenIPARebuilds checks that OpenIPA builds a missing file, reuses a
// good one and replaces a damaged one.
func TestOpenIPARebuilds(t *testing.T) {
	dir := t.TempDir()
	open := func(t *testing.T, wantBuilt bool) string {
		t.Helper()
		d, built, err := OpenIPA(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if built != wantBuilt {
			t.Errorf("built = %v, want %v", built, wantBuilt)
		}
		if got, want := d.BaseForm(1), ContentsBaseForm(ipa.Dict(), 1); got != want {
			t.Errorf("BaseForm(1) = %q, want %q", got, want)
		}
		checkOnlyFile(t, dir, d.Path())
		return d.Path()
	}
	path := open(t, true)
	open(t, false)
	if filepath.Base(path) != FileName(mustSource(t)) {
		t.Errorf("file %s, want %s", path, FileName(mustSource(t)))
	}
	for _, dm := range damages() {
		switch dm.name {
		case "empty", "last byte missing", "older version", "other source", "byte in double array", "byte in misc":
		default:
			continue // TestOpenRejectsDamage covers the rest
		}
		t.Run(dm.name, func(t *testing.T) {
			valid, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, dm.do(t, valid), 0o644); err != nil {
				t.Fatal(err)
			}
			open(t, true)
		})
	}
}

func mustSource(t *testing.T) string {
	t.Helper()
	src, err := Source()
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// checkOnlyFile requires dir to hold the prepared file path and nothing
// else: no temporary file left behind.
func checkOnlyFile(t *testing.T, dir, path string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != filepath.Base(path) {
		t.Errorf("cache directory holds %q, want only %q", names, filepath.Base(path))
	}
}

// TestOpenIPAConcurrent builds from several goroutines at once: all succeed
// and one valid file remains.
func TestOpenIPAConcurrent(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	paths := make([]string, 4)
	errs := make([]error, len(paths))
	for i := range paths {
		wg.Go(func() {
			var d *Dict
			d, _, errs[i] = OpenIPA(dir)
			if errs[i] == nil {
				paths[i] = d.Path()
				errs[i] = d.Close()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	checkOnlyFile(t, dir, paths[0])
	d, err := Open(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
}

// TestOpenDuringRebuild opens the file while it is rebuilt again and again:
// every Open sees a whole file.
func TestOpenDuringRebuild(t *testing.T) {
	dir := t.TempDir()
	path, err := Prepared(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := mustSource(t)
	done := make(chan struct{})
	var werr error
	go func() {
		defer close(done)
		for range 3 {
			if werr = writeFile(path, ipa.Dict(), src); werr != nil {
				return
			}
		}
	}()
	opens := 0
	for running := true; running; opens++ {
		select {
		case <-done:
			running = false
		default:
		}
		d, err := Open(path)
		if err != nil {
			t.Fatalf("Open during rebuild: %v", err)
		}
		d.Close()
	}
	if werr != nil {
		t.Fatal(werr)
	}
	checkOnlyFile(t, dir, path)
	t.Logf("%d opens during 3 rebuilds", opens)
}

// TestPreparedProcesses builds from two processes at once.
func TestPreparedProcesses(t *testing.T) {
	if dir := os.Getenv("DICTFILE_TEST_PREPARE"); dir != "" {
		// The child: build and report.
		path, err := Prepared(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("prepared", path)
		return
	}
	if testing.Short() {
		t.Skip("starts two processes that each load the embedded dictionary")
	}
	dir := t.TempDir()
	cmds := make([]*exec.Cmd, 2)
	outs := make([]bytes.Buffer, len(cmds))
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^TestPreparedProcesses$", "-test.v")
		cmds[i].Env = append(os.Environ(), "DICTFILE_TEST_PREPARE="+dir)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", i, err, outs[i].String())
		}
	}
	path := filepath.Join(dir, FileName(mustSource(t)))
	checkOnlyFile(t, dir, path)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
}

// TestOpenIPAUnwritable reports a cache directory that cannot be created.
func TestOpenIPAUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := OpenIPA(filepath.Join(file, "cache"))
	if !errors.Is(err, ErrCacheUnwritable) {
		t.Errorf("OpenIPA under a regular file: %v, want ErrCacheUnwritable", err)
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only directory is writable")
		return
	}
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenIPA(ro); !errors.Is(err, ErrCacheUnwritable) {
		t.Errorf("OpenIPA in a read-only directory: %v, want ErrCacheUnwritable", err)
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv(CacheDirEnv, "/some/where")
	if dir, err := CacheDir(); dir != "/some/where" || err != nil {
		t.Errorf("CacheDir() with %s set = %q, %v; want /some/where", CacheDirEnv, dir, err)
	}
	t.Setenv(CacheDirEnv, "")
	user, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	if dir, err := CacheDir(); dir != filepath.Join(user, "newsearch") || err != nil {
		t.Errorf("CacheDir() = %q, %v; want %q", dir, err, filepath.Join(user, "newsearch"))
	}
}

// TestOpenIPARemovesStaleTemps removes what a build that died left, but not
// a build in progress.
func TestOpenIPARemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, FileName(mustSource(t)))
	stale, fresh := base+".tmp123", base+".tmp456"
	for _, f := range []string{stale, fresh} {
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleAge)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	d, _, err := OpenIPA(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file: %v, want it removed", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temporary file: %v, want it kept", err)
	}
}
