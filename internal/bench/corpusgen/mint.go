package corpusgen

import (
	"math/rand/v2"
	"strings"
)

// newRand returns a PCG generator for the stream (a, b). Every random
// choice of the generator comes from a stream keyed by what it decides
// (the article index, the entity rank), never from shared state, so an
// article does not depend on the ones before it.
func newRand(a, b uint64) *rand.Rand { return rand.New(rand.NewPCG(mix(a), mix(b))) }

// mix is the splitmix64 finaliser: nearby keys give unrelated streams.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// markov is a chain over the units of observed names (katakana morae or
// Latin letters) that writes new names in their style: ランダーク from
// ラン|ダー|ク, Lumetra from l|u|m|e|t|r|a.
type markov struct {
	order int
	next  map[string][]string // state (the last order units joined) -> observed next units; "" ends a name
}

func newMarkov(words []string, split func(string) []string, order int) *markov {
	m := &markov{order: order, next: map[string][]string{}}
	for _, w := range words {
		u := split(w)
		if len(u) < 2 {
			continue
		}
		for i := 0; i <= len(u); i++ {
			state := strings.Join(u[max(0, i-order):i], "\x00")
			nx := ""
			if i < len(u) {
				nx = u[i]
			}
			m.next[state] = append(m.next[state], nx)
		}
	}
	return m
}

// generate writes a name of minLen to maxLen units; "" when the chain is empty.
func (m *markov) generate(r *rand.Rand, minLen, maxLen int) string {
	if len(m.next[""]) == 0 {
		return ""
	}
	var u []string
	for tries := 0; tries < 64; tries++ {
		u = u[:0]
		for len(u) < maxLen {
			state := strings.Join(u[max(0, len(u)-m.order):], "\x00")
			opts := m.next[state]
			if len(opts) == 0 {
				break
			}
			nx := opts[r.IntN(len(opts))]
			if nx == "" {
				break // too short ends are retried below
			}
			u = append(u, nx)
		}
		if len(u) >= minLen {
			break
		}
	}
	return strings.Join(u, "")
}

// morae splits katakana into morae: a kana with the small kana and long
// vowel marks after it (キャ, ター).
func morae(s string) []string {
	var out []string
	for _, r := range s {
		small := strings.ContainsRune("ャュョァィゥェォヮー", r)
		if small && len(out) > 0 {
			out[len(out)-1] += string(r)
			continue
		}
		out = append(out, string(r))
	}
	return out
}

// letters splits a lower-case Latin word into letters.
func letters(s string) []string {
	out := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			out = append(out, s[i:i+1])
		}
	}
	return out
}

// mint writes the name of rank for a slot of kind k in script sc: a new
// name in the style of the corpus's names of that kind. orig (the text the
// slot had in the corpus) gives the shape of Latin names.
func (src *Source) mint(r *rand.Rand, k kind, sc script, orig string) string {
	var s string
	switch sc {
	case scriptKanji:
		switch k {
		case kindPerson:
			s = kanjiMix(r, src.surnames, 0.3, 3) + kanjiMix(r, src.givens, 0.5, 3)
		case kindSurname:
			s = kanjiMix(r, src.surnames, 0.3, 3)
		case kindGiven:
			s = kanjiMix(r, src.givens, 0.5, 3)
		case kindOrg:
			if r.IntN(2) == 0 || len(src.orgSuffixes) == 0 {
				s = kanjiMix(r, src.orgs, 0.6, 6)
			} else {
				s = kanjiMix(r, src.places, 1, 2) + src.orgSuffixes[r.IntN(len(src.orgSuffixes))]
			}
		case kindPlace:
			s = kanjiMix(r, src.places, 0.6, 4)
		default:
			s = kanjiMix(r, src.propers, 0.7, 6)
		}
	case scriptKatakana:
		s = src.katakana.generate(r, 2, 7)
	case scriptLatin:
		if k == kindLatinCode {
			s = latinShape(r, orig)
		} else {
			s = caseLike(src.latin.generate(r, 4, 9), orig)
		}
	}
	if s == "" {
		return orig
	}
	return s
}

// kanjiMix returns a name of the pool, or with probability p a new one:
// the head of one name joined to the tail of another (田中 + 村井 -> 田井),
// at most maxRunes long.
func kanjiMix(r *rand.Rand, pool []string, p float64, maxRunes int) string {
	if len(pool) == 0 {
		return ""
	}
	a := pool[r.IntN(len(pool))]
	if r.Float64() >= p {
		return a
	}
	b := pool[r.IntN(len(pool))]
	ra, rb := []rune(a), []rune(b)
	head := ra[:1+r.IntN(max(1, len(ra)-1))]
	tail := rb
	if len(rb) > 1 {
		tail = rb[1+r.IntN(len(rb)-1):]
	}
	out := append(append([]rune{}, head...), tail...)
	if len(out) > maxRunes {
		out = out[:maxRunes]
	}
	return string(out)
}

// latinShape writes a new model code shaped like orig: each capital a
// random capital, each digit a random digit (SH-01D -> KT-47B); lower-case
// letters stay, as they are mostly units and words (W69mm -> K47mm, iPhone4S).
func latinShape(r *rand.Rand, orig string) string {
	b := []byte(orig)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + byte(r.IntN(26))
		case c >= '0' && c <= '9':
			b[i] = '0' + byte(r.IntN(10))
		}
	}
	return string(b)
}

// caseLike gives the lower-case word w the capitals of orig, position by
// position (iPhone: lumetra -> lUmetra; SnapCrab -> Lumetra... as far as
// orig reaches); an all-capitals orig gives all capitals.
func caseLike(w, orig string) string {
	if w == "" {
		return ""
	}
	if strings.ToUpper(orig) == orig {
		return strings.ToUpper(w)
	}
	b := []byte(w)
	for i := 0; i < len(b) && i < len(orig); i++ {
		if orig[i] >= 'A' && orig[i] <= 'Z' && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}
