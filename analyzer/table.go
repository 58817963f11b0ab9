package analyzer

import (
	"bytes"
	"compress/gzip"
	"io"
	"sort"
	"strings"
)

// lineTable is a sorted table of lines, "key" or "key<TAB>value", searched
// in place: loading it costs a decompression and one pass over it for the
// line starts, not a map or a string per line (the tables are loaded by the
// first query or text that needs them, so this is part of a cold query).
type lineTable struct {
	data   string
	starts []int32 // where each line starts in data
	ends   []int32 // and ends, before its newline
}

func newLineTable(name string, gz []byte) *lineTable {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic("analyzer: " + name + ": " + err.Error())
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic("analyzer: " + name + ": " + err.Error())
	}
	n := bytes.Count(raw, []byte{'\n'}) + 1
	t := &lineTable{data: string(raw), starts: make([]int32, 0, n), ends: make([]int32, 0, n)}
	for i := 0; i < len(t.data); {
		j := strings.IndexByte(t.data[i:], '\n')
		if j < 0 {
			j = len(t.data) - i
		}
		if j > 0 {
			t.starts, t.ends = append(t.starts, int32(i)), append(t.ends, int32(i+j))
		}
		i += j + 1
	}
	return t
}

// line returns line i without its newline.
func (t *lineTable) line(i int) string { return t.data[t.starts[i]:t.ends[i]] }

// find returns the value of key ("" for a line without one), and whether
// the table has it.
func (t *lineTable) find(key string) (string, bool) {
	keyOf := func(i int) string {
		k, _, _ := strings.Cut(t.line(i), "\t")
		return k
	}
	i := sort.Search(len(t.starts), func(i int) bool { return keyOf(i) >= key })
	if i == len(t.starts) {
		return "", false
	}
	k, v, _ := strings.Cut(t.line(i), "\t")
	return v, k == key
}
