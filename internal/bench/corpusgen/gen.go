package corpusgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Config sets what a Generator writes. The zero value (with a seed) is the
// documented default.
type Config struct {
	Seed uint64
	// NeedleBlock is the number of articles in which each needle word has
	// its count (needleCounts); 0 means 1,000,000. Each block of that many
	// articles carries every needle its count of times, the first one among
	// the block's first min(1000, NeedleBlock) articles, so any corpus of
	// 1,000 articles or more holds every needle at least once.
	NeedleBlock int
	// ZipfS and ZipfV shape the ranks of minted names: P(rank k) ∝ (ZipfV+k)^-ZipfS.
	// The number of distinct names in n draws grows about as n^(1/ZipfS).
	// 0 means 1.2 and 8.
	ZipfS, ZipfV float64
}

// keep is the probability that a slot keeps the corpus's own name in an
// article rather than a minted one: the corpus's names stay the frequent
// head, minted ones the growing tail.
var keep = [numKinds]float64{
	kindPerson: 0.2, kindSurname: 0.2, kindGiven: 0.2,
	kindOrg: 0.3, kindPlace: 0.5, kindProper: 0.3,
	kindLatinName: 0.4, kindLatinCode: 0.2,
}

// genCategory is a category of generated articles: a corpus category, or
// a blend of several whose articles draw sentences from all of them.
type genCategory struct {
	name   string
	parts  []int // indexes into Source.cats
	weight float64
	home   int // the publisher that carries most of it
}

// blends are the categories beyond the corpus's: names and the corpus
// categories their sentences come from.
var blends = []struct {
	name  string
	parts []string
}{
	{"business", []string{"topic-news", "it-life-hack", "livedoor-homme"}},
	{"gadget", []string{"kaden-channel", "it-life-hack"}},
	{"entertainment", []string{"movie-enter", "peachy", "topic-news"}},
	{"lifestyle", []string{"dokujo-tsushin", "peachy", "livedoor-homme"}},
}

// publishers are the invented sources; weights fall off like a Zipf law.
var publishers = []struct{ name, domain string }{
	{"東都テックニュース", "tototech.example.jp"},
	{"デイリーガジェット", "dailygadget.example.jp"},
	{"ミライ通信", "mirai-tsushin.example.jp"},
	{"週刊トレンド", "trend-weekly.example.jp"},
	{"スポーツ速報ネット", "sports-sokuho.example.jp"},
	{"シネマニュース", "cinema-news.example.jp"},
	{"くらしジャーナル", "kurashi-journal.example.jp"},
}

// Generator writes synthetic articles from a Source. It is safe for
// concurrent use; Article(i) depends only on the source, the config and i.
type Generator struct {
	src     *Source
	cfg     Config
	cats    []genCategory
	catCum  []float64
	needles []needle
	finder  *needleFinder

	mu   sync.Mutex
	plan *needlePlan // the needle positions of the last block asked for
}

// New returns a generator over src.
func New(src *Source, cfg Config) *Generator {
	if cfg.NeedleBlock <= 0 {
		cfg.NeedleBlock = 1_000_000
	}
	if cfg.ZipfS == 0 {
		cfg.ZipfS = 1.2
	}
	if cfg.ZipfV == 0 {
		cfg.ZipfV = 8
	}
	g := &Generator{src: src, cfg: cfg}
	byName := map[string]int{}
	for i, c := range src.cats {
		byName[c.name] = i
		g.cats = append(g.cats, genCategory{name: c.name, parts: []int{i}, weight: 1})
	}
	for _, b := range blends {
		gc := genCategory{name: b.name, weight: 0.5}
		for _, p := range b.parts {
			if i, ok := byName[p]; ok {
				gc.parts = append(gc.parts, i)
			}
		}
		if len(gc.parts) > 0 {
			if _, clash := byName[b.name]; !clash {
				g.cats = append(g.cats, gc)
			}
		}
	}
	sum := 0.0
	for i := range g.cats {
		g.cats[i].home = i % len(publishers)
		sum += g.cats[i].weight
		g.catCum = append(g.catCum, sum)
	}
	for j, w := range needleWords {
		c := needleCounts[j%len(needleCounts)] * cfg.NeedleBlock / 1_000_000
		g.needles = append(g.needles, needle{word: w, folded: foldedNeedles[j], script: scriptOf(w), count: max(1, c)})
	}
	g.finder = newNeedleFinder(foldedNeedles)
	return g
}

// Needles lists the planted words in the order of the manifest.
func (g *Generator) Needles() []Needle {
	out := make([]Needle, len(g.needles))
	for j, n := range g.needles {
		out[j] = Needle{Word: n.word, PerBlock: n.count}
	}
	return out
}

