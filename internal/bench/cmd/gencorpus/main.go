// Command gencorpus writes a synthetic Japanese news corpus for newsearch's
// scale benchmarks, built at run time from the livedoor corpus (see package
// corpusgen for how), and reports its vocabulary growth.
//
// From the repository's root:
//
//	go run ./internal/bench/cmd/gencorpus -n 100000 -seed 1 -out /tmp/corpus/gen-100k.jsonl
//	go run ./internal/bench/cmd/gencorpus -n 1000 -from 100000 -out /tmp/corpus/gen-next-1k.jsonl
//	go run ./internal/bench/cmd/gencorpus -n 10000 -files /tmp/corpus/gen-10k-parts   # part-NNNNNN.jsonl, 1,000 lines each
//	go run ./internal/bench/cmd/gencorpus -n 10000 -files /tmp/corpus/gen-10k-txt -files-format txt
//	go run ./internal/bench/cmd/gencorpus -vocab -n 100000     # vocabulary growth, generated vs real
//
// The corpus is read from ../shared/corpus/ldcc ($SHARED/corpus/ldcc when
// SHARED is set, or -corpus DIR) in about 10 s (kagome over 22 MB); memory
// stays near 350 MB whatever -n.
//
// Beside FILE.jsonl it writes FILE.needles.json (beside DIR: DIR.needles.json):
// each needle word and the sorted IDs of the articles that carry it. The
// same -seed and -n give byte-identical output; a larger -n gives the same
// first articles, and -from K starts at article K, so -n 1000 -from 100000
// is the 1,000 articles that follow the 100k corpus.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsearch/newsearch/internal/bench/corpusgen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus: error:", err)
		var h hinted
		if errors.As(err, &h) {
			fmt.Fprintln(os.Stderr, "hint:", h.hint)
		}
		os.Exit(2)
	}
}

