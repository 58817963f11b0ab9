package analyzer

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
)

// The katakana lexicon: every katakana word of two or more characters in
// UniDic (unidic-mecab 2.1.2, BSD licence, see NOTICE-unidic.txt), sorted,
// one a line, gzipped. The IPA dictionary is from 2007 and does not know
// ブログ, コスメ or スイーツ, so kagome joins a katakana run that holds one
// of them into one unknown word (スイーツコスメ) and a search for コスメ
// could not see the word in it. UniDic knows modern loan words; its word
// list (not its dictionary, which would cost seconds to load) decides the
// word boundaries inside katakana. Regenerate with `go generate`.
//
//go:generate sh -c "cd internal/genkatakana && go run . | gzip -9 -n > ../../katakana.txt.gz"
//go:embed katakana.txt.gz
var katakanaGz []byte

// maxKatakanaWord bounds the length in characters of a lexicon word tried
// at one position.
const maxKatakanaWord = 24

var katakanaLexicon = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(katakanaGz))
	if err != nil {
		panic("analyzer: katakana lexicon: " + err.Error())
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic("analyzer: katakana lexicon: " + err.Error())
	}
	words := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if !sort.StringsAreSorted(words) {
		sort.Strings(words)
	}
	return words
})

// isKatakanaWord reports whether s is in the katakana lexicon.
func inKatakanaLexicon(s string) bool {
	words := katakanaLexicon()
	i := sort.SearchStrings(words, s)
	return i < len(words) && words[i] == s
}

// katakanaWords splits a katakana stretch into lexicon words. It returns
// cuts, where cuts[k] reports a word boundary before rune k (0 < k <
// len(runes)), and ok when the lexicon explains the stretch: as one word,
// or as the fewest words of two or more characters that spell it.
func katakanaWords(runes []rune) (cuts []bool, ok bool) {
	n := len(runes)
	s := string(runes)
	if inKatakanaLexicon(s) {
		return make([]bool, n+1), true
	}
	// offsets of each rune in s
	off := make([]int, n+1)
	for i, r := range runes {
		off[i+1] = off[i] + len(string(r))
	}
	// best[i] is the fewest words that spell runes[i:]; next[i] where the
	// first of them ends. Filling from the right and trying long words
	// first makes the first word as long as possible among the fewest
	// (ゴール|イン, not ゴー|ルイン).
	const inf = 1 << 30
	best := make([]int, n+1)
	next := make([]int, n+1)
	for i := 0; i < n; i++ {
		best[i] = inf
	}
	for i := n - 2; i >= 0; i-- {
		for j := min(n, i+maxKatakanaWord); j >= i+2; j-- {
			if best[j]+1 < best[i] && inKatakanaLexicon(s[off[i]:off[j]]) {
				best[i], next[i] = best[j]+1, j
			}
		}
	}
	if best[0] == inf {
		return nil, false
	}
	cuts = make([]bool, n+1)
	for i := next[0]; i < n; i = next[i] {
		cuts[i] = true
	}
	return cuts, true
}
