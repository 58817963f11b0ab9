package index

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/newsearch/newsearch/internal/reader"
)

// BenchmarkPrepareLearn measures what learning from the articles (aliases,
// name readings, signatures: knowledge.go) adds to preparing them, the
// CPU-heavy part of indexing: Prepare with and without it over the same
// articles of the livedoor corpus (../shared/corpus/ldcc; skipped without
// it). Compare the two with benchstat:
//
//	go test ./index -run '^$' -bench PrepareLearn -count 6 | tee /tmp/learn.txt
func BenchmarkPrepareLearn(b *testing.B) {
	dir := os.Getenv("SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "corpus", "ldcc", "*", "*-*.txt"))
	if len(paths) == 0 {
		b.Skip("no livedoor corpus under", dir)
	}
	sort.Strings(paths)
	var arts []Article
	for i := 0; i < len(paths); i += len(paths) / 300 {
		raw, err := os.ReadFile(paths[i])
		if err != nil {
			b.Fatal(err)
		}
		as, err := reader.Parse(paths[i], raw)
		if err != nil {
			continue
		}
		arts = append(arts, Article{ID: paths[i], Title: as[0].Title, Body: as[0].Body})
	}
	ix, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Prepare(arts[0]); err != nil { // the dictionary, loaded
		b.Fatal(err)
	}
	for _, learn := range []bool{false, true} {
		name := "without"
		if learn {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			benchNoLearn = !learn
			defer func() { benchNoLearn = false }()
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range arts {
					if _, err := ix.Prepare(a); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