// Categories lists the categories of generated articles.
func (g *Generator) Categories() []string {
	var out []string
	for _, c := range g.cats {
		out = append(out, c.name)
	}
	return out
}

// Article is one generated article. Needles and Minted are for tests and
// reports; they are not written out.
type Article struct {
	Index     int
	ID        string
	Title     string
	Body      string
	URL       string
	Published time.Time
	Category  string
	Source    string
	Tags      []string
	Needles   []string // needle words planted in it
	Minted    []string // new names it uses (not from the corpus)
	// Redrawn is the number of versions of the article thrown away because
	// a needle word occurred in them by accident.
	Redrawn int
}

// ID is the article ID of index i for seed: stable, unique, and sorting
// as the indexes do (up to 10^8 articles).
func ID(seed uint64, i int) string {
	return fmt.Sprintf("g%d-%08d", seed, i)
}

// jst is the zone of every published time.
var jst = time.FixedZone("JST", 9*3600)

var (
	epoch    = time.Date(2006, 1, 1, 0, 0, 0, 0, jst)
	epochEnd = time.Date(2026, 1, 1, 0, 0, 0, 0, jst)
	// growth is how many times more articles the last day gets than the first.
	growth = 6.0
	// hourWeights: news is published by day more than by night.
	hourWeights = [24]float64{1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3.5, 3, 3, 2.5, 2, 1.5}
)

// Article generates article i. It fails only if a needle word cannot be
// kept out of it, which would be a bug in the word list.
func (g *Generator) Article(i int) (*Article, error) {
	if i < 0 {
		return nil, fmt.Errorf("article index %d: must be at least 0", i)
	}
	plant := g.needlesAt(i)
	for attempt := range 32 {
		a, ok := g.try(i, uint64(attempt), plant)
		if ok {
			a.Redrawn = attempt
			return a, nil
		}
	}
	return nil, fmt.Errorf("article %d: a needle word occurs in every version of it", i)
}

// span is the part [from, to) of a unit's text.
type span struct {
	u        *unit
	from, to int32
}

// builder holds the state of one article being written.
type builder struct {
	g      *Generator
	r      *rand.Rand
	zipf   *rand.Zipf
	memo   map[string]string // corpus name -> its replacement in this article
	minted []string
	sb     strings.Builder
}

