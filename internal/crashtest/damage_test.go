package crashtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// damage is one way an index gets damaged on disk.
type damage struct {
	name string
	// harm damages the index at dir, whose live generation is gen.
	harm func(t *testing.T, dir, gen string)
	// names is what the error must mention: the file or the problem.
	names string
}

var damages = []damage{
	{"zap cut in half", eachZap(func(t *testing.T, z string) { truncate(t, z, 0.5) }), ".zap"},
	{"zap cut by its last byte", eachZap(func(t *testing.T, z string) { cutBytes(t, z, 1) }), ".zap"},
	{"zap empty", eachZap(func(t *testing.T, z string) { truncate(t, z, 0) }), ".zap"},
	{"zap with flipped bytes", eachZap(func(t *testing.T, z string) { flip(t, z, 0.1, 0.9, 1000) }), ".zap"},
	{"zap with one flipped byte", eachZap(func(t *testing.T, z string) { flip(t, z, 0.5, 0.5, 1) }), ".zap"},
	{"zap with a flipped footer", eachZap(func(t *testing.T, z string) { flipTail(t, z, 40) }), ".zap"},
	{"zap deleted", eachZap(remove), "segment"},
	{"newest zap deleted", func(t *testing.T, dir, gen string) {
		// bleve falls back to the snapshot before, if its segments are there
		zaps, _ := filepath.Glob(filepath.Join(dir, gen, "shard-*", "store", "*.zap"))
		sort.Strings(zaps)
		remove(t, zaps[len(zaps)-1])
	}, ".zap"},
	{"root.bolt cut in half", func(t *testing.T, dir, gen string) {
		truncate(t, filepath.Join(dir, gen, "shard-00", "store", "root.bolt"), 0.5)
	}, "root.bolt"},
	{"root.bolt empty", func(t *testing.T, dir, gen string) {
		truncate(t, filepath.Join(dir, gen, "shard-00", "store", "root.bolt"), 0)
	}, "root.bolt"},
	{"root.bolt with flipped bytes", func(t *testing.T, dir, gen string) {
		flip(t, filepath.Join(dir, gen, "shard-00", "store", "root.bolt"), 0, 1, 2000)
	}, "root.bolt"},
	{"root.bolt with flipped data pages", func(t *testing.T, dir, gen string) {
		bolt := filepath.Join(dir, gen, "shard-00", "store", "root.bolt")
		info, err := os.Stat(bolt)
		if err != nil {
			t.Fatal(err)
		}
		flip(t, bolt, 8192/float64(info.Size()), 1, 500) // past the two meta pages, which have checksums
	}, "root.bolt"},
	{"root.bolt deleted", func(t *testing.T, dir, gen string) {
		remove(t, filepath.Join(dir, gen, "shard-00", "store", "root.bolt"))
	}, "root.bolt"},
	{"index_meta.json deleted", func(t *testing.T, dir, gen string) { remove(t, filepath.Join(dir, gen, "shard-00", "index_meta.json")) }, "index_meta.json"},
	{"index_meta.json garbage", func(t *testing.T, dir, gen string) {
		write(t, filepath.Join(dir, gen, "shard-00", "index_meta.json"), "{\x00garbage")
	}, "index_meta.json"},
	{"generation deleted", func(t *testing.T, dir, gen string) {
		if err := os.RemoveAll(filepath.Join(dir, gen)); err != nil {
			t.Fatal(err)
		}
	}, "gen-"},
	{"CURRENT deleted", func(t *testing.T, dir, gen string) { remove(t, filepath.Join(dir, "CURRENT")) }, "CURRENT"},
	{"CURRENT empty", func(t *testing.T, dir, gen string) { write(t, filepath.Join(dir, "CURRENT"), "") }, "CURRENT"},
	{"CURRENT garbage", func(t *testing.T, dir, gen string) { write(t, filepath.Join(dir, "CURRENT"), "\xff\xfe garbage\n") }, "CURRENT"},
	{"CURRENT names a missing generation", func(t *testing.T, dir, gen string) { write(t, filepath.Join(dir, "CURRENT"), "gen-999999\n") }, "gen-999999"},
	{"newsearch.json deleted", func(t *testing.T, dir, gen string) { remove(t, filepath.Join(dir, gen, "newsearch.json")) }, "newsearch.json"},
	{"newsearch.json garbage", func(t *testing.T, dir, gen string) {
		write(t, filepath.Join(dir, gen, "newsearch.json"), "garbage\x00{")
	}, "newsearch.json"},
	{"newsearch.json empty", func(t *testing.T, dir, gen string) { write(t, filepath.Join(dir, gen, "newsearch.json"), "") }, "newsearch.json"},
	{"newsearch.json with another analysis", func(t *testing.T, dir, gen string) {
		editMeta(t, dir, gen, func(m map[string]any) { m["analysis"] = "v0/normal" })
	}, "analysis"},
	{"newsearch.json with another format", func(t *testing.T, dir, gen string) {
		editMeta(t, dir, gen, func(m map[string]any) { m["format"] = 99 })
	}, "format"},
	{"newsearch.json with an unknown mode", func(t *testing.T, dir, gen string) {
		editMeta(t, dir, gen, func(m map[string]any) { m["mode"] = "fast" })
	}, "mode"},
	{"newsearch.json with a wrong type", func(t *testing.T, dir, gen string) {
		editMeta(t, dir, gen, func(m map[string]any) { m["analysis"] = 1 })
	}, "newsearch.json"},
	{"user dictionary missing", func(t *testing.T, dir, gen string) {
		editMeta(t, dir, gen, func(m map[string]any) { m["user_dict"] = true })
	}, "userdict.csv"},
}

