package corpusgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// ldcc is the shared livedoor corpus, beside the repository (or under
// $SHARED, for a work tree elsewhere).
var ldcc = func() string {
	if s := os.Getenv("SHARED"); s != "" {
		return filepath.Join(s, "corpus", "ldcc")
	}
	return "../../../../shared/corpus/ldcc"
}()

// small reads 40 articles of each category: enough for every behaviour,
// quick to tokenise.
var small = sync.OnceValues(func() (*Source, error) {
	return Load(ldcc, LoadOptions{PerCategory: 40})
})

func source(t testing.TB) *Source {
	t.Helper()
	if _, err := os.Stat(ldcc); err != nil {
		t.Skip("no shared corpus at", ldcc)
	}
	src, err := small()
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// generate writes articles from..from+n-1 as JSON Lines.
func generate(t testing.TB, g *Generator, from, n int) ([]byte, Manifest) {
	t.Helper()
	var buf bytes.Buffer
	man, sum, err := g.Write(Output{JSONL: &buf}, from, n)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != n || sum.JSONBytes != int64(buf.Len()) {
		t.Fatalf("summary %+v for %d articles, %d bytes", sum, n, buf.Len())
	}
	return buf.Bytes(), man
}

func decode(t testing.TB, data []byte) []articleJSON {
	t.Helper()
	var out []articleJSON
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var a articleJSON
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, a)
	}
	return out
}

func TestSameSeedSameBytes(t *testing.T) {
	src := source(t)
	a, _ := generate(t, New(src, Config{Seed: 7}), 0, 300)
	b, _ := generate(t, New(src, Config{Seed: 7}), 0, 300)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with seed 7 differ")
	}
	c, _ := generate(t, New(src, Config{Seed: 8}), 0, 300)
	if bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 give the same corpus")
	}
	// the number of workers does not change the output
	var buf bytes.Buffer
	if _, _, err := New(src, Config{Seed: 7}).Write(Output{JSONL: &buf, Workers: 5}, 0, 300); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, buf.Bytes()) {
		t.Fatal("5 workers wrote other bytes than 2")
	}
}

func TestPrefixStable(t *testing.T) {
	src := source(t)
	g := New(src, Config{Seed: 3})
	short, _ := generate(t, g, 0, 200)
	long, _ := generate(t, New(src, Config{Seed: 3}), 0, 500)
	if !bytes.HasPrefix(long, short) {
		t.Fatal("the 200-article corpus is not a prefix of the 500-article one")
	}
	// -from: articles 200..499 by themselves are the rest of the long corpus
	rest, _ := generate(t, g, 200, 300)
	if got := append(append([]byte{}, short...), rest...); !bytes.Equal(got, long) {
		t.Fatal("articles 0..199 then 200..499 differ from 0..499 at once")
	}
}

