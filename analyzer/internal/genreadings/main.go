// Command genreadings prints the table of name readings that package
// analyzer takes from the IPA dictionary (kagome-dict/ipa) and from UniDic
// (kagome-dict/uni): every entry tagged 名詞,固有名詞,人名 in either, or
// 名詞,固有名詞,組織 in IPA, by surface. UniDic knows names IPA lacks as
// names (孫 as a surname, ソン), IPA the organisations.
//
// It is a module of its own, as genkatakana is, so that newsearch does not
// depend on UniDic.
//
// Lines: a surface as the analysis normalises it, a tab, and its readings
// in katakana separated by spaces, each marked with the kind of entry it
// comes from: s: a surname (人名,姓), g: a given name (人名,名), p: another
// person's name (人名,一般), o: an organisation (組織). Entries of one kind
// are in the order of the dictionary's word cost (the commonest first), and
// one reading is listed once a kind. Sorted by surface, so that the analyzer
// searches the table in place.
//
//	go run . > ../../tables/readings.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome-dict/uni"
	"golang.org/x/text/unicode/norm"
)

type entry struct {
	kind    byte
	cost    int16
	reading string
}

func main() {
	d := ipa.Dict()
	ri, ok := d.ContentsMeta[dict.ReadingIndex]
	if !ok {
		fmt.Fprintln(os.Stderr, "genreadings: the dictionary has no reading column")
		os.Exit(1)
	}
	by := map[string][]entry{}
	for id, pos := range d.POSTable.POSs {
		if len(pos) < 3 {
			continue
		}
		name := func(i int) string { return d.POSTable.NameList[pos[i]] }
		if name(0) != "名詞" || name(1) != "固有名詞" {
			continue
		}
		var kind byte
		switch {
		case name(2) == "組織":
			kind = 'o'
		case name(2) == "人名" && len(pos) > 3 && name(3) == "姓":
			kind = 's'
		case name(2) == "人名" && len(pos) > 3 && name(3) == "名":
			kind = 'g'
		case name(2) == "人名":
			kind = 'p'
		default:
			continue
		}
		c := d.Contents[id]
		j := int(ri) - len(pos)
		if j < 0 || j >= len(c) || c[j] == "" || c[j] == "*" {
			continue
		}
		reading := c[j]
		if !katakana(reading) {
			continue
		}
		surface := strings.ToLower(norm.NFKC.String(surfaceOf(d, id, c)))
		if surface == "" || strings.ContainsAny(surface, " \t") {
			continue
		}
		by[surface] = append(by[surface], entry{kind: kind, cost: d.Morphs[id].Weight, reading: reading})
	}
	addUniDic(by)
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, k := range keys {
		es := by[k]
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].kind != es[j].kind {
				return strings.IndexByte("sgpo", es[i].kind) < strings.IndexByte("sgpo", es[j].kind)
			}
			return es[i].cost < es[j].cost
		})
		var vals []string
		seen := map[string]bool{}
		for _, e := range es {
			v := string(e.kind) + ":" + e.reading
			if !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
		fmt.Fprintf(w, "%s\t%s\n", k, strings.Join(vals, " "))
	}
}

// surfaceOf returns the surface of morph id: kagome keeps surfaces only in
// its index, so the base form column (the surface, for nouns) is read.
func surfaceOf(d *dict.Dict, id int, c []string) string {
	bi, ok := d.ContentsMeta[dict.BaseFormIndex]
	if !ok {
		return ""
	}
	j := int(bi) - len(d.POSTable.POSs[id])
	if j < 0 || j >= len(c) || c[j] == "*" {
		return ""
	}
	return c[j]
}

func katakana(s string) bool {
	for _, r := range s {
		if !(0x30a1 <= r && r <= 0x30fa || r == 0x30fc) {
			return false
		}
	}
	return s != ""
}

// addUniDic adds UniDic's person names: surname, given name and other
// names, their reading the lemma's (LForm), after IPA's of the same kind.
func addUniDic(by map[string][]entry) {
	d := uni.Dict()
	for id, pos := range d.POSTable.POSs {
		if len(pos) < 4 {
			continue
		}
		name := func(i int) string { return d.POSTable.NameList[pos[i]] }
		if name(0) != "名詞" || name(1) != "固有名詞" || name(2) != "人名" {
			continue
		}
		var kind byte
		switch name(3) {
		case "姓":
			kind = 's'
		case "名":
			kind = 'g'
		default:
			kind = 'p'
		}
		c := d.Contents[id]
		li, oi := uni.LForm-uni.POSHierarchy, uni.Orth-uni.POSHierarchy
		if oi >= len(c) || li >= len(c) || !katakana(c[li]) {
			continue
		}
		surface := strings.ToLower(norm.NFKC.String(c[oi]))
		if surface == "" || surface == "*" || strings.ContainsAny(surface, " \t") {
			continue
		}
		// after IPA's entries of the kind: a cost of UniDic's is not IPA's
		by[surface] = append(by[surface], entry{kind: kind, cost: 1<<15 - 1, reading: c[li]})
	}
}
