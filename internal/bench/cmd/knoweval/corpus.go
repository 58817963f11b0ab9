package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/internal/knowledge"
	"github.com/newsearch/newsearch/internal/reader"
)

// article is one corpus article, with the IDs newsearch index gives it
// (its path under the corpus folder).
type article struct {
	id       string
	category string
	title    string
	body     string
}

// readCorpus reads every article file under dir, sorted by ID.
func readCorpus(dir string) ([]article, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() || strings.HasPrefix(name, "LICENSE") || strings.HasPrefix(name, "README") || strings.HasPrefix(name, "CHANGES") || !reader.Supported(name) {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []article
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		as, err := reader.Parse(p, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		for _, a := range as {
			out = append(out, article{id: filepath.ToSlash(rel), category: filepath.Base(filepath.Dir(p)), title: a.Title, body: a.Body})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

// minedPair is a pair mined from one article.
type minedPair struct {
	id string
	knowledge.Pair
}

// mineCorpus mines every article's title and body, on all cores, in the
// order of the articles.
func mineCorpus(an *analyzer.Analyzer, arts []article) []minedPair {
	per := make([][]knowledge.Pair, len(arts))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				a := arts[i]
				ps := knowledge.Mine(a.title, an.Words(a.title))
				ps = append(ps, knowledge.Mine(a.body, an.Words(a.body))...)
				per[i] = ps
			}
		}()
	}
	for i := range arts {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []minedPair
	for i, ps := range per {
		seen := map[knowledge.Pair]bool{}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, minedPair{arts[i].id, p})
			}
		}
	}
	return out
}

// terms returns the word terms of an article's title and body, as the
// index signs them.
func terms(an *analyzer.Analyzer, a article) []string {
	var out []string
	for _, w := range an.Words(a.title) {
		out = append(out, w.Term)
	}
	for _, w := range an.Words(knowledge.Prose(a.body)) {
		out = append(out, w.Term)
	}
	return out
}