func (g *Generator) try(i int, attempt uint64, plant []int) (*Article, bool) {
	r := newRand(g.cfg.Seed, uint64(i)<<6|attempt)
	b := &builder{g: g, r: r, memo: map[string]string{}}
	b.zipf = rand.NewZipf(r, g.cfg.ZipfS, g.cfg.ZipfV, 1<<40)
	gc := &g.cats[searchCum(g.catCum, r.Float64()*g.catCum[len(g.catCum)-1])]
	primary := g.src.cats[gc.parts[r.IntN(len(gc.parts))]]
	pick := func() *category {
		if len(gc.parts) == 1 || r.IntN(2) == 0 {
			return primary
		}
		return g.src.cats[gc.parts[r.IntN(len(gc.parts))]]
	}

	// title: a corpus title, or the head of one joined to the tail of another
	var titleSpans []span
	if t := &primary.titles[r.IntN(len(primary.titles))]; len(t.cuts) > 0 && r.Float64() < 0.7 {
		var t2 *title
		for range 4 {
			c := pick()
			if t2 = &c.titles[r.IntN(len(c.titles))]; len(t2.cuts) > 0 {
				break
			}
		}
		if len(t2.cuts) > 0 {
			titleSpans = []span{
				{&t.unit, 0, t.cuts[r.IntN(len(t.cuts))]},
				{&t2.unit, t2.cuts[r.IntN(len(t2.cuts))], int32(len(t2.text))},
			}
		} else {
			titleSpans = []span{{&t.unit, 0, int32(len(t.text))}}
		}
	} else {
		titleSpans = []span{{&t.unit, 0, int32(len(t.text))}}
	}

	// body: the shape of a corpus article, each sentence and line drawn anew
	skel := primary.skeletons[r.IntN(len(primary.skeletons))]
	lines := make([][]span, len(skel))
	for li, n := range skel {
		switch {
		case n == lineEmpty:
		case n == lineUnit:
			c := pick()
			if len(c.lines) > 0 {
				u := &c.lines[r.IntN(len(c.lines))]
				lines[li] = []span{{u, 0, int32(len(u.text))}}
				continue
			}
			n = 1
			fallthrough
		default:
			for range n {
				c := pick()
				u := &c.sentences[r.IntN(len(c.sentences))]
				lines[li] = append(lines[li], span{u, 0, int32(len(u.text))})
			}
		}
	}

	// needles: each takes a slot of its script, in a sentence of the
	// article or in one added to it
	var planted []string
	for _, j := range plant {
		nd := &g.needles[j]
		ok := b.plantIn(nd, append(append([]span{}, titleSpans...), flatten(lines)...))
		if !ok {
			u := b.sentenceWithSlot(primary, gc, nd.script)
			if u == nil {
				continue // no sentence of the corpus has such a slot: the manifest says so
			}
			li := b.sentenceLine(lines)
			if li < 0 {
				lines = append(lines, nil)
				li = len(lines) - 1
			}
			sp := span{u, 0, int32(len(u.text))}
			pos := r.IntN(len(lines[li]) + 1)
			lines[li] = append(lines[li][:pos], append([]span{sp}, lines[li][pos:]...)...)
			if !b.plantIn(nd, []span{sp}) {
				continue
			}
		}
		planted = append(planted, nd.word)
	}

	a := &Article{Index: i, ID: ID(g.cfg.Seed, i), Category: gc.name}
	a.Title = strings.TrimSpace(b.render(titleSpans))
	var body strings.Builder
	for li, l := range lines {
		if li > 0 {
			body.WriteByte('\n')
		}
		body.WriteString(b.render(l))
	}
	a.Body = strings.TrimRight(body.String(), "\n ")
	a.Published = b.published()
	pub := gc.home
	if r.Float64() >= 0.6 {
		pub = int(rand.NewZipf(r, 1.2, 1, uint64(len(publishers)-1)).Uint64())
	}
	a.Source = publishers[pub].name
	a.URL = "https://" + publishers[pub].domain + "/articles/" + a.ID
	a.Tags = b.tags(primary)
	a.Needles = planted
	a.Minted = b.minted

	// the needle check: planted words must be there, others not anywhere,
	// and each planted one only as a word of its own: not run together
	// with characters of its script (櫻霞堂平 holds 櫻霞堂 as a substring,
	// but not as a word, and a search engine is right not to find it)
	text := fold(a.Title + "\n" + a.Body + "\n" + strings.Join(a.Tags, "\n"))
	found := make([]bool, len(g.needles))
	g.finder.find(text, found)
	for _, w := range planted {
		if glued(text, fold(w)) {
			return nil, false
		}
	}
	for j, nd := range g.needles {
		want := false
		for _, w := range planted {
			want = want || w == nd.word
		}
		if found[j] != want {
			if want {
				panic(fmt.Sprintf("corpusgen: article %d: planted needle %q missing", i, nd.word))
			}
			return nil, false
		}
	}
	return a, true
}

// flatten lists the spans of all lines.
func flatten(lines [][]span) []span {
	var out []span
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}

// plantIn gives the needle the replacement of one free slot of its script
// among spans; false when there is none.
func (b *builder) plantIn(nd *needle, spans []span) bool {
	var cands []string
	for _, sp := range spans {
		for _, s := range sp.u.slots {
			if s.start < sp.from || s.end > sp.to || s.script != nd.script || !plantable(s) {
				continue
			}
			orig := sp.u.text[s.start:s.end]
			if _, taken := b.memo[orig]; !taken {
				cands = append(cands, orig)
			}
		}
	}
	if len(cands) == 0 {
		return false
	}
	b.memo[cands[b.r.IntN(len(cands))]] = nd.word
	return true
}

// sentenceWithSlot returns a sentence with a slot of script sc, from the
// article's category, else from any category.
func (b *builder) sentenceWithSlot(primary *category, gc *genCategory, sc script) *unit {
	cands := []*category{primary}
	for _, p := range gc.parts {
		cands = append(cands, b.g.src.cats[p])
	}
	cands = append(cands, b.g.src.cats...)
	for _, c := range cands {
		if l := c.withSlot[sc]; len(l) > 0 {
			return &c.sentences[l[b.r.IntN(len(l))]]
		}
	}
	return nil
}

// sentenceLine picks a line made of sentences; -1 when there is none.
func (b *builder) sentenceLine(lines [][]span) int {
	var idx []int
	for li, l := range lines {
		if len(l) > 0 && endsSentence(l[len(l)-1].u.text) {
			idx = append(idx, li)
		}
	}
	if len(idx) == 0 {
		return -1
	}
	return idx[b.r.IntN(len(idx))]
}

