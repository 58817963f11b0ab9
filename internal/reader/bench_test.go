package reader

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse measures Parse on one fixture of each format, and on the
// non-UTF-8 ones, which are decoded twice for detection.
func BenchmarkParse(b *testing.B) {
	for _, c := range []string{
		"txt/urldate/article.txt",
		"md/frontmatter/article.md",
		"json/array/articles.json",
		"jsonl/badline/articles.jsonl",
		"html/article/article.html",
		"enc/sjis/article.txt",
		"enc/eucjphtml/article.html",
	} {
		data, err := os.ReadFile(filepath.Join(testdata, c))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				_, _ = Parse(filepath.Base(c), data)
			}
		})
	}
}
