package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
)

func openIndex(dir string) (*index.Index, error) {
	if dir == "" {
		return nil, fmt.Errorf("-index: give an index of the corpus (newsearch index --index DIR ../shared/corpus/ldcc)")
	}
	return index.Open(dir, index.ReadOnly())
}

func clusterID(members []string) string {
	h := sha256.Sum256([]byte(strings.Join(members, "\n")))
	return hex.EncodeToString(h[:6])
}

// clusters reports the index's clusters of near-duplicates, writes a
// judging sheet of all of them (titles and openings, outside the
// repository), and scores judgements (clusterID, members, yes|no, reason).
func clusters(corpus, indexDir, sheet, judged string) error {
	ix, err := openIndex(indexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	cs, err := ix.Clusters()
	if err != nil {
		return err
	}
	n := 0
	for _, c := range cs {
		n += len(c)
	}
	fmt.Printf("clusters %d, articles in them %d\n", len(cs), n)
	f, err := os.Create(sheet)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, c := range cs {
		fmt.Fprintf(w, "== %s\t%s\n", clusterID(c), strings.Join(c, ","))
		for _, id := range c {
			a, err := ix.Get(context.Background(), id)
			if err != nil {
				return err
			}
			body := []rune(strings.ReplaceAll(a.Body, "\n", " "))
			fmt.Fprintf(w, "   %s\t%s\t%s\n", id, a.Title, string(body[:min(len(body), 160)]))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	f.Close()
	fmt.Printf("sheet in %s: not for the repository\n", sheet)
	if judged == "" {
		return nil
	}
	now := map[string]bool{}
	for _, c := range cs {
		now[clusterID(c)] = true
	}
	jf, err := os.Open(judged)
	if err != nil {
		return err
	}
	defer jf.Close()
	sc := bufio.NewScanner(jf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	yes, no, gone := 0, 0, 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 3 {
			return fmt.Errorf("%s: %q: want clusterID, members, yes|no[, reason]", judged, line)
		}
		switch {
		case !now[fs[0]]:
			gone++
		case fs[2] == "yes":
			yes++
		case fs[2] == "no":
			no++
		default:
			return fmt.Errorf("%s: %q: the judgement is yes or no", judged, line)
		}
	}
	fmt.Printf("judged clusters: precision %d/%d = %.3f; %d judged no longer formed\n", yes, yes+no, float64(yes)/float64(max(1, yes+no)), gone)
	return sc.Err()
}

// proxy is the related-articles proxy of one method: over the sampled
// articles, the share of the top 5 in the source's category, the mean
// number of people and organisations they share with the source, and the
// share of them that share at least one.
type proxy struct {
	name                      string
	n                         int
	sameCat, shared, anyShare float64
}

func (p *proxy) add(src article, srcEnts map[string]bool, hits []article, ents func(article) map[string]bool) {
	for _, h := range hits {
		p.n++
		if h.category == src.category {
			p.sameCat++
		}
		k := 0
		for e := range ents(h) {
			if srcEnts[e] {
				k++
			}
		}
		p.shared += float64(k)
		if k > 0 {
			p.anyShare++
		}
	}
}

func (p *proxy) String() string {
	n := float64(max(1, p.n))
	return fmt.Sprintf("%-16s hits %5d  same category %.3f  shared entities %.3f  sharing one or more %.3f", p.name, p.n, p.sameCat/n, p.shared/n, p.anyShare/n)
}

// related compares newsearch related with a plain BM25 of the title and
// with random articles on the proxy, over sample articles drawn with seed.
func related(corpus, indexDir string, sample int, seed uint64) error {
	ix, err := openIndex(indexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	arts, err := readCorpus(corpus)
	if err != nil {
		return err
	}
	if sample <= 0 {
		sample = 300
	}
	byID := map[string]article{}
	for _, a := range arts {
		byID[a.id] = a
	}
	an := ix.Analyzer()
	entCache := map[string]map[string]bool{}
	ents := func(a article) map[string]bool {
		if m, ok := entCache[a.id]; ok {
			return m
		}
		p, o := ix.Entities(index.Article{ID: a.id, Title: a.title, Body: a.body})
		m := map[string]bool{}
		for _, x := range append(p, o...) {
			m[x] = true
		}
		entCache[a.id] = m
		return m
	}
	cs, err := ix.Clusters()
	if err != nil {
		return err
	}
	dupOf := map[string][]string{}
	for _, c := range cs {
		for _, id := range c {
			dupOf[id] = c
		}
	}
	r := rand.New(rand.NewPCG(seed, seed+1))
	picks := r.Perm(len(arts))[:min(sample, len(arts))]
	methods := []*proxy{{name: "related"}, {name: "title BM25"}, {name: "random"}}
	ctx := context.Background()
	for _, i := range picks {
		src := arts[i]
		srcEnts := ents(src)
		exclude := map[string]bool{src.id: true}
		for _, d := range dupOf[src.id] {
			exclude[d] = true
		}
		take := func(ids []string) []article {
			var out []article
			for _, id := range ids {
				if !exclude[id] && len(out) < 5 {
					if a, ok := byID[id]; ok {
						out = append(out, a)
					}
				}
			}
			return out
		}
		rel, err := ix.Related(ctx, src.id, 5)
		if err != nil {
			return fmt.Errorf("related %s: %w", src.id, err)
		}
		var ids []string
		for _, h := range rel.Hits {
			ids = append(ids, h.ID)
		}
		methods[0].add(src, srcEnts, take(ids), ents)
		ids = nil
		if q := titleQuery(an, src.title); q != "" {
			res, err := ix.Search(ctx, index.Request{Query: q, Limit: 5 + len(exclude), NoSnippets: true, NoCollapse: true, Strict: true})
			if err != nil {
				return fmt.Errorf("title of %s: %q: %w", src.id, q, err)
			}
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
		}
		methods[1].add(src, srcEnts, take(ids), ents)
		ids = nil
		for _, j := range r.Perm(len(arts))[:5+len(exclude)] {
			ids = append(ids, arts[j].id)
		}
		methods[2].add(src, srcEnts, take(ids), ents)
	}
	fmt.Printf("%d articles drawn (seed %d); top 5 of each method, the article and its near-duplicates left out\n", len(picks), seed)
	for _, m := range methods {
		fmt.Println(m)
	}
	return nil
}

// titleQuery is a plain search for any of a title's nouns.
func titleQuery(an *analyzer.Analyzer, title string) string {
	var words []string
	seen := map[string]bool{}
	for _, w := range an.Words(title) {
		if !strings.HasPrefix(w.POS, "名詞") && !w.Unknown || strings.HasPrefix(w.POS, "名詞,数") || strings.HasPrefix(w.POS, "名詞,非自立") {
			continue
		}
		t := title[w.Start:w.End]
		ok := len([]rune(t)) >= 2
		for _, c := range t {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
				ok = false
			}
		}
		if ok && !seen[t] && strings.ToUpper(t) != "OR" {
			seen[t] = true
			words = append(words, t)
		}
	}
	return strings.Join(words, " OR ")
}

// readings measures search by reading on the index's names: each name's
// reading, in hiragana, is searched; the first hit found by a reading must
// be of that name. It reports how often another name comes first, and how
// often the reading finds no name (ambiguous, or a reading of no name).
func readings(indexDir string) error {
	ix, err := openIndex(indexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	names, err := ix.NameReadings()
	if err != nil {
		return err
	}
	type q struct{ reading, name string }
	seen := map[string]bool{}
	var qs []q
	for _, n := range names {
		for _, rd := range n.Readings {
			if !seen[rd+"\t"+n.Name] {
				seen[rd+"\t"+n.Name] = true
				qs = append(qs, q{hiragana(rd), n.Name})
			}
		}
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].reading+qs[i].name < qs[j].reading+qs[j].name })
	right, wrong, none, literalFirst := 0, 0, 0, 0
	var wrongs []string
	for _, x := range qs {
		res, err := ix.Search(context.Background(), index.Request{Query: x.reading, Limit: 50, NoSnippets: true, NoCollapse: true, Strict: true})
		if err != nil {
			return fmt.Errorf("%s: %w", x.reading, err)
		}
		if len(res.Hits) > 0 && res.Hits[0].Match != index.MatchReading {
			literalFirst++
		}
		via := ""
		for _, h := range res.Hits {
			if h.Match == index.MatchReading {
				via = h.Via
				break
			}
		}
		switch {
		case via == "":
			none++
		case via == x.name:
			right++
		default:
			wrong++
			wrongs = append(wrongs, x.reading+" → "+via+" (not "+x.name+")")
		}
	}
	fmt.Printf("name readings searched %d: the right name first %d, another name first %d (wrong-entity rate %.3f of those answered), no name (ambiguous or shadowed) %d; a literal kana match ranked before %d\n",
		len(qs), right, wrong, float64(wrong)/float64(max(1, right+wrong)), none, literalFirst)
	for _, w := range wrongs[:min(len(wrongs), 10)] {
		fmt.Println("  e.g.", w)
	}
	return nil
}

func hiragana(katakana string) string {
	return strings.Map(func(r rune) rune {
		if 0x30a1 <= r && r <= 0x30f6 {
			return r - 0x60
		}
		return r
	}, katakana)
}
