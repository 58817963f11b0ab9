package bench

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	shared = "../../../shared"
	corpus = shared + "/corpus"
	peers  = shared + "/peers"
)

// binary builds newsearch once per test binary run.
func binary(b *testing.B) string {
	b.Helper()
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("no shared corpus at", corpus)
	}
	out := filepath.Join(b.TempDir(), "newsearch")
	cmd := exec.Command("go", "build", "-o", out, "../../cmd/newsearch")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, msg)
	}
	return out
}

// corpusArgs are the corpus paths as the evaluation indexes them: ldcc
// whole, and the seed article by itself (ID seed/NAME).
func corpusArgs(b *testing.B) []string {
	seed, _ := filepath.Glob(filepath.Join(corpus, "seed", "*.txt"))
	return append([]string{filepath.Join(corpus, "ldcc")}, seed...)
}

// rawBytes is the size of the article files indexed.
func rawBytes(paths []string) int64 {
	var n int64
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
				base := filepath.Base(path)
				if !strings.HasPrefix(base, "LICENSE") && base != "README.txt" && base != "CHANGES.txt" {
					if info, err := d.Info(); err == nil {
						n += info.Size()
					}
				}
			}
			return nil
		})
	}
	return n
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// timed runs a command and returns its wall time and peak RSS in MiB.
func timed(b *testing.B, name string, args ...string) (time.Duration, float64) {
	b.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
	}
	wall := time.Since(start)
	rss := 0.0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024
	}
	return wall, rss
}

// BenchmarkBuild indexes the whole corpus from scratch, then measures
// Groonga with MeCab on the same corpus when it is installed.
func BenchmarkBuild(b *testing.B) {
	bin := binary(b)
	args := corpusArgs(b)
	raw := rawBytes(args)
	for range b.N {
		dir := filepath.Join(b.TempDir(), "idx")
		wall, rss := timed(b, bin, append([]string{"index", "-q", "--index", dir}, args...)...)
		b.ReportMetric(wall.Seconds(), "s/build")
		b.ReportMetric(6498/wall.Seconds(), "articles/s")
		b.ReportMetric(rss, "MiB-peak-RSS")
		b.ReportMetric(float64(dirSize(dir))/float64(raw), "index/raw")
		if g := groongaBuild(b); g > 0 {
			b.ReportMetric(g.Seconds(), "s/groonga-mecab-build")
			b.ReportMetric(wall.Seconds()/g.Seconds(), "x-groonga-mecab")
		}
	}
}

// groongaBuild builds the corpus into Groonga with TokenMecab using the
// peers' script and returns the wall time of its load and index steps as
// the script records them in build.tsv (0 when Groonga is missing). The
// script's one-off conversion of the corpus to Groonga's load format is not
// counted: newsearch reads the files as they are.
func groongaBuild(b *testing.B) time.Duration {
	if _, err := exec.LookPath("groonga"); err != nil {
		b.Log("groonga not installed (../shared/peers/install.sh): no peer figure")
		return 0
	}
	cmd := exec.Command("bash", filepath.Join(peers, "build_groonga.sh"), "public", "TokenMecab")
	cmd.Env = append(os.Environ(), "QUIET_MAX=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Logf("build_groonga.sh: %v\n%s", err, out)
		return 0
	}
	raw, err := os.ReadFile("/tmp/newsearch-peers/results/build.tsv")
	if err != nil {
		b.Log(err)
		return 0
	}
	// the last load and index lines of groonga-mecab: dataset engine step wall ...
	var load, idx float64
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 4 || f[1] != "groonga-mecab" {
			continue
		}
		var w float64
		fmt.Sscan(f[3], &w)
		switch f[2] {
		case "load":
			load = w
		case "index":
			idx = w
		}
	}
	return time.Duration((load + idx) * float64(time.Second))
}

// median of durations.
func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// BenchmarkColdQuery starts `newsearch query 呉泳銘` as a new process, the
// way a person at a shell does, and Groonga's cold query (a new groonga
// process per query, as ../shared/peers/query.py --cold-query does),
// alternating, after a warm-up; it reports the medians of 15 runs each.
func BenchmarkColdQuery(b *testing.B) {
	bin := binary(b)
	dir := os.Getenv("NEWSEARCH_BENCH_INDEX")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "idx")
		timed(b, bin, append([]string{"index", "-q", "--index", dir}, corpusArgs(b)...)...)
	}
	db := "/tmp/newsearch-peers/public/groonga-mecab/db/docs.db"
	haveGroonga := false
	if _, err := exec.LookPath("groonga"); err == nil {
		if _, err := os.Stat(db); err == nil {
			haveGroonga = true
		}
	}
	ns := []string{"query", "呉泳銘", "--index", dir, "--facet", "none"}
	gq := []string{"--log-path", os.DevNull, db, `/d/select?table=Docs&match_columns=title,body&query=%22%E5%91%89%E6%B3%B3%E9%8A%98%22&output_columns=_key&limit=-1&cache=no`}
	for range 3 { // warm the page cache and the prepared dictionary
		timed(b, bin, ns...)
		if haveGroonga {
			timed(b, "groonga", gq...)
		}
	}
	for range b.N {
		var mine, theirs []time.Duration
		var rss []float64
		for range 15 {
			d, r := timed(b, bin, ns...)
			mine, rss = append(mine, d), append(rss, r)
			if haveGroonga {
				d, _ := timed(b, "groonga", gq...)
				theirs = append(theirs, d)
			}
		}
		sort.Float64s(rss)
		b.ReportMetric(float64(median(mine).Microseconds())/1000, "ms/newsearch-query")
		b.ReportMetric(rss[len(rss)-1], "MiB-max-RSS")
		if haveGroonga {
			m, g := median(mine), median(theirs)
			b.ReportMetric(float64(g.Microseconds())/1000, "ms/groonga-query")
			b.ReportMetric(float64(m)/float64(g), "x-groonga")
		} else {
			b.Log("no Groonga database at", db, "(../shared/peers/build_groonga.sh public TokenMecab): no peer figure")
		}
	}
}
