package corpusgen

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// script is the writing system of a slot's original text; a minted
// replacement is written in the same one.
type script uint8

const (
	scriptOther script = iota
	scriptKanji
	scriptKatakana
	scriptLatin
	numScripts
)

// kind is what a slot names.
type kind uint8

const (
	kindPerson    kind = iota // a full name; slot.mid splits surname and given name when both are there
	kindSurname               // 人名,姓 alone
	kindGiven                 // 人名,名 alone
	kindOrg                   // 組織
	kindPlace                 // 地域,一般 (countries are kept)
	kindProper                // 固有名詞,一般, and katakana words the dictionary does not know
	kindLatinName             // a Latin brand or product word without digits (SnapCrab)
	kindLatinCode             // a Latin model name with digits (SH-01D, X5)
	numKinds
)

var kindNames = [numKinds]string{"person", "surname", "given", "org", "place", "proper", "latin-name", "latin-code"}

func (k kind) String() string { return kindNames[k] }

// slot is a span of a unit's text that a generated article may replace by
// a minted name. Offsets are bytes into unit.text.
type slot struct {
	start, end int32
	mid        int32 // kindPerson: start of the given name, 0 when the slot is one part
	kind       kind
	script     script
}

// unit is one sentence, heading line or title of the corpus with the slots
// found in it. The text is never written out as it is: a generated article
// is a new combination of units, and most slots are filled anew.
type unit struct {
	text  string
	slots []slot
}

// line kinds in an article skeleton
const (
	lineEmpty = 0  // a blank line (paragraph break)
	lineUnit  = -1 // a line that is not made of sentences: heading, list item, link
)

// category is one folder of the corpus: its articles' shapes, sentences,
// line units and titles.
type category struct {
	name      string
	skeletons [][]int16 // per article, per line: lineEmpty, lineUnit or the number of sentences
	sentences []unit
	lines     []unit
	titles    []title
	// withSlot[s] lists the sentences that have a slot in script s that a
	// needle may take (not a lone surname or given name).
	withSlot [numScripts][]int32
	tags     []string // common nouns of the category, most frequent first
}

// title is a corpus title with the byte offsets where it may be cut and
// joined to the tail of another title of its category.
type title struct {
	unit
	cuts []int32
}

// Source is the livedoor corpus read into recombinable pieces, with the
// models that mint new names. It is read-only after Load and safe for
// concurrent use.
type Source struct {
	dir  string
	cats []*category

	// pools of observed proper nouns, by what they name, for minting
	surnames, givens, orgs, places, propers []string
	orgSuffixes                             []string
	katakana                                *markov // mora chain over katakana names
	latin                                   *markov // letter chain over Latin names

	articles  int
	bodyBytes int64
	dropped   int // units left out because they contain a needle word
}

// LoadOptions says how much of the corpus to read.
type LoadOptions struct {
	// PerCategory reads only the first PerCategory articles (by file name)
	// of each category; 0 reads all. Tests use a small number to start fast.
	PerCategory int
	// DFMax: a proper noun found in more than DFMax articles of the corpus is
	// a well-known name and always kept (東京, ソニー, iPhone); rarer ones are
	// slots that a generated article fills with new names. 0 means 10.
	DFMax int
	// Workers tokenising the corpus; 0 means 2.
	Workers int
}

// ErrNoCorpus is returned by Load when dir holds no livedoor articles.
var ErrNoCorpus = errors.New("no livedoor corpus")

// rawArticle is one corpus file split into its parts.
type rawArticle struct {
	cat   int
	title string
	lines []string
}

