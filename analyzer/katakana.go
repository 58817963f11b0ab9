package analyzer

import (
	_ "embed"
)

// The katakana lexicon: every katakana word of two or more characters in
// UniDic (unidic-mecab 2.1.2, BSD licence, see NOTICE-unidic.txt), sorted,
// one a line (text, searched in place: see lineTable). The IPA dictionary is from 2007 and does not know
// ブログ, コスメ or スイーツ, so kagome joins a katakana run that holds one
// of them into one unknown word (スイーツコスメ) and a search for コスメ
// could not see the word in it. UniDic knows modern loan words; its word
// list (not its dictionary, which would cost seconds to load) decides the
// word boundaries inside katakana. Regenerate with `go generate`.
//
//go:generate sh -c "cd internal/genkatakana && go run . > ../../tables/katakana.txt"
//go:embed tables/katakana.txt
var katakanaLexicon lineTable

// maxKatakanaWord bounds the length in characters of a lexicon word tried
// at one position.
const maxKatakanaWord = 24

// The common katakana nouns: those of the lexicon's words that UniDic gives
// a low cost (see internal/genkatakana). Only they are split off a word
// neither dictionary knows (katakanaRemainder).
//
//go:generate sh -c "cd internal/genkatakana && go run . -table common > ../../tables/common.txt"
//go:embed tables/common.txt
var commonKatakana lineTable

// isCommonKatakana reports whether s is a common katakana noun.
func isCommonKatakana(s string) bool {
	_, ok := commonKatakana.find(s)
	return ok
}

// inKatakanaLexicon reports whether s is in the katakana lexicon.
func inKatakanaLexicon(s string) bool {
	_, ok := katakanaLexicon.find(s)
	return ok
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

// canStartWord reports whether a katakana word can start with r: not with
// ッ, ン, ー or a small kana.
func canStartWord(r rune) bool {
	switch r {
	case 'ッ', 'ン', 'ー', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ', 'ヶ':
		return false
	}
	return true
}

// canEndWord reports whether a katakana word can end with r: not with a
// small kana other than ッ... nor ッ itself (プロセッ|シング, ファッショ|ニング).
func canEndWord(r rune) bool {
	return r == 'ー' || canStartWord(r) || r == 'ン'
}

// Bounds of katakanaRemainder: the unknown rest and each lexicon word next
// to it have at least this many characters, so that short lexicon words
// (アラ, ケー, フォー) do not split words the lexicon lacks.
const (
	minRemainder     = 3
	minRemainderWord = 3
	minRestBehind    = 5 // the word before an unknown rest
)

// katakanaRemainder splits a stretch the lexicon cannot spell into an
// unknown rest of at least minRemainder characters and common lexicon words
// (isCommonKatakana) of at least minRemainderWord characters on one side of
// it: ガラケー|ユーザー, トイデジ|アプリ, スマホ|ホルダー. A rare word would
// cut foreign names apart (エフセ|キュア, ステレオスコ|ピック), and no word
// starts with ッ or a small kana nor ends with a small kana (コスメ|ッティ,
// ファッショ|ニング). The rest stands in front, a name before the thing it
// names: behind a common word, it was mostly part of a longer foreign word
// (バット|マンビギンズ, エンター|ティナーズ). The fewest words win. cuts is as
// for katakanaWords; ok is false when no such split exists.
func katakanaRemainder(runes []rune) (cuts []bool, ok bool) {
	n := len(runes)
	if n < minRemainder+minRemainderWord {
		return nil, false
	}
	off := make([]int, n+1)
	for i, r := range runes {
		off[i+1] = off[i] + len(string(r))
	}
	s := string(runes)
	spell := func(from, to int, isWord func(string) bool) (int, []int) {
		// fewest lexicon words spelling runes[from:to], and where they start
		const inf = 1 << 30
		best := make([]int, to-from+1)
		next := make([]int, to-from+1)
		for i := range best {
			best[i] = inf
		}
		best[to-from] = 0
		for i := to - minRemainderWord; i >= from; i-- {
			for j := min(to, i+maxKatakanaWord); j >= i+minRemainderWord; j-- {
				if best[j-from] < inf && best[j-from]+1 < best[i-from] && isWord(s[off[i]:off[j]]) {
					best[i-from], next[i-from] = best[j-from]+1, j
				}
			}
		}
		if best[0] == inf {
			return 0, nil
		}
		var starts []int
		for i := from; i < to; i = next[i-from] {
			starts = append(starts, i)
		}
		return best[0], starts
	}
	bestWords, bestStarts := 0, []int(nil)
	// rest in front: runes[:k] unknown, runes[k:] lexicon words
	for k := minRemainder; k <= n-minRemainderWord; k++ {
		if !canStartWord(runes[k]) || !canEndWord(runes[k-1]) {
			continue
		}
		if w, starts := spell(k, n, isCommonKatakana); starts != nil && (bestStarts == nil || w < bestWords) {
			bestWords, bestStarts = w, starts
		}
	}
	// rest behind: runes[:k] common words, runes[k:] unknown, only after a
	// long word (ディズニー|スマホ; not バット|マンビギンズ)
	for k := n - minRemainder; k >= minRestBehind; k-- {
		if !canStartWord(runes[k]) || !canEndWord(runes[k-1]) {
			continue
		}
		if w, starts := spell(0, k, inKatakanaLexicon); starts != nil && (bestStarts == nil || w < bestWords) && k-starts[len(starts)-1] >= minRestBehind {
			bestWords, bestStarts = w, append(starts, k)
		}
	}
	if bestStarts == nil {
		return nil, false
	}
	cuts = make([]bool, n+1)
	for _, st := range bestStarts {
		if st > 0 {
			cuts[st] = true
		}
	}
	return cuts, true
}