// render writes spans with their slots filled.
func (b *builder) render(spans []span) string {
	b.sb.Reset()
	for _, sp := range spans {
		t := sp.u.text
		at := sp.from
		for _, s := range sp.u.slots {
			if s.start < sp.from || s.end > sp.to {
				continue
			}
			b.sb.WriteString(t[at:s.start])
			b.sb.WriteString(b.fill(t, s))
			at = s.end
		}
		b.sb.WriteString(t[at:sp.to])
	}
	return b.sb.String()
}

// fill returns the replacement of slot s of text t in this article: the
// same corpus name gets the same replacement throughout the article.
func (b *builder) fill(t string, s slot) string {
	orig := t[s.start:s.end]
	if v, ok := b.memo[orig]; ok {
		return v
	}
	var v string
	if s.kind == kindPerson && s.mid > 0 {
		v = b.fillName(t[s.start:s.mid], kindSurname, s.script) + b.fillName(t[s.mid:s.end], kindGiven, s.script)
	} else {
		v = b.fillName(orig, s.kind, s.script)
	}
	b.memo[orig] = v
	return v
}

func (b *builder) fillName(orig string, k kind, sc script) string {
	if v, ok := b.memo[orig]; ok {
		return v
	}
	v := orig
	if b.r.Float64() >= keep[k] {
		rank := b.zipf.Uint64()
		v = b.g.entity(k, sc, rank, orig)
		if v != orig {
			b.minted = append(b.minted, v)
		}
	}
	b.memo[orig] = v
	return v
}

// entity is the name of rank among the minted names of kind k in script
// sc: a pure function of the seed, k, sc, rank (and orig's shape for
// Latin names), so the same rank is the same name in every article.
func (g *Generator) entity(k kind, sc script, rank uint64, orig string) string {
	r := newRand(g.cfg.Seed^uint64(k)<<56^uint64(sc)<<48^0xe7717, rank)
	return g.src.mint(r, k, sc, orig)
}

// published draws a time between 2006 and 2026 (JST), denser recently:
// the density grows exponentially to growth times its start.
func (b *builder) published() time.Time {
	span := epochEnd.Sub(epoch)
	days := int(span.Hours() / 24)
	u := b.r.Float64()
	x := math.Log1p(u*(growth-1)) / math.Log(growth) // inverse CDF of density ∝ growth^x on [0,1)
	day := min(int(x*float64(days)), days-1)
	var sum float64
	for _, w := range hourWeights {
		sum += w
	}
	h, acc := 0, b.r.Float64()*sum
	for h = 0; h < 23; h++ {
		if acc -= hourWeights[h]; acc < 0 {
			break
		}
	}
	return epoch.AddDate(0, 0, day).Add(time.Duration(h)*time.Hour + time.Duration(b.r.IntN(60))*time.Minute)
}

// tagCounts weights 0..4 tags per article.
var tagCounts = [5]float64{15, 25, 30, 20, 10}

// tags draws 0-4 distinct tags from the category's nouns, Zipf by rank.
func (b *builder) tags(c *category) []string {
	out := []string{}
	if len(c.tags) == 0 {
		return out
	}
	acc, n := b.r.Float64()*100, 0
	for n = 0; n < 4; n++ {
		if acc -= tagCounts[n]; acc < 0 {
			break
		}
	}
	z := rand.NewZipf(b.r, 1.1, 2, uint64(len(c.tags)-1))
	for tries := 0; len(out) < n && tries < 20; tries++ {
		t := c.tags[z.Uint64()]
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// searchCum returns the first index whose cumulative weight exceeds x.
func searchCum(cum []float64, x float64) int {
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

// needlePlan is where the needles go in one block of articles.
type needlePlan struct {
	block int
	at    map[int][]int // offset in the block -> needle indexes
}

// needlesAt returns the needles planted in article i.
func (g *Generator) needlesAt(i int) []int {
	B := g.cfg.NeedleBlock
	block := i / B
	g.mu.Lock()
	p := g.plan
	if p == nil || p.block != block {
		p = g.planBlock(block)
		g.plan = p
	}
	g.mu.Unlock()
	return p.at[i%B]
}

func (g *Generator) planBlock(block int) *needlePlan {
	B := g.cfg.NeedleBlock
	head := min(1000, B)
	r := newRand(g.cfg.Seed^0x6e6565646c65, uint64(block))
	p := &needlePlan{block: block, at: map[int][]int{}}
	for j, nd := range g.needles {
		used := map[int]bool{}
		for k := 0; k < nd.count && k < B; k++ {
			var pos int
			for {
				if k == 0 {
					pos = r.IntN(head)
				} else {
					pos = r.IntN(B)
				}
				if !used[pos] {
					break
				}
			}
			used[pos] = true
			p.at[pos] = append(p.at[pos], j)
		}
	}
	return p
}
