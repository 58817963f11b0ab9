package dictfile

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"

	"github.com/ikawaha/kagome-dict/dict"
)

// The misc section holds the small parts of a dictionary, in this order:
//
//	connection rows, columns          uvarint, uvarint
//	POS name list                     strings
//	char classes                      strings
//	invoke list, group list           bools, bools
//	contents meta                     string→int8 map
//	unknown-word morphs               uvarint count, then 3 varints each
//	unknown-word index, index dup     int32→int32 maps
//	unknown-word contents meta        string→int8 map
//	unknown-word contents             uvarint count, then strings each
//	dictionary info                   byte 0 (none) or 1, then name, src
//
// A string is a uvarint length and the bytes; strings and bools are a uvarint
// count then the elements (a bool is a byte 0 or 1); maps are a uvarint count
// then key, value pairs in ascending key order (int32 and int8 as varints).

func encodeMisc(d *dict.Dict) []byte {
	var e encoder
	e.uint(uint64(d.Connection.Row))
	e.uint(uint64(d.Connection.Col))
	e.strings(d.POSTable.NameList)
	e.strings(d.CharClass)
	e.bools(d.InvokeList)
	e.bools(d.GroupList)
	e.int8Map(d.ContentsMeta)
	e.uint(uint64(len(d.UnkDict.Morphs)))
	for _, m := range d.UnkDict.Morphs {
		e.int(int64(m.LeftID))
		e.int(int64(m.RightID))
		e.int(int64(m.Weight))
	}
	e.int32Map(d.UnkDict.Index)
	e.int32Map(d.UnkDict.IndexDup)
	e.int8Map(d.UnkDict.ContentsMeta)
	e.uint(uint64(len(d.UnkDict.Contents)))
	for _, c := range d.UnkDict.Contents {
		e.strings(c)
	}
	if info := d.Info(); info != nil {
		e.b = append(e.b, 1)
		e.string(info.Name)
		e.string(info.Src)
	} else {
		e.b = append(e.b, 0)
	}
	return e.b
}

// decodeMisc fills d's small parts from the misc section b.
func decodeMisc(b []byte, d *dict.Dict) error {
	r := decoder{b: b}
	d.Connection.Row = int64(r.uint())
	d.Connection.Col = int64(r.uint())
	d.POSTable.NameList = r.strings()
	d.CharClass = r.strings()
	d.InvokeList = r.bools()
	d.GroupList = r.bools()
	d.ContentsMeta = r.int8Map()
	n := r.count(3)
	d.UnkDict.Morphs = make(dict.Morphs, n)
	for i := range d.UnkDict.Morphs {
		d.UnkDict.Morphs[i] = dict.Morph{LeftID: r.int16(), RightID: r.int16(), Weight: r.int16()}
	}
	d.UnkDict.Index = r.int32Map()
	d.UnkDict.IndexDup = r.int32Map()
	d.UnkDict.ContentsMeta = r.int8Map()
	d.UnkDict.Contents = make(dict.Contents, r.count(1))
	for i := range d.UnkDict.Contents {
		d.UnkDict.Contents[i] = r.strings()
	}
	switch r.byte() {
	case 0:
	case 1:
		d.SetInfo(&dict.Info{Name: r.string(), Src: r.string()})
	default:
		r.fail()
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	return r.err
}

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) string(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strings(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.string(s)
	}
}

func (e *encoder) bools(bs []bool) {
	e.uint(uint64(len(bs)))
	for _, v := range bs {
		if v {
			e.b = append(e.b, 1)
		} else {
			e.b = append(e.b, 0)
		}
	}
}

func (e *encoder) int8Map(m map[string]int8) {
	e.uint(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.string(k)
		e.int(int64(m[k]))
	}
}

func (e *encoder) int32Map(m map[int32]int32) {
	e.uint(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.int(int64(k))
		e.int(int64(m[k]))
	}
}

// decoder reads what encoder wrote. After the first error every read
// returns zero values, and err says what went wrong.
type decoder struct {
	b   []byte
	err error
}

var errMisc = errors.New("malformed misc section")

func (r *decoder) fail() {
	if r.err == nil {
		r.err = errMisc
	}
	r.b = nil
}

func (r *decoder) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *decoder) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *decoder) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// count reads an element count, each element taking at least size bytes, and
// fails on a count the rest of the section cannot hold.
func (r *decoder) count(size int) int {
	n := r.uint()
	if n > uint64(len(r.b)/size) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *decoder) string() string {
	n := r.count(1)
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *decoder) strings() []string {
	ss := make([]string, r.count(1))
	for i := range ss {
		ss[i] = r.string()
	}
	return ss
}

func (r *decoder) bools() []bool {
	bs := make([]bool, r.count(1))
	for i := range bs {
		switch r.byte() {
		case 0:
		case 1:
			bs[i] = true
		default:
			r.fail()
		}
	}
	return bs
}

func (r *decoder) int16() int16 {
	v := r.int()
	if int64(int16(v)) != v {
		r.fail()
	}
	return int16(v)
}

func (r *decoder) int32() int32 {
	v := r.int()
	if int64(int32(v)) != v {
		r.fail()
	}
	return int32(v)
}

func (r *decoder) int8Map() map[string]int8 {
	n := r.count(2)
	m := make(map[string]int8, n)
	for range n {
		k := r.string()
		v := r.int()
		if int64(int8(v)) != v {
			r.fail()
		}
		m[k] = int8(v)
	}
	return m
}

func (r *decoder) int32Map() map[int32]int32 {
	n := r.count(2)
	m := make(map[int32]int32, n)
	for range n {
		k := r.int32()
		m[k] = r.int32()
	}
	return m
}
