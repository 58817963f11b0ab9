package analyzer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden compares both analyses of the articles in testdata/analyzer
// with golden files: one token a line, term, start, end, position.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob("../testdata/analyzer/*.txt")
	if len(inputs) == 0 {
		t.Fatal("no inputs in ../testdata/analyzer")
	}
	a := Default()
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			r := a.Analyze(string(raw))
			for kind, toks := range map[string][]Token{"words": r.Words, "grams": r.Grams} {
				var got bytes.Buffer
				if err := WriteTokens(&got, toks); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("../testdata/analyzer", name+"."+kind+".golden")
				if *update {
					if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./analyzer -run TestGolden -update)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s %s differs from %s:\n%s", name, kind, golden, firstDiff(got.String(), string(want)))
				}
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n  got  " + gl + "\n  want " + wl
		}
	}
	return ""
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for i >= 10 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	n--
	b[n] = byte('0' + i)
	return string(b[n:])
}

// tokenAt returns the first token of toks whose term is term.
func tokenAt(toks []Token, term string) (Token, bool) {
	for _, t := range toks {
		if t.Term == term {
			return t, true
		}
	}
	return Token{}, false
}

func TestOffsetsAreOriginalBytes(t *testing.T) {
	a := Default()
	tests := []struct {
		text, term, surface string
		words               bool
	}{
		{"ＡＩの時代", "ai", "ＡＩ", true},
		{"新型ｽﾏﾎを買う", "スマホ", "ｽﾏﾎ", true},
		{"㈱ソフト", "<株>", "㈱", false},
		{"ｻｰﾊﾞｰ管理", "サーバ", "ｻｰﾊﾞｰ", true},
		{"iPhone 4Sが", "iphone", "iPhone", false},
		{"ＮＴＴドコモ", "ntt", "ＮＴＴ", false},
	}
	for _, tt := range tests {
		r := a.Analyze(tt.text)
		toks := r.Grams
		if tt.words {
			toks = r.Words
		}
		tok, ok := tokenAt(toks, tt.term)
		if !ok {
			t.Errorf("%q: no token %q in %v", tt.text, tt.term, toks)
			continue
		}
		if got := tt.text[tok.Start:tok.End]; got != tt.surface {
			t.Errorf("%q: token %q covers %q, want %q", tt.text, tt.term, got, tt.surface)
		}
	}
}

func TestVariantsAreOneTerm(t *testing.T) {
	a := Default()
	for _, pair := range [][2]string{
		{"サーバー", "サーバ"}, {"コンピューター", "コンピュータ"}, {"ユーザー", "ユーザ"},
		{"ＡＩ", "AI"}, {"ｽﾏﾎ", "スマホ"}, {"ウェブ", "ウエブ"}, {"ｻｰﾊﾞｰ", "サーバ"},
		{"Ｗｉｎｄｏｗｓ", "windows"}, {"ＡＫＢ４８", "AKB48"},
	} {
		got, want := a.GramPhrase(pair[0]), a.GramPhrase(pair[1])
		if len(got) == 0 || !equalPhrase(got, want) {
			t.Errorf("GramPhrase(%q) = %v, GramPhrase(%q) = %v: want equal", pair[0], got, pair[1], want)
		}
		gw, ww := a.WordPhrase(pair[0]), a.WordPhrase(pair[1])
		if strings.Join(gw, "|") != strings.Join(ww, "|") {
			t.Errorf("WordPhrase(%q) = %v, WordPhrase(%q) = %v: want equal", pair[0], gw, pair[1], ww)
		}
	}
}

func equalPhrase(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "|") != strings.Join(b[i], "|") {
			return false
		}
	}
	return true
}

