// Command knoweval evaluates what newsearch learns from the articles
// (issue 13): the aliases mined from glosses, the near-duplicate clusters,
// related articles and search by reading. See internal/bench/knowledge/
// for the judged samples and the criteria they were judged by.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/internal/knowledge"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: knoweval dump|pairs|clusters|related|readings [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	corpus := fs.String("corpus", defaultCorpus(), "the livedoor corpus folder")
	sample := fs.Int("sample", 0, "pairs or clusters to draw for judging")
	seed := fs.Uint64("seed", 13, "seed of the sample")
	sheet := fs.String("sheet", "/tmp/knoweval-sheet.tsv", "where to write the judging sheet (never in the repository: it quotes the corpus)")
	judged := fs.String("judged", "", "judgements to score")
	exclude := fs.String("exclude", "", "judgements whose pairs a new sample leaves out")
	indexDir := fs.String("index", "", "an index of the corpus built by newsearch index")
	_ = fs.Parse(os.Args[2:])
	analyzer.UsePreparedDictionary("")
	var err error
	switch cmd {
	case "dump":
		err = dump(*corpus)
	case "dumpclusters":
		err = dumpClusters(*corpus)
	case "pairs":
		err = pairs(*corpus, *sample, *seed, *sheet, *judged, *exclude)
	case "clusters":
		err = clusters(*corpus, *indexDir, *sheet, *judged)
	case "related":
		err = related(*corpus, *indexDir, *sample, *seed)
	case "readings":
		err = readings(*indexDir)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "knoweval: %v\n", err)
		os.Exit(1)
	}
}

// defaultCorpus is ../shared/corpus/ldcc from the repository's root, or
// $SHARED/corpus/ldcc.
func defaultCorpus() string {
	if s := os.Getenv("SHARED"); s != "" {
		return filepath.Join(s, "corpus", "ldcc")
	}
	return filepath.Join("..", "shared", "corpus", "ldcc")
}

// dump prints every mined pair: ID, kind, term, alias. For looking at
// what is mined, on this machine: never commit its output.
func dump(dir string) error {
	arts, err := readCorpus(dir)
	if err != nil {
		return err
	}
	an := analyzer.Default()
	for _, p := range mineCorpus(an, arts) {
		fmt.Printf("%s\t%s\t%s\t%s\n", p.id, p.Kind, p.Term, p.Alias)
	}
	return nil
}

// dumpClusters prints the clusters of the corpus, with titles: for looking
// at, on this machine; never commit its output.
func dumpClusters(dir string) error {
	arts, err := readCorpus(dir)
	if err != nil {
		return err
	}
	an := analyzer.Default()
	sigs := make([]knowledge.Signature, 0, len(arts))
	idx := []int{}
	for i, a := range arts {
		if s, ok := knowledge.Sign(terms(an, a)); ok {
			sigs = append(sigs, s)
			idx = append(idx, i)
		}
	}
	cs := knowledge.Cluster(sigs, knowledge.Threshold)
	fmt.Printf("%d signed, %d clusters\n", len(sigs), len(cs))
	for _, c := range cs {
		fmt.Println("--")
		for _, j := range c {
			a := arts[idx[j]]
			fmt.Printf("%.2f\t%s\t%s\n", sigs[c[0]].Similarity(sigs[j]), a.id, a.title)
		}
	}
	return nil
}