// searchForm is the needle test's folding, written apart from the
// generator's: NFKC and lower case, as the search engines see the text.
func searchForm(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

func TestNeedleManifestExact(t *testing.T) {
	src := source(t)
	for _, block := range []int{0, 1000} { // the default block of a million, and a block of 1,000
		g := New(src, Config{Seed: 11, NeedleBlock: block})
		data, man := generate(t, g, 0, 1000)
		arts := decode(t, data)
		folded := make([]string, len(arts))
		for i, a := range arts {
			folded[i] = searchForm(a.Title + "\n" + a.Body + "\n" + strings.Join(a.Tags, "\n"))
		}
		if len(man) != len(needleWords) {
			t.Fatalf("block %d: manifest has %d words, want %d", block, len(man), len(needleWords))
		}
		for _, w := range needleWords {
			ids := man[w]
			// the first occurrence of every needle is in the first 1,000 articles,
			// and with a block of 1,000 each has its count scaled to 1
			if len(ids) != 1 {
				t.Errorf("block %d: %s in %d articles, want 1", block, w, len(ids))
			}
			if !sort.StringsAreSorted(ids) {
				t.Errorf("block %d: %s: IDs not sorted: %v", block, w, ids)
			}
			listed := map[string]bool{}
			for _, id := range ids {
				listed[id] = true
			}
			fw := searchForm(w)
			for i, a := range arts {
				if listed[a.ID] && !strings.Contains(a.Title+"\n"+a.Body, w) {
					t.Errorf("block %d: %s listed for %s, not in its text as written", block, w, a.ID)
				}
				if !listed[a.ID] && strings.Contains(folded[i], fw) {
					t.Errorf("block %d: %s occurs in %s, which the manifest does not list", block, w, a.ID)
				}
			}
		}
	}
}

// The default plan puts each needle in exactly its count of articles per
// million: what a benchmark at 1M checks recall against.
func TestNeedleCountsPerMillion(t *testing.T) {
	src := source(t)
	g := New(src, Config{Seed: 5})
	for _, block := range []int{0, 1} {
		p := g.planBlock(block)
		count := make([]int, len(g.needles))
		for off, js := range p.at {
			if off < 0 || off >= 1_000_000 {
				t.Fatalf("offset %d outside the block", off)
			}
			for _, j := range js {
				count[j]++
			}
		}
		seen := map[int]bool{}
		for j, nd := range g.needles {
			if count[j] != needleCounts[j%10] {
				t.Errorf("block %d: %s planted in %d articles, want %d", block, nd.word, count[j], needleCounts[j%10])
			}
			seen[nd.count] = true
		}
		if len(seen) != len(needleCounts) {
			t.Errorf("needle counts %v, want all of %v", seen, needleCounts)
		}
	}
}

func TestNeedleWordsAbsentFromCorpus(t *testing.T) {
	src := source(t)
	if src.Stats().Dropped != 0 {
		t.Errorf("%d corpus units contain a needle word: choose other words", src.Stats().Dropped)
	}
	seen := map[string]bool{}
	for _, w := range needleWords {
		if seen[fold(w)] {
			t.Errorf("needle %s twice", w)
		}
		seen[fold(w)] = true
		if scriptOf(w) == scriptOther {
			t.Errorf("needle %s mixes scripts: no slot can take it", w)
		}
	}
}

func TestVocabularyGrows(t *testing.T) {
	src := source(t)
	g := New(src, Config{Seed: 2})
	names := map[string]bool{}
	const n = 600
	var atN int
	for i := range 2 * n {
		a, err := g.Article(i)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range a.Minted {
			names[m] = true
			if !strings.Contains(a.Title+"\n"+a.Body, m) {
				t.Errorf("article %d: minted name %q not in its text", i, m)
			}
		}
		if i == n-1 {
			atN = len(names)
		}
	}
	at2N := len(names)
	// Heaps' law with the default Zipf exponent gives about 2^(1/1.2) = 1.78
	if ratio := float64(at2N) / float64(atN); atN < 300 || ratio < 1.4 {
		t.Errorf("distinct minted names: %d in %d articles, %d in %d (ratio %.2f); want growth of at least 1.4", atN, n, at2N, 2*n, ratio)
	}
}

func TestArticleFields(t *testing.T) {
	src := source(t)
	g := New(src, Config{Seed: 9})
	data, _ := generate(t, g, 0, 400)
	if !bytes.Contains(data[:200], []byte(`{"id":"g9-00000000","title":`)) {
		t.Errorf("first line starts %q, want the id first", data[:40])
	}
	cats := map[string]bool{}
	for _, c := range g.Categories() {
		cats[c] = true
	}
	if len(cats) <= len(src.cats) {
		t.Errorf("categories %v: want the corpus's %d and more", g.Categories(), len(src.cats))
	}
	years := map[int]int{}
	ids := map[string]bool{}
	for i, a := range decode(t, data) {
		if a.ID != ID(9, i) || ids[a.ID] {
			t.Fatalf("line %d: id %q, want %q once", i+1, a.ID, ID(9, i))
		}
		ids[a.ID] = true
		p, err := time.Parse(time.RFC3339, a.Published)
		if err != nil || !strings.HasSuffix(a.Published, "+09:00") {
			t.Errorf("%s: published %q: want RFC 3339 in +09:00 (%v)", a.ID, a.Published, err)
		}
		if p.Before(epoch) || !p.Before(epochEnd) {
			t.Errorf("%s: published %s outside 2006-2025", a.ID, a.Published)
		}
		years[p.Year()]++
		if a.Title == "" || len(a.Body) < 20 || !strings.HasPrefix(a.URL, "https://") || !strings.HasSuffix(a.URL, a.ID) {
			t.Errorf("%s: title %q, body %d bytes, url %q", a.ID, a.Title, len(a.Body), a.URL)
		}
		if !cats[a.Category] || a.Source == "" {
			t.Errorf("%s: category %q, source %q", a.ID, a.Category, a.Source)
		}
		if len(a.Tags) > 4 {
			t.Errorf("%s: %d tags", a.ID, len(a.Tags))
		}
	}
	// denser recently: the last five years hold more than the first five
	early, late := 0, 0
	for y, n := range years {
		if y < 2011 {
			early += n
		}
		if y >= 2021 {
			late += n
		}
	}
	if late <= early {
		t.Errorf("articles 2006-2010: %d, 2021-2025: %d; want more recent ones", early, late)
	}
}

func TestFilesOutput(t *testing.T) {
	src := source(t)
	g := New(src, Config{Seed: 4})
	dir := t.TempDir()
	var buf bytes.Buffer
	if _, _, err := g.Write(Output{JSONL: &buf, Dir: filepath.Join(dir, "parts"), PerFile: 100}, 0, 250); err != nil {
		t.Fatal(err)
	}
	var joined []byte
	for _, p := range []string{"part-000000.jsonl", "part-000001.jsonl", "part-000002.jsonl"} {
		b, err := os.ReadFile(filepath.Join(dir, "parts", p))
		if err != nil {
			t.Fatal(err)
		}
		joined = append(joined, b...)
	}
	if !bytes.Equal(joined, buf.Bytes()) {
		t.Error("the parts joined differ from the JSON Lines file")
	}
	if _, _, err := g.Write(Output{Dir: filepath.Join(dir, "txt"), DirFormat: "txt"}, 0, 20); err != nil {
		t.Fatal(err)
	}
	a, err := g.Article(3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "txt", a.Category, a.ID+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 4)
	if lines[0] != a.URL || lines[2] != a.Title || !strings.HasPrefix(lines[1], a.Published.Format("2006-01-02T15:04")) || !strings.HasSuffix(lines[1], "+0900") {
		t.Errorf("livedoor file starts %q", lines[:3])
	}
}

func TestSplitSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"晴れた。雨が降る！本当？", []string{"晴れた。", "雨が降る！", "本当？"}},
		{"彼は「行く。帰る。」と言った。次だ。", []string{"彼は「行く。帰る。」と言った。", "次だ。"}},
		{"えっ！？そうなの", []string{"えっ！？", "そうなの"}},
		{"■見出し", []string{"■見出し"}},
	} {
		if got := splitSentences(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitSentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLatinSpans(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // span texts and kinds
	}{
		{"ドコモのSH-01Dは", "SH-01D:latin-code"},
		{"SnapCrab for IEで", "SnapCrab:latin-name"},
		{"PCとNHKとUSB", ""},
		{"詳しくはhttp://example.com/X5で", ""},
		{"iPhone 4Sの発売", "iPhone:latin-name 4S:"},
	} {
		var got []string
		for _, s := range latinSpans(tc.in) {
			got = append(got, tc.in[s.start:s.end]+":"+s.kind.String())
		}
		want := tc.want
		if want == "iPhone:latin-name 4S:" {
			want = "iPhone:latin-name" // a code starts with a letter: 4S stays
		}
		if strings.Join(got, " ") != want {
			t.Errorf("latinSpans(%q) = %q, want %q", tc.in, got, want)
		}
	}
}

// BenchmarkWrite measures generation into JSON Lines (two workers), on the
// small source; gencorpus on the whole corpus reports the same figures.
func BenchmarkWrite(b *testing.B) {
	src := source(b)
	g := New(src, Config{Seed: 1})
	b.ReportAllocs()
	var sum Summary
	for b.Loop() {
		var err error
		_, sum, err = g.Write(Output{JSONL: io.Discard}, 0, 1000)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(sum.JSONBytes)
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "articles/s")
}