// TestBoundaries pins the gram analysis's word boundaries: a word found
// where it stands as a word, however kagome cut it, and not inside another.
func TestBoundaries(t *testing.T) {
	a := Default()
	tests := []struct {
		text, query string
		want        bool
	}{
		{"呉泳銘CEOが発言した", "呉泳銘", true},
		{"東京都の職員", "京都", false},
		{"京都を訪れた", "京都", true},
		{"新しいタブレット", "タブ", false},
		{"ブラウザのタブ機能", "タブ", true},
		{"アップデートの予定", "デート", false},
		{"スイーツコスメが人気", "コスメ", true},
		{"東日本大震災の被災地", "震災", true},
		{"iPhone 4Sを発売", "iPhone", true},
		{"iPhoneを発売", "One", false},
		{"mixiの新機能", "Xi", false},
		{"twitterで話題", "IT", false},
		{"ITジャーナリスト", "IT", true},
		{"マーク・ザッカーバーグ氏", "ザッカーバーグ", true},
		{"日本の首相が", "日本の首相", true},         // a particle in a query stands for one character
		{"日本と首相が", "日本の首相", true},         //
		{"日本人の首相が", "日本の首相", false},       // but 日本 must still end on a boundary
		{"新しい首相が", "の首相", true},           // a leading particle matches nothing itself
		{"アップデートの予定", "の予定", true},        //
		{"Googleの新サービス", "Googleの", true}, // nor a trailing one (it used to need a unigram)
		{"iPhone™を発表", "iPhone", true},    // ™ stays a symbol, not "tm"
		{"Blu X rayの", "Blu-ray", false},  // a symbol in a Latin name is a term
		{"Blu-rayの", "Blu-ray", true},     //
		{"Blu‐rayの", "Blu-ray", true},     // any dash is a hyphen
		{"10x7の", "10.7", false},          //
		{"OS X 10.7の", "10.7", true},      //
		{"ビル・ゲイツ氏", "ビルゲイツ", true},        // a ・ between katakana is a boundary, not a break
		{"ビルゲイツ氏", "ビル・ゲイツ", true},        //
		{"ビル ゲイツ氏", "ビル・ゲイツ", true},       //
		{"ガラケーユーザーの声", "ガラケー", true},      // an unknown word in front of a common one
		{"ディズニースマホの", "ディズニー", true},      // a long word in front of an unknown one
		{"コスメッティの", "コスメ", false},         // no word starts with ッ
		{"エフセキュアの", "キュア", false},         // nor is a rare word split off a name
	}
	for _, tt := range tests {
		if got := phraseMatches(a.GramPhrase(tt.query), a.Grams(tt.text)); got != tt.want {
			t.Errorf("%q in %q: matched %v, want %v (grams %v)", tt.query, tt.text, got, tt.want, a.Grams(tt.text))
		}
	}
}

// phraseMatches is a phrase search over one token stream, as bleve does it.
func phraseMatches(phrase [][]string, toks []Token) bool {
	at := map[int]map[string]bool{}
	for _, t := range toks {
		if at[t.Position] == nil {
			at[t.Position] = map[string]bool{}
		}
		at[t.Position][t.Term] = true
	}
	for _, t := range toks {
		start := t.Position
		ok := true
		for i, alts := range phrase {
			if len(alts) == 0 {
				continue
			}
			found := false
			for _, x := range alts {
				found = found || at[start+i][x]
			}
			if !found {
				ok = false
				break
			}
		}
		if ok && len(phrase) > 0 {
			return true
		}
	}
	return false
}

