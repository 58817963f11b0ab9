// Command genkatakana prints every katakana word of two or more characters
// in UniDic (kagome-dict/uni), sorted, one a line: the katakana lexicon of
// package analyzer. It is a module of its own so that newsearch does not
// depend on UniDic's 45 MB dictionary.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/uni"
)

func main() {
	d := uni.Dict()
	da := d.Index.Da
	// Walk the double-array trie of surface forms, following only the bytes
	// that katakana (U+30A1..U+30FC, UTF-8 E3 82|83 xx) can use.
	next := []int{0xe3}
	for c := 0x80; c <= 0xbf; c++ {
		next = append(next, c)
	}
	var words []string
	var walk func(s int, prefix []byte)
	walk = func(s int, prefix []byte) {
		if t := int(da[s].Base); len(prefix) > 0 && t >= 0 && t < len(da) && int(da[t].Check) == s && da[t].Base <= 0 {
			words = append(words, string(prefix))
		}
		for _, c := range next {
			t := int(da[s].Base) + c
			if t <= 0 || t >= len(da) || int(da[t].Check) != s {
				continue
			}
			walk(t, append(prefix[:len(prefix):len(prefix)], byte(c)))
		}
	}
	walk(0, nil)
	var out []string
	for _, w := range words {
		if utf8.ValidString(w) && katakana(w) && utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	bw := bufio.NewWriter(os.Stdout)
	for _, w := range out {
		fmt.Fprintln(bw, w)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func katakana(s string) bool {
	for _, r := range s {
		if !(0x30a1 <= r && r <= 0x30fa || r == 0x30fc) {
			return false
		}
	}
	return true
}
