package knowledge

import (
	"hash/fnv"
	"sort"
	"strings"
	"unicode/utf8"
)

// Near-duplicates. Each article is signed by MinHash over its shingles
// (runs of shingleWords words of its word analysis): SignatureSize
// minima, each under its own hash, whose share of agreements estimates
// the Jaccard similarity of two articles' shingle sets. Candidates are
// found by locality-sensitive hashing (the signature cut into bands: two
// articles that agree on a whole band are compared), so clustering costs
// in proportion to the articles, not their pairs; the candidates are kept
// when their estimate reaches the threshold. No maintained Go library does
// this (the few on the module proxy are unmaintained SimHash ports), and it
// is small.

// SignatureSize is the number of minima of a Signature.
const SignatureSize = 64

// Signature is the MinHash signature of a text: the top 16 bits of each
// minimum (two different minima agree by chance once in 65,536).
type Signature [SignatureSize]uint16

const (
	shingleWords = 3
	// MinShingles is the fewest shingles a text needs to be signed: a
	// short text shares too much by chance (a caption, a notice).
	MinShingles = 24
	bands       = 16
	rows        = SignatureSize / bands
)

// multipliers and offsets of the hash functions: odd 64-bit constants from
// splitmix64, fixed so that signatures do not change between runs.
var mults, adds = func() (m, a [SignatureSize]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range m {
		m[i] = next() | 1
		a[i] = next()
	}
	return
}()

// Sign returns the signature of a text given as its words, and false when
// it has fewer than MinShingles shingles.
func Sign(words []string) (Signature, bool) {
	var sig Signature
	n := len(words) - shingleWords + 1
	if n < MinShingles {
		return sig, false
	}
	var mins [SignatureSize]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	seen := make(map[uint64]bool, n)
	h := fnv.New64a()
	for i := 0; i < n; i++ {
		h.Reset()
		for _, w := range words[i : i+shingleWords] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		base := h.Sum64()
		if seen[base] {
			continue
		}
		seen[base] = true
		for j := range mins {
			if v := base*mults[j] + adds[j]; v < mins[j] {
				mins[j] = v
			}
		}
	}
	if len(seen) < MinShingles {
		return sig, false
	}
	for j, v := range mins {
		sig[j] = uint16(v >> 48)
	}
	return sig, true
}

// Similarity estimates the Jaccard similarity of the shingles of the
// texts a and b sign.
func (a Signature) Similarity(b Signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / SignatureSize
}

// Threshold is the estimated Jaccard similarity from which two articles
// are near-duplicates.
const Threshold = 0.7

// Cluster groups signatures into clusters of near-duplicates: those whose
// similarity reaches threshold, and the articles similar to them, one by
// one. It returns the clusters of two or more, each sorted by index, sorted
// by their first.
func Cluster(sigs []Signature, threshold float64) [][]int {
	parent := make([]int, len(sigs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type entry struct {
		key uint64
		i   int
	}
	entries := make([]entry, len(sigs))
	compared := map[[2]int]bool{}
	for b := 0; b < bands; b++ {
		for i, s := range sigs {
			var k uint64
			for _, v := range s[b*rows : (b+1)*rows] {
				k = k<<16 | uint64(v)
			}
			entries[i] = entry{k, i}
		}
		sort.Slice(entries, func(x, y int) bool {
			if entries[x].key != entries[y].key {
				return entries[x].key < entries[y].key
			}
			return entries[x].i < entries[y].i
		})
		for lo := 0; lo < len(entries); {
			hi := lo + 1
			for hi < len(entries) && entries[hi].key == entries[lo].key {
				hi++
			}
			for x := lo; x < hi; x++ {
				for y := x + 1; y < hi; y++ {
					p := [2]int{entries[x].i, entries[y].i}
					if compared[p] {
						continue
					}
					compared[p] = true
					if sigs[p[0]].Similarity(sigs[p[1]]) >= threshold {
						parent[find(p[0])] = find(p[1])
					}
				}
			}
			lo = hi
		}
	}
	groups := map[int][]int{}
	for i := range sigs {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	var out [][]int
	for _, g := range groups {
		if len(g) > 1 {
			sort.Ints(g)
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Prose returns the lines of a body that are prose: sentences (a line
// with 。, or one of at least proseRunes characters with 、), not the
// headings, captions, credits, prices and link lists that a series of
// articles shares while each tells its own story. A line that starts with
// a bullet (・, ■, ●, ※ ...) is an item of a list, however long: the
// titles of a series' other articles, listed under each of them, are
// sentences too.
func Prose(body string) string {
	var b strings.Builder
	for _, r := range ProseRanges(body) {
		b.WriteString(body[r[0]:r[1]])
		b.WriteByte('\n')
	}
	return b.String()
}

// ProseRanges returns the byte ranges of the prose lines of a body (see
// Prose), in order.
func ProseRanges(body string) [][2]int {
	var out [][2]int
	for start := 0; start < len(body); {
		end := strings.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		line := body[start:end]
		if !strings.Contains(line, "http") && !bulleted(line) && utf8.RuneCountInString(line) >= proseRunes &&
			(strings.Contains(line, "。") || strings.Contains(line, "、")) {
			out = append(out, [2]int{start, end})
		}
		start = end + 1
	}
	return out
}

// bulleted tells whether a line starts, after spaces, with a bullet.
func bulleted(line string) bool {
	line = strings.TrimLeft(line, " \t　")
	r, _ := utf8.DecodeRuneInString(line)
	return strings.ContainsRune("・•●○■□◆◇▼▽▲△★☆※", r)
}

// proseRunes is the shortest line Prose keeps.
const proseRunes = 30