type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string { return h.err.Error() }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 0, "number of articles")
	from := fs.Int("from", 0, "index of the first article (to extend a corpus)")
	seed := fs.Uint64("seed", 1, "seed: the same seed and -n give the same bytes")
	out := fs.String("out", "", "JSON Lines file to write")
	files := fs.String("files", "", "also write the articles as files in this folder")
	filesFormat := fs.String("files-format", "jsonl", "format of -files: jsonl (1,000 articles a file) or txt (livedoor, one a file)")
	perFile := fs.Int("per-file", 1000, "articles per file with -files-format jsonl")
	defCorpus := "../shared/corpus/ldcc"
	if sh := os.Getenv("SHARED"); sh != "" {
		defCorpus = filepath.Join(sh, "corpus", "ldcc")
	}
	corpus := fs.String("corpus", defCorpus, "the livedoor corpus folder (ldcc); default $SHARED/corpus/ldcc when SHARED is set")
	workers := fs.Int("workers", 2, "goroutines generating (or tokenising) articles")
	vocab := fs.Bool("vocab", false, "print the vocabulary growth of the first -n generated articles and of the real corpus instead of writing")
	quiet := fs.Bool("q", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return hinted{fmt.Errorf("unexpected argument %q", fs.Arg(0)), "flags only; see gencorpus -h"}
	}
	if *n <= 0 {
		return hinted{fmt.Errorf("-n %d: want the number of articles, at least 1", *n), "e.g. -n 100000"}
	}
	if !*vocab && *out == "" && *files == "" {
		return hinted{errors.New("nowhere to write"), "give -out FILE.jsonl and/or -files DIR (or -vocab for the report)"}
	}
	if *filesFormat != "jsonl" && *filesFormat != "txt" {
		return hinted{fmt.Errorf("-files-format %q", *filesFormat), "want jsonl or txt"}
	}
	t0 := time.Now()
	src, err := corpusgen.Load(*corpus, corpusgen.LoadOptions{Workers: *workers})
	if err != nil {
		return hinted{err, "run from the repository's root with ../shared beside it, or give -corpus PATH/TO/ldcc"}
	}
	st := src.Stats()
	if !*quiet {
		fmt.Fprintf(stderr, "gencorpus: corpus %s: %d articles, %d categories, %d sentences, %d name slots, read in %.1fs\n",
			st.Dir, st.Articles, len(st.Categories), st.Sentences, st.Slots, time.Since(t0).Seconds())
	}
	g := corpusgen.New(src, corpusgen.Config{Seed: *seed})
	if *vocab {
		return vocabReport(stdout, src, g, *n, *seed, *workers)
	}

	o := corpusgen.Output{Dir: *files, DirFormat: *filesFormat, PerFile: *perFile, Workers: *workers}
	var f *os.File
	tmp := ""
	if *out != "" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			return err
		}
		tmp = *out + ".tmp"
		if f, err = os.Create(tmp); err != nil {
			return err
		}
		defer os.Remove(tmp)
		o.JSONL = f
	}
	t1 := time.Now()
	last := t1
	if !*quiet {
		o.Progress = func(done int) {
			if time.Since(last) >= 5*time.Second {
				last = time.Now()
				el := time.Since(t1).Seconds()
				fmt.Fprintf(stderr, "gencorpus: %d/%d articles, %.0f/s\n", done, *n, float64(done)/el)
			}
		}
	}
	man, sum, err := g.Write(o, *from, *n)
	if err != nil {
		return err
	}
	el := time.Since(t1).Seconds()
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp, *out); err != nil {
			return err
		}
	}
	var mans []string
	if *out != "" {
		mans = append(mans, strings.TrimSuffix(*out, ".jsonl")+".needles.json")
	}
	if *files != "" {
		mans = append(mans, strings.TrimRight(*files, "/")+".needles.json")
	}
	for _, p := range mans {
		mf, err := os.Create(p)
		if err != nil {
			return err
		}
		if _, err := man.WriteTo(mf); err != nil {
			mf.Close()
			return err
		}
		if err := mf.Close(); err != nil {
			return err
		}
	}
	if !*quiet {
		mb := float64(sum.JSONBytes) / 1e6
		fmt.Fprintf(stderr, "gencorpus: %d articles (%d..%d), %.1f MB JSON Lines, %.1f MB title+body text, in %.1fs: %.0f articles/s, %.1f MB/s; %d drawn again to keep needle words out; needles: %s\n",
			sum.Articles, *from, *from+*n-1, mb, float64(sum.TextBytes)/1e6, el, float64(sum.Articles)/el, mb/el, sum.Redrawn, strings.Join(mans, ", "))
	}
	return nil
}