// Load reads the livedoor corpus at dir (the ldcc folder: one folder per
// category, files with line 1 URL, line 2 date, line 3 title, then the
// body), tokenises every sentence with kagome (IPA dictionary) to find the
// proper nouns, and builds the pools and models that Generator draws from.
func Load(dir string, opt LoadOptions) (*Source, error) {
	if opt.DFMax == 0 {
		opt.DFMax = 10
	}
	if opt.Workers <= 0 {
		opt.Workers = 2
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %v (give the livedoor ldcc folder, e.g. -corpus ../shared/corpus/ldcc)", ErrNoCorpus, dir, err)
	}
	src := &Source{dir: dir}
	var raws []rawArticle
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, e.Name(), "*.txt"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		ci := len(src.cats)
		n := 0
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "LICENSE") {
				continue
			}
			if opt.PerCategory > 0 && n >= opt.PerCategory {
				break
			}
			ra, ok, err := readLivedoor(f)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			ra.cat = ci
			raws = append(raws, ra)
			n++
		}
		if n > 0 {
			src.cats = append(src.cats, &category{name: e.Name()})
		}
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("%w at %s: no category folder with livedoor .txt files (line 1 URL, line 2 date, line 3 title)", ErrNoCorpus, dir)
	}
	src.articles = len(raws)
	src.build(raws, opt)
	return src, nil
}

// readLivedoor reads one livedoor file; ok is false for a file that is not
// in that format.
func readLivedoor(path string) (rawArticle, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return rawArticle{}, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return rawArticle{}, false, fmt.Errorf("%s: %w", path, err)
	}
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "http") || len(lines[1]) < 10 || lines[1][4] != '-' {
		return rawArticle{}, false, nil
	}
	body := lines[3:]
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	return rawArticle{title: strings.TrimSpace(lines[2]), lines: body}, true, nil
}

// piece is a unit before its slots are final.
type piece struct {
	cat      int
	art      int // index into raws
	text     string
	cands    []slot
	nouns    []string // common nouns, for the tag vocabulary
	sentence bool     // a sentence (vs a line unit or a title)
	title    bool
}

