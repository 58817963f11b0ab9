package analyzer

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ikawaha/kagome/v2/tokenizer"
)

// corpusDir is the shared livedoor corpus, present on the development
// machines and absent in CI: benchmarks over it skip without it.
const corpusDir = "../../shared/corpus/ldcc"

// benchTexts returns up to maxBytes of article text from dir, in a stable
// order.
func benchTexts(tb testing.TB, pattern string, maxBytes int) []string {
	files, _ := filepath.Glob(pattern)
	sort.Strings(files)
	var out []string
	total := 0
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasPrefix(base, "LICENSE") || base == "README.txt" || base == "CHANGES.txt" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		out = append(out, string(b))
		if total += len(b); total >= maxBytes {
			break
		}
	}
	if len(out) == 0 {
		tb.Skipf("no texts at %s", pattern)
	}
	return out
}

func bytesOf(texts []string) int64 {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return int64(n)
}

// benchmarkSets are the texts benchmarks run over: about 1 MB of the
// livedoor corpus (every category), and this project's sample articles.
func benchmarkSets(b *testing.B) map[string][]string {
	sets := map[string][]string{}
	if _, err := os.Stat(corpusDir); err == nil {
		var texts []string
		dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
		for _, d := range dirs {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				texts = append(texts, benchTexts(b, filepath.Join(d, "*.txt"), 128<<10)...)
			}
		}
		sets["ldcc"] = texts
	}
	sets["testdata"] = benchTexts(b, "../testdata/articles/*/*", 1<<20)
	return sets
}

func runBench(b *testing.B, f func(string)) {
	for name, texts := range benchmarkSets(b) {
		b.Run(name, func(b *testing.B) {
			for _, t := range texts { // warm up: dictionary, caches
				f(t)
			}
			b.SetBytes(bytesOf(texts))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for _, t := range texts {
					f(t)
				}
			}
		})
	}
}

// BenchmarkKagome is the baseline: raw kagome (IPA, normal mode) over the
// same text, without normalisation.
func BenchmarkKagome(b *testing.B) {
	tk, err := tokenizer.New(systemDictionary().kagome, tokenizer.OmitBosEos())
	if err != nil {
		b.Fatal(err)
	}
	runBench(b, func(s string) { tk.Analyze(s, tokenizer.Normal) })
}

// BenchmarkKagomeSearch is raw kagome in search mode.
func BenchmarkKagomeSearch(b *testing.B) {
	tk, err := tokenizer.New(systemDictionary().kagome, tokenizer.OmitBosEos())
	if err != nil {
		b.Fatal(err)
	}
	runBench(b, func(s string) { tk.Analyze(s, tokenizer.Search) })
}

// BenchmarkWords is the word analysis, normalisation included.
func BenchmarkWords(b *testing.B) {
	a := Default()
	runBench(b, func(s string) { a.Words(s) })
}

// BenchmarkGrams is the recall analysis.
func BenchmarkGrams(b *testing.B) {
	a := Default()
	runBench(b, func(s string) { a.Grams(s) })
}

// BenchmarkAnalyze is both analyses from one kagome pass, as indexing does.
func BenchmarkAnalyze(b *testing.B) {
	a := Default()
	runBench(b, func(s string) { a.Analyze(s) })
}

// BenchmarkNormalize is the normalisation with its offset map alone.
func BenchmarkNormalize(b *testing.B) {
	var n normText
	runBench(b, func(s string) { n.normalize(s) })
}

// BenchmarkWorstCase is a long line of one script without punctuation:
// kagome sees it in bounded chunks.
func BenchmarkWorstCase(b *testing.B) {
	a := Default()
	text := strings.Repeat("あいうえおかきくけこ漢字カタカナ", 8<<10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for range b.N {
		a.Analyze(text)
	}
}