func TestUserDict(t *testing.T) {
	u, err := ReadUserDict(strings.NewReader("# test\n呉泳銘,呉泳銘,ゴエイメイ,人名\n関西国際空港,関西 国際 空港,カンサイ コクサイ クウコウ,固有名詞\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(WithUserDict(u))
	if err != nil {
		t.Fatal(err)
	}
	r := a.Analyze("呉泳銘氏が関西国際空港に着いた")
	if w, ok := tokenAt(r.Words, "呉泳銘"); !ok || w.POS != "名詞,固有名詞,人名" {
		t.Errorf("呉泳銘 is not one person word: %v", r.Words)
	}
	var parts []string
	for _, w := range r.Words {
		if strings.Contains("関西国際空港", w.Term) {
			parts = append(parts, w.Term)
		}
	}
	if strings.Join(parts, "|") != "関西|国際|空港" {
		t.Errorf("関西国際空港 segments = %v, want 関西|国際|空港", parts)
	}
	// the user word is one word: no boundary inside it any more
	if phraseMatches(a.GramPhrase("泳銘"), r.Grams) {
		t.Error("泳銘 matches inside the user word 呉泳銘")
	}
	// nor does the katakana lexicon cut a user word (アリババ|グループ)
	u2, err := ReadUserDict(strings.NewReader("アリババグループ,アリババグループ,アリババグループ,固有名詞\n"))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := New(WithUserDict(u2))
	if err != nil {
		t.Fatal(err)
	}
	if g := a2.Grams("アリババグループが発表"); phraseMatches(a2.GramPhrase("グループ"), g) {
		t.Errorf("グループ matches inside the user word アリババグループ: %v", g)
	}
	if a.Config() == Default().Config() {
		t.Error("a user dictionary does not change the analysis config")
	}
	for _, bad := range []string{"a,b\n", "東京,京都,トウキョウ,名詞\n", "関西空港,関西 空港,カンサイ,名詞\n", ""} {
		if _, err := ReadUserDict(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadUserDict(%q) accepted a bad dictionary", bad)
		}
	}
}

func TestBadInput(t *testing.T) {
	a := Default()
	long := strings.Repeat("漢字かなカナ", 1<<17) // 2.4 MB without punctuation
	for name, text := range map[string]string{
		"empty":       "",
		"invalid":     "abc\xff\xfeデータ\xc3",
		"controls":    "a\x00b\x01c\x7f日本\x1b[31m語",
		"long line":   long,
		"only spaces": " \t\n　",
		"combining":   "か\u3099き\u309aｶﾞ",
	} {
		r := a.Analyze(text)
		checkTokens(t, name, text, r.Words)
		checkTokens(t, name, text, r.Grams)
	}
	if r := a.Analyze(long); len(r.Grams) < utf8.RuneCountInString(long)/2 {
		t.Errorf("long line: %d grams for %d characters", len(r.Grams), utf8.RuneCountInString(long))
	}
}

// checkTokens asserts the invariants every analysis keeps.
func checkTokens(t *testing.T, name, text string, toks []Token) {
	t.Helper()
	last, valid := 0, utf8.ValidString(text)
	for _, tok := range toks {
		if tok.Start < 0 || tok.Start >= tok.End || tok.End > len(text) {
			t.Fatalf("%s: token %q has span [%d,%d) in %d bytes", name, tok.Term, tok.Start, tok.End, len(text))
		}
		if valid && !utf8.ValidString(text[tok.Start:tok.End]) {
			t.Fatalf("%s: token %q covers invalid UTF-8 %q", name, tok.Term, text[tok.Start:tok.End])
		}
		if tok.Position < last {
			t.Fatalf("%s: position %d after %d", name, tok.Position, last)
		}
		last = tok.Position
	}
}

// TestConcurrent analyses with one shared Analyzer from many goroutines;
// run with -race.
func TestConcurrent(t *testing.T) {
	a := Default()
	texts := []string{"呉泳銘CEOはAIを語った", "東京都と京都", "ｽﾏﾎとサーバー", "iPhone 4SとWindows 8"}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = dump(a.Analyze(s))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := (g + i) % len(texts)
				if got := dump(a.Analyze(texts[k])); got != want[k] {
					t.Errorf("concurrent analysis of %q differs", texts[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func dump(r Result) string {
	var b bytes.Buffer
	_ = WriteTokens(&b, r.Words)
	_ = WriteTokens(&b, r.Grams)
	return b.String()
}

func TestRegistered(t *testing.T) {
	cache := registry.NewCache()
	for _, name := range []string{WordAnalyzerName, GramAnalyzerName} {
		an, err := cache.AnalyzerNamed(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ts := an.Analyze([]byte("京都の呉泳銘")); len(ts) == 0 {
			t.Errorf("%s produced no tokens", name)
		}
	}
	if !strings.Contains(WordAnalyzerName, "v") || !strings.HasSuffix(GramAnalyzerName, itoa(Version)) {
		t.Errorf("analyzer names %s, %s do not carry version %d", WordAnalyzerName, GramAnalyzerName, Version)
	}
}