// build splits the articles into units, tokenises them, and keeps as slots
// the proper nouns rarer than opt.DFMax articles.
func (src *Source) build(raws []rawArticle, opt LoadOptions) {
	var pieces []piece
	skeletons := make([][]int16, len(raws))
	for ai, ra := range raws {
		pieces = append(pieces, piece{cat: ra.cat, art: ai, text: ra.title, title: true})
		skel := make([]int16, 0, len(ra.lines))
		for _, l := range ra.lines {
			src.bodyBytes += int64(len(l)) + 1
			if strings.TrimSpace(l) == "" {
				skel = append(skel, lineEmpty)
				continue
			}
			ss := splitSentences(l)
			if len(ss) == 1 && !endsSentence(ss[0]) {
				pieces = append(pieces, piece{cat: ra.cat, art: ai, text: l})
				skel = append(skel, lineUnit)
				continue
			}
			for _, s := range ss {
				pieces = append(pieces, piece{cat: ra.cat, art: ai, text: s, sentence: true})
			}
			skel = append(skel, int16(min(len(ss), 1<<14)))
		}
		skeletons[ai] = skel
	}

	// tokenise in parallel: kagome's tokenizer is safe for concurrent use
	tok, err := tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	if err != nil {
		panic(fmt.Sprintf("corpusgen: kagome: %v", err)) // only on a nil dictionary
	}
	var wg sync.WaitGroup
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(pieces); i += opt.Workers {
				pieces[i].cands, pieces[i].nouns = candidates(tok, pieces[i].text)
			}
		}(w)
	}
	wg.Wait()

	// document frequency of candidate surfaces over the whole corpus, and of
	// common nouns per category
	df := map[string]int{}
	nounDF := make([]map[string]int, len(src.cats))
	for i := range nounDF {
		nounDF[i] = map[string]int{}
	}
	seen := map[string]bool{}
	seenNoun := map[string]bool{}
	for i := 0; i < len(pieces); {
		art := pieces[i].art
		clear(seen)
		clear(seenNoun)
		for ; i < len(pieces) && pieces[i].art == art; i++ {
			p := &pieces[i]
			for _, c := range p.cands {
				seen[p.text[c.start:c.end]] = true
			}
			for _, n := range p.nouns {
				seenNoun[n] = true
			}
		}
		for s := range seen {
			df[s]++
		}
		for n := range seenNoun {
			nounDF[raws[art].cat][n]++
		}
	}

	pools := map[kind]map[string]bool{}
	for k := range numKinds {
		pools[k] = map[string]bool{}
	}
	var kataNames, latinNames []string
	kataSeen, latinSeen := map[string]bool{}, map[string]bool{}
	for i := range pieces {
		p := &pieces[i]
		var slots []slot
		for _, c := range p.cands {
			surf := p.text[c.start:c.end]
			switch c.script {
			case scriptKanji:
				switch c.kind {
				case kindPerson:
					if c.mid > 0 {
						pools[kindSurname][p.text[c.start:c.mid]] = true
						pools[kindGiven][p.text[c.mid:c.end]] = true
					}
				default:
					pools[c.kind][surf] = true
				}
			case scriptKatakana:
				if !kataSeen[surf] {
					kataSeen[surf] = true
					kataNames = append(kataNames, surf)
				}
			case scriptLatin:
				if c.kind == kindLatinName && !latinSeen[surf] {
					latinSeen[surf] = true
					latinNames = append(latinNames, strings.ToLower(surf))
				}
			}
			if df[surf] <= opt.DFMax {
				slots = append(slots, c)
			}
		}
		p.cands = slots
	}
	sortedKeys := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	src.surnames = sortedKeys(pools[kindSurname])
	src.givens = sortedKeys(pools[kindGiven])
	src.orgs = sortedKeys(pools[kindOrg])
	src.places = sortedKeys(pools[kindPlace])
	src.propers = sortedKeys(pools[kindProper])
	suffixes := map[string]bool{}
	for _, o := range src.orgs {
		if r := []rune(o); len(r) >= 4 {
			suffixes[string(r[len(r)-2:])] = true
		}
	}
	src.orgSuffixes = sortedKeys(suffixes)
	sort.Strings(kataNames)
	sort.Strings(latinNames)
	src.katakana = newMarkov(kataNames, morae, 1)
	src.latin = newMarkov(latinNames, letters, 2)

	for ai := range raws {
		src.cats[raws[ai].cat].skeletons = append(src.cats[raws[ai].cat].skeletons, skeletons[ai])
	}
	for i := range pieces {
		p := &pieces[i]
		if hasNeedle(p.text) {
			src.dropped++
			continue
		}
		c := src.cats[p.cat]
		u := unit{text: p.text, slots: p.cands}
		switch {
		case p.title:
			c.titles = append(c.titles, title{unit: u, cuts: titleCuts(p.text)})
		case p.sentence:
			idx := int32(len(c.sentences))
			c.sentences = append(c.sentences, u)
			var done [numScripts]bool
			for _, s := range u.slots {
				if plantable(s) && !done[s.script] {
					done[s.script] = true
					c.withSlot[s.script] = append(c.withSlot[s.script], idx)
				}
			}
		default:
			c.lines = append(c.lines, u)
		}
	}
	for ci, c := range src.cats {
		c.tags = topNouns(nounDF[ci], 300)
	}
}

// plantable reports whether a needle word may take the slot's place.
func plantable(s slot) bool {
	return s.script != scriptOther && s.kind != kindSurname && s.kind != kindGiven
}