// TestDamagedIndex damages a copy of an index in each of many ways and
// checks that stats, query and index either answer right or fail with a
// message that names the damage and the fix (--rebuild), never with a
// panic or a wrong answer; and that index --rebuild recovers.
func TestDamagedIndex(t *testing.T) {
	t.Parallel()
	rng := newRand(seed(t))
	tmp := t.TempDir()
	corpusDir, pristine := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "pristine")
	if _, err := NewCorpus(corpusDir, rng.Uint64(), 40); err != nil {
		t.Fatal(err)
	}
	indexOK(t, "--index", pristine, "--batch-size", "10", corpusDir)
	want := wantState(t, corpusDir)
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	probe := ids[len(ids)/2]
	marker := markerRE.FindString(want[probe].Body)

	for _, d := range damages {
		t.Run(strings.ReplaceAll(d.name, " ", "_"), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			copyDir(t, pristine, dir)
			gen := strings.TrimSpace(read(t, filepath.Join(dir, "CURRENT")))
			d.harm(t, dir, gen)

			checkFails := func(what string, r result) {
				t.Helper()
				noPanic(t, what, r)
				t.Logf("%s: %s", what, strings.TrimSpace(r.stderr))
				if r.code != 1 || !strings.Contains(r.stderr, "newsearch: error: ") {
					t.Errorf("%s: want status 1 and an error: %v", what, r)
					return
				}
				if !strings.Contains(r.stderr, d.names) {
					t.Errorf("%s: the error does not name %q: %s", what, d.names, r.stderr)
				}
				if !strings.Contains(r.stderr, "hint: ") || !strings.Contains(r.stderr, "--rebuild") {
					t.Errorf("%s: no hint to rebuild: %s", what, r.stderr)
				}
			}

			r := cli(t, "stats", "--index", dir, "--json")
			if r.code == 0 {
				var st struct{ Articles int }
				if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Articles != len(want) {
					t.Errorf("stats on the damaged index answers %d articles (%v), want %d or an error: %v", st.Articles, err, len(want), r)
				}
			} else {
				checkFails("stats", r)
			}

			r = cli(t, "query", "--index", dir, "--json", marker)
			if r.code == 0 {
				var res struct{ Hits []struct{ ID string } }
				if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res.Hits) != 1 || res.Hits[0].ID != probe {
					t.Errorf("query %s on the damaged index answers %+v (%v), want %s alone or an error", marker, res.Hits, err, probe)
				}
			} else {
				checkFails("query", r)
			}

			r = cli(t, "index", "--index", dir, corpusDir)
			if r.code == 0 {
				mustMatch(t, dir, want, rng, "index over the damaged index")
			} else {
				checkFails("index", r)
			}

			indexOK(t, "--index", dir, "--rebuild", corpusDir)
			mustMatch(t, dir, want, rng, "index --rebuild")
		})
	}
}

// eachZap applies harm to every segment file of the live generation (a
// generation may hold segments its snapshot no longer uses).
func eachZap(harm func(t *testing.T, path string)) func(t *testing.T, dir, gen string) {
	return func(t *testing.T, dir, gen string) {
		t.Helper()
		zaps, err := filepath.Glob(filepath.Join(dir, gen, "shard-*", "store", "*.zap"))
		if err != nil || len(zaps) == 0 {
			t.Fatalf("no segment in %s (%v)", gen, err)
		}
		for _, z := range zaps {
			harm(t, z)
		}
	}
}

// unlinked gives path a file of its own: generations share segment files
// by hard links, and damage to one must not reach the pristine copy.
func unlinked(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	remove(t, path)
	return data
}

func truncate(t *testing.T, path string, frac float64) {
	t.Helper()
	data := unlinked(t, path)
	write(t, path, string(data[:int(float64(len(data))*frac)]))
}

func cutBytes(t *testing.T, path string, n int) {
	t.Helper()
	data := unlinked(t, path)
	write(t, path, string(data[:len(data)-n]))
}

// flip inverts n bytes spread evenly between the fractions from and to of
// the file.
func flip(t *testing.T, path string, from, to float64, n int) {
	t.Helper()
	data := unlinked(t, path)
	lo, hi := int(from*float64(len(data))), int(to*float64(len(data)))
	for i := range n {
		p := lo
		if n > 1 {
			p = lo + (hi-lo-1)*i/(n-1)
		}
		data[min(p, len(data)-1)] ^= 0xff
	}
	write(t, path, string(data))
}

func flipTail(t *testing.T, path string, n int) {
	t.Helper()
	data := unlinked(t, path)
	for i := len(data) - n; i < len(data); i++ {
		data[i] ^= 0x5a
	}
	write(t, path, string(data))
}

func editMeta(t *testing.T, dir, gen string, edit func(map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, gen, "newsearch.json")
	var m map[string]any
	if err := json.Unmarshal([]byte(read(t, path)), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, string(b))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the tree at src to dst, hard links included as copies.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
