package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/internal/knowledge"
)

// A pair is named in the judged sample by pairID (a hash of its term,
// alias and kind) and the first article that glosses it: no text of the
// corpus is kept in the repository.

func pairID(p knowledge.Pair) string {
	h := sha256.Sum256([]byte(p.Term + "\t" + p.Alias + "\t" + string(p.Kind)))
	return hex.EncodeToString(h[:6])
}

// distinctPairs returns the corpus's pairs once each (as the index's alias
// table holds them), sorted by ID, with the articles that gloss each.
func distinctPairs(mined []minedPair) ([]knowledge.Pair, map[knowledge.Pair][]string) {
	by := map[knowledge.Pair][]string{}
	for _, m := range mined {
		by[m.Pair] = append(by[m.Pair], m.id)
	}
	out := make([]knowledge.Pair, 0, len(by))
	for p := range by {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return pairID(out[i]) < pairID(out[j]) })
	return out, by
}

// pairs reports how many pairs the corpus glosses, and with -sample N
// writes a judging sheet of N pairs drawn with -seed (with the sentence
// around each, for the judge's eyes: to a file outside the repository) and,
// with -judged FILE, scores the judgements in FILE against what is mined
// now.
func pairs(dir string, sample int, seed uint64, sheet, judged, exclude string) error {
	arts, err := readCorpus(dir)
	if err != nil {
		return err
	}
	an := analyzer.Default()
	mined := mineCorpus(an, arts)
	ps, by := distinctPairs(mined)
	kinds := map[knowledge.Kind]int{}
	for _, p := range ps {
		kinds[p.Kind]++
	}
	fmt.Printf("articles %d, glosses %d, distinct pairs %d:", len(arts), len(mined), len(ps))
	for _, k := range []knowledge.Kind{knowledge.Reading, knowledge.Latin, knowledge.Katakana, knowledge.Abbreviation} {
		fmt.Printf(" %s %d", k, kinds[k])
	}
	fmt.Println()
	text := map[string]string{}
	for _, a := range arts {
		text[a.id] = a.title + "\n" + a.body
	}
	if sample > 0 {
		skip, err := judgedIDs(exclude)
		if err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(seed, seed))
		var idx []int
		for _, i := range r.Perm(len(ps)) {
			if !skip[pairID(ps[i])] && len(idx) < sample {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		f, err := os.Create(sheet)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for _, i := range idx {
			p := ps[i]
			id := by[p][0]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", pairID(p), id, p.Kind, p.Term, p.Alias, around(text[id], p))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		f.Close()
		fmt.Printf("sheet of %d pairs (seed %d) in %s: not for the repository\n", len(idx), seed, sheet)
	}
	if judged != "" {
		return scorePairs(judged, ps)
	}
	return nil
}

// around returns the text around the first gloss of a pair.
func around(text string, p knowledge.Pair) string {
	i := -1
	for _, open := range []string{"（", "(", "（以下、", "（以下"} {
		if j := strings.Index(text, open+p.Alias); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if j := strings.Index(text, open+p.Term); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	if i < 0 {
		i = strings.Index(text, p.Alias)
	}
	if i < 0 {
		return ""
	}
	rs := []rune(text)
	at := len([]rune(text[:i]))
	from, to := max(0, at-40), min(len(rs), at+40)
	return strings.ReplaceAll(string(rs[from:to]), "\n", " ")
}

// scorePairs reads judgements (pairID, article, kind, yes|no, reason) and
// reports the precision of those still mined.
func scorePairs(path string, ps []knowledge.Pair) error {
	now := map[string]bool{}
	for _, p := range ps {
		now[pairID(p)] = true
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	yes, no, gone, n := 0, 0, 0, 0
	byKind := map[string][2]int{}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 4 {
			return fmt.Errorf("%s: %q: want pairID, article, kind, yes|no[, reason]", path, line)
		}
		n++
		if !now[fs[0]] {
			gone++
			continue
		}
		c := byKind[fs[2]]
		switch fs[3] {
		case "yes":
			yes++
			c[0]++
		case "no":
			no++
			c[1]++
		default:
			return fmt.Errorf("%s: %q: the judgement is yes or no", path, line)
		}
		byKind[fs[2]] = c
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Printf("judged %d pairs; %d no longer mined; precision %d/%d = %.3f\n", n, gone, yes, yes+no, float64(yes)/float64(max(1, yes+no)))
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		c := byKind[k]
		fmt.Printf("  %-13s %d/%d\n", k, c[0], c[0]+c[1])
	}
	return nil
}

// judgedIDs returns the pair IDs judged in a file ("" for none): a new
// sample leaves them out.
func judgedIDs(path string) (map[string]bool, error) {
	out := map[string]bool{}
	if path == "" {
		return out, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if id, _, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			out[id] = true
		}
	}
	return out, nil
}