// topNouns returns up to n nouns found in at least 3 articles, most
// frequent first (ties by string, for determinism).
func topNouns(df map[string]int, n int) []string {
	var out []string
	for w, c := range df {
		if c >= 3 {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if df[out[i]] != df[out[j]] {
			return df[out[i]] > df[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// splitSentences cuts a line after each 。！？!? outside brackets, keeping
// the closing punctuation with its sentence.
func splitSentences(line string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range line {
		switch r {
		case '「', '『', '（', '(', '【', '“':
			depth++
		case '」', '』', '）', ')', '】', '”':
			if depth > 0 {
				depth--
			}
		case '。', '！', '？', '!', '?':
			if depth == 0 {
				end := i + utf8.RuneLen(r)
				// keep a run of closing marks (！！, ！？) together
				for end < len(line) {
					r2, n := utf8.DecodeRuneInString(line[end:])
					if r2 != '！' && r2 != '？' && r2 != '!' && r2 != '?' && r2 != '。' {
						break
					}
					end += n
				}
				if end > start {
					out = append(out, line[start:end])
				}
				start = end
			}
		}
	}
	if start < len(line) {
		if rest := line[start:]; strings.TrimSpace(rest) != "" {
			out = append(out, rest)
		}
	}
	return out
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '。' || r == '！' || r == '？' || r == '!' || r == '?'
}

// titleCuts are the byte offsets after a delimiter outside brackets where
// a title may be cut (after 】、！？」 or a space), not at either end.
func titleCuts(t string) []int32 {
	var cuts []int32
	depth := 0
	for i, r := range t {
		switch r {
		case '「', '『', '（', '(', '【', '“', '″':
			if r != '″' || depth == 0 {
				depth++
				continue
			}
			depth--
		case '」', '』', '）', ')', '】', '”':
			if depth > 0 {
				depth--
			}
		}
		if depth > 0 {
			continue
		}
		switch r {
		case '】', '、', '！', '？', '」', '』', '　', ' ', '…', '″':
			end := i + utf8.RuneLen(r)
			if end > 3 && end < len(t)-3 && (len(cuts) == 0 || cuts[len(cuts)-1] != int32(end)) {
				cuts = append(cuts, int32(end))
			}
		}
	}
	return cuts
}

// candidates finds the proper-noun spans of text (kagome IPA POS
// 名詞,固有名詞; katakana words the dictionary does not know; Latin words
// that look like names or model numbers) and its common nouns.
func candidates(tok *tokenizer.Tokenizer, text string) ([]slot, []string) {
	var out []string
	latin := latinSpans(text)
	inLatin := func(pos int) bool {
		for _, s := range latin {
			if pos >= int(s.start) && pos < int(s.end) {
				return true
			}
		}
		return false
	}
	slots := append([]slot(nil), latin...)
	toks := tok.Analyze(text, tokenizer.Normal)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Surface == "" || inLatin(t.Position) {
			continue
		}
		f := t.Features()
		if len(f) < 4 || f[0] != "名詞" {
			continue
		}
		start, end := int32(t.Position), int32(t.Position+len(t.Surface))
		var k kind
		var mid int32
		switch {
		case f[1] == "固有名詞" && f[2] == "人名":
			switch f[3] {
			case "姓":
				k = kindSurname
				if i+1 < len(toks) {
					if g := toks[i+1].Features(); len(g) >= 4 && g[1] == "固有名詞" && g[2] == "人名" && g[3] == "名" &&
						scriptOf(toks[i+1].Surface) == scriptOf(t.Surface) {
						k, mid, end = kindPerson, end, int32(toks[i+1].Position+len(toks[i+1].Surface))
						i++
					}
				}
			case "名":
				k = kindGiven
			default:
				k = kindPerson
			}
		case f[1] == "固有名詞" && f[2] == "組織":
			k = kindOrg
		case f[1] == "固有名詞" && f[2] == "地域":
			if f[3] == "国" {
				continue
			}
			k = kindPlace
		case f[1] == "固有名詞":
			k = kindProper
		case t.Class == tokenizer.UNKNOWN && scriptOf(t.Surface) == scriptKatakana && utf8.RuneCountInString(t.Surface) >= 3:
			k = kindProper
		default:
			if (f[1] == "一般" || f[1] == "サ変接続") && utf8.RuneCountInString(t.Surface) >= 2 && scriptOf(t.Surface) != scriptOther {
				out = append(out, t.Surface)
			}
			continue
		}
		sc := scriptOf(text[start:end])
		if sc == scriptOther || sc == scriptLatin {
			continue
		}
		if k == kindSurname || k == kindGiven || k == kindPerson {
			if sc == scriptKatakana && k != kindPerson {
				k = kindProper // katakana name parts are minted like other katakana names
			}
		}
		slots = append(slots, slot{start: start, end: end, mid: mid, kind: k, script: sc})
	}
	slices.SortFunc(slots, func(a, b slot) int { return int(a.start - b.start) })
	return slots, out
}

// latinSpans finds ASCII words that look like product names: a letter
// first, then letters, digits or hyphens; with a digit it is a model code
// (SH-01D), without one a name if it has a capital and is not a short
// acronym (SnapCrab, Android; not PC, NHK, USB). Text with a URL or an
// e-mail address has none.
func latinSpans(text string) []slot {
	if strings.Contains(text, "http") || strings.Contains(text, "www.") || strings.Contains(text, "@") {
		return nil
	}
	var out []slot
	isW := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
	}
	for i := 0; i < len(text); {
		b := text[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') || i > 0 && (isW(text[i-1]) || strings.IndexByte("./:_&'", text[i-1]) >= 0) {
			i++
			continue
		}
		j := i
		for j < len(text) && isW(text[j]) {
			j++
		}
		for j > i && text[j-1] == '-' {
			j--
		}
		w := text[i:j]
		next := byte(0)
		if j < len(text) {
			next = text[j]
		}
		var digits, upper, lower int
		for k := 0; k < len(w); k++ {
			switch c := w[k]; {
			case c >= '0' && c <= '9':
				digits++
			case c >= 'A' && c <= 'Z':
				upper++
			case c >= 'a' && c <= 'z':
				lower++
			}
		}
		if next != '.' && next != '/' && next != '_' && next != '@' {
			switch {
			case digits > 0 && len(w) >= 2:
				out = append(out, slot{start: int32(i), end: int32(j), kind: kindLatinCode, script: scriptLatin})
			case digits == 0 && len(w) >= 3 && upper > 0 && lower > 0:
				out = append(out, slot{start: int32(i), end: int32(j), kind: kindLatinName, script: scriptLatin})
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return out
}

// scriptOf says whether s is all kanji (々 and ヶ included), all katakana
// (ー included), all ASCII letters, digits and hyphens, or something else.
func scriptOf(s string) script {
	if s == "" {
		return scriptOther
	}
	var kanji, kata, latin, n int
	for _, r := range s {
		n++
		switch {
		case unicode.Is(unicode.Han, r) || r == '々' || r == 'ヶ':
			kanji++
		case r >= 'ァ' && r <= 'ヺ' || r == 'ー':
			kata++
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'):
			latin++
		}
	}
	switch n {
	case kanji:
		return scriptKanji
	case kata:
		if s[0] == "ー"[0] && strings.HasPrefix(s, "ー") {
			return scriptOther
		}
		return scriptKatakana
	case latin:
		return scriptLatin
	}
	return scriptOther
}

// Stats describes what Load read.
type Stats struct {
	Dir        string
	Articles   int
	BodyBytes  int64
	Categories []string
	Sentences  int
	Slots      int
	Dropped    int // units left out because they contain a needle word
}

// Stats reports what the source holds.
func (src *Source) Stats() Stats {
	st := Stats{Dir: src.dir, Articles: src.articles, BodyBytes: src.bodyBytes, Dropped: src.dropped}
	for _, c := range src.cats {
		st.Categories = append(st.Categories, c.name)
		st.Sentences += len(c.sentences)
		for _, u := range c.sentences {
			st.Slots += len(u.slots)
		}
	}
	return st
}

// Articles calls fn for every article of the corpus as read (title and
// body), in a shuffled order fixed by seed: the real side of the vocabulary
// growth report.
func (src *Source) Articles(seed uint64, fn func(title, body string)) error {
	var paths []string
	err := filepath.WalkDir(src.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") && !strings.HasPrefix(d.Name(), "LICENSE") && filepath.Dir(p) != src.dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	r := newRand(seed, 0x5eed)
	r.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	for _, p := range paths {
		ra, ok, err := readLivedoor(p)
		if err != nil {
			return err
		}
		if ok {
			fn(ra.title, strings.Join(ra.lines, "\n"))
		}
	}
	return nil
}
