package analyzer

import "strings"

// lineTable is a sorted table of lines, "key" or "key<TAB>value", embedded
// in the binary as text and searched in place by binary search over byte
// offsets: nothing is decompressed, copied or indexed before the first
// lookup, so a query process pays only for the few pages it reads.
type lineTable string

// find returns the value of key ("" for a line without one), and whether
// the table has it.
func (t lineTable) find(key string) (string, bool) {
	data := string(t)
	// lo is always a line start; every line before it has a smaller key
	lo, hi := 0, len(data)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(data[lo:mid], '\n') + 1 + lo
		end := strings.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		k, _, _ := strings.Cut(data[start:end], "\t")
		if k < key {
			lo = end + 1
		} else {
			hi = start
		}
	}
	if lo >= len(data) {
		return "", false
	}
	line := data[lo:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	k, v, _ := strings.Cut(line, "\t")
	return v, k == key
}