// vocabReport prints the vocabulary growth of the first n generated
// articles and of the real corpus, with the Heaps exponents.
func vocabReport(w io.Writer, src *corpusgen.Source, g *corpusgen.Generator, n int, seed uint64, workers int) error {
	at := []int{1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000, 2000000, 5000000, 10000000}
	var genAt []int
	for _, a := range at {
		if a < n {
			genAt = append(genAt, a)
		}
	}
	genAt = append(genAt, n)
	minted := map[string]bool{}
	var mintedAt []int
	gen, err := corpusgen.VocabCurve(func(i int) (string, error) {
		a, err := g.Article(i)
		if err != nil {
			return "", err
		}
		return a.Title + "\n" + a.Body, nil
	}, n, genAt, workers)
	if err != nil {
		return err
	}
	// minted names and lengths, counted apart: cheap, no tokenising
	next := 0
	var genBody, genTitle []int
	for i := 0; i < n && next < len(genAt); i++ {
		a, err := g.Article(i)
		if err != nil {
			return err
		}
		for _, m := range a.Minted {
			minted[m] = true
		}
		genBody = append(genBody, utf8.RuneCountInString(a.Body))
		genTitle = append(genTitle, utf8.RuneCountInString(a.Title))
		if i+1 == genAt[next] {
			mintedAt = append(mintedAt, len(minted))
			next++
		}
	}

	var texts []string
	var realBody, realTitle []int
	if err := src.Articles(seed, func(title, body string) {
		texts = append(texts, title+"\n"+body)
		realBody = append(realBody, utf8.RuneCountInString(body))
		realTitle = append(realTitle, utf8.RuneCountInString(title))
	}); err != nil {
		return err
	}
	var realAt []int
	for _, a := range at {
		if a < len(texts) {
			realAt = append(realAt, a)
		}
	}
	realAt = append(realAt, len(texts))
	real, err := corpusgen.VocabCurve(func(i int) (string, error) { return texts[i], nil }, len(texts), realAt, workers)
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "# words: distinct kagome IPA content words (nouns but numbers/pronouns/suffixes, verb and adjective base forms, adverbs, unknown words), NFKC, lower case\n")
	fmt.Fprintf(w, "# proper: of which 名詞,固有名詞 or unknown to the dictionary; minted: distinct new names the generator wrote\n")
	fmt.Fprintf(w, "| N | generated words | generated proper | minted names | real words | real proper |\n|---:|---:|---:|---:|---:|---:|\n")
	ri := 0
	for i, p := range gen {
		rw, rp := "", ""
		for ri < len(real) && real[ri].N < p.N {
			fmt.Fprintf(w, "| %d | | | | %d | %d |\n", real[ri].N, real[ri].Words, real[ri].Proper)
			ri++
		}
		if ri < len(real) && real[ri].N == p.N {
			rw, rp = fmt.Sprint(real[ri].Words), fmt.Sprint(real[ri].Proper)
			ri++
		}
		fmt.Fprintf(w, "| %d | %d | %d | %d | %s | %s |\n", p.N, p.Words, p.Proper, mintedAt[i], rw, rp)
	}
	for ; ri < len(real); ri++ {
		fmt.Fprintf(w, "| %d | | | | %d | %d |\n", real[ri].N, real[ri].Words, real[ri].Proper)
	}
	words := func(p corpusgen.VocabPoint) int { return p.Words }
	proper := func(p corpusgen.VocabPoint) int { return p.Proper }
	upTo := func(ps []corpusgen.VocabPoint, max int) []corpusgen.VocabPoint {
		var out []corpusgen.VocabPoint
		for _, p := range ps {
			if p.N <= max {
				out = append(out, p)
			}
		}
		return out
	}
	maxReal := real[len(real)-1].N
	fmt.Fprintf(w, "\nHeaps fit V = K·N^β (least squares on log-log):\n")
	k, b := corpusgen.HeapsFit(gen, words)
	fmt.Fprintf(w, "  generated words,  N=1000..%d: K=%.1f β=%.3f\n", n, k, b)
	k, b = corpusgen.HeapsFit(upTo(gen, maxReal), words)
	fmt.Fprintf(w, "  generated words,  N=1000..%d: K=%.1f β=%.3f\n", maxReal, k, b)
	k, b = corpusgen.HeapsFit(real, words)
	fmt.Fprintf(w, "  real words,       N=1000..%d: K=%.1f β=%.3f\n", maxReal, k, b)
	k, b = corpusgen.HeapsFit(gen, proper)
	fmt.Fprintf(w, "  generated proper, N=1000..%d: K=%.1f β=%.3f\n", n, k, b)
	k, b = corpusgen.HeapsFit(real, proper)
	fmt.Fprintf(w, "  real proper,      N=1000..%d: K=%.1f β=%.3f\n", maxReal, k, b)

	fmt.Fprintf(w, "\nLengths in characters: p10 / median / mean / p90 / max\n")
	fmt.Fprintf(w, "  generated body:  %s (%d articles)\n", dist(genBody), len(genBody))
	fmt.Fprintf(w, "  real body:       %s (%d articles)\n", dist(realBody), len(realBody))
	fmt.Fprintf(w, "  generated title: %s\n", dist(genTitle))
	fmt.Fprintf(w, "  real title:      %s\n", dist(realTitle))
	return nil
}

// dist summarises a distribution: p10 / median / mean / p90 / max.
func dist(xs []int) string {
	if len(xs) == 0 {
		return "-"
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	sum := 0
	for _, x := range s {
		sum += x
	}
	q := func(p float64) int { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("%d / %d / %.0f / %d / %d", q(0.1), q(0.5), float64(sum)/float64(len(s)), q(0.9), s[len(s)-1])
}
