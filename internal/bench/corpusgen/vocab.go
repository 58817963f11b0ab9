package corpusgen

import (
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// A word, for the vocabulary-growth report, is a content word as kagome
// (IPA dictionary, normal mode) segments the text, NFKC-folded and lower
// case:
//   - nouns (名詞) except numbers (数), dependent nouns (非自立), pronouns
//     (代名詞), suffixes (接尾) and 特殊, by surface form;
//   - independent verbs and adjectives (動詞/形容詞,自立) by base form;
//   - adverbs (副詞) by surface form;
//   - any word the dictionary does not know (UNKNOWN), by surface form;
//
// and not made only of digits, punctuation or symbols. A word is a proper
// noun when it is 名詞,固有名詞 or unknown to the dictionary: the part of
// the vocabulary that new names make grow.

// VocabPoint is the vocabulary of the first N articles.
type VocabPoint struct {
	N      int
	Words  int // distinct words
	Proper int // distinct proper nouns among them
}

// vocabTokenizer is loaded once: the IPA dictionary takes a second.
var vocabTokenizer = sync.OnceValue(func() *tokenizer.Tokenizer {
	t, err := tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	if err != nil {
		panic(err)
	}
	return t
})

// contentWords calls fn for each content word of text.
func contentWords(tok *tokenizer.Tokenizer, text string, fn func(w string, proper bool)) {
	for _, line := range strings.Split(text, "\n") {
		for _, t := range tok.Analyze(line, tokenizer.Normal) {
			if t.Surface == "" || !hasLetter(t.Surface) {
				continue
			}
			f := t.Features()
			if t.Class == tokenizer.UNKNOWN {
				fn(fold(t.Surface), true)
				continue
			}
			if len(f) < 2 {
				continue
			}
			w := t.Surface
			switch f[0] {
			case "名詞":
				switch f[1] {
				case "数", "非自立", "代名詞", "接尾", "特殊":
					continue
				}
				fn(fold(w), f[1] == "固有名詞")
				continue
			case "動詞", "形容詞":
				if f[1] != "自立" {
					continue
				}
				if len(f) > 6 && f[6] != "*" {
					w = f[6]
				}
			case "副詞":
			default:
				continue
			}
			fn(fold(w), false)
		}
	}
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// VocabCurve tokenises text(0), text(1), ... text(max-1) with workers in
// parallel and returns the vocabulary of the first N texts for every N in
// at (ascending; those above max are left out).
func VocabCurve(text func(i int) (string, error), max int, at []int, workers int) ([]VocabPoint, error) {
	if workers <= 0 {
		workers = 2
	}
	tok := vocabTokenizer()
	type word struct {
		w      string
		proper bool
	}
	words := map[string]bool{} // word -> proper
	proper := 0
	var out []VocabPoint
	next := 0
	const batch = 128
	got := make([][]word, batch)
	errs := make([]error, workers)
	for start := 0; start < max; start += batch {
		m := min(batch, max-start)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := w; k < m; k += workers {
					s, err := text(start + k)
					if err != nil {
						errs[w] = err
						return
					}
					got[k] = got[k][:0]
					contentWords(tok, s, func(s string, p bool) { got[k] = append(got[k], word{s, p}) })
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		for k := 0; k < m; k++ {
			for _, w := range got[k] {
				if p, ok := words[w.w]; !ok {
					words[w.w] = w.proper
					if w.proper {
						proper++
					}
				} else if w.proper && !p {
					words[w.w] = true
					proper++
				}
			}
			n := start + k + 1
			for next < len(at) && at[next] == n {
				out = append(out, VocabPoint{N: n, Words: len(words), Proper: proper})
				next++
			}
		}
	}
	return out, nil
}

// HeapsFit fits V = K * N^beta to the points by least squares on log V
// against log N; f picks the count to fit.
func HeapsFit(points []VocabPoint, f func(VocabPoint) int) (k, beta float64) {
	var sx, sy, sxx, sxy, n float64
	for _, p := range points {
		if p.N <= 0 || f(p) <= 0 {
			continue
		}
		x, y := math.Log(float64(p.N)), math.Log(float64(f(p)))
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
		n++
	}
	if n < 2 {
		return 0, 0
	}
	beta = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	k = math.Exp((sy - beta*sx) / n)
	return k, beta
}
