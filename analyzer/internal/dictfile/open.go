package dictfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync/atomic"
	"unsafe"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/dict/trie"
)

// Dict is an open prepared dictionary. Its methods other than Close may be
// called concurrently.
type Dict struct {
	path    string
	data    []byte // the file: mapped, or read where there is no mmap
	kagome  *dict.Dict
	baseOff []uint32
	base    []byte
	release []func() error // unmaps the file and frees memory outside the Go heap
}

// Open maps the prepared dictionary file at path and returns it. The file
// must have been built by Build from the dictionary this binary embeds
// (Source) in this format version, and be intact: anything else is an error
// wrapping ErrTruncated, ErrCorrupt, ErrVersion, ErrSource or ErrUnsupported.
//
// The large arrays of the returned dictionary point into the mapping, which
// is read-only: they must not be modified, and must not be used after Close.
func Open(path string) (*Dict, error) {
	src, err := Source()
	if err != nil {
		return nil, fmt.Errorf("dictfile: %w", err)
	}
	return open(path, src)
}

// open opens the prepared dictionary at path requiring source src.
func open(path, src string) (*Dict, error) {
	if err := checkLayout(); err != nil {
		return nil, fmt.Errorf("dictfile: %w", err)
	}
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("dictfile: %w", err)
	}
	d, err := parse(data, src)
	if err != nil {
		_ = unmap()
		return nil, fmt.Errorf("dictfile: %s: %w", path, err)
	}
	d.path, d.data = path, data
	d.release = append(d.release, unmap)
	return d, nil
}

// Kagome returns the dictionary for kagome's tokenizer. Its Contents are nil.
func (d *Dict) Kagome() *dict.Dict { return d.kagome }

// Path returns the file the dictionary was opened from.
func (d *Dict) Path() string { return d.path }

// BaseForm returns the base form (基本形) of known morph id, or "" when the
// dictionary has none for it (see ContentsBaseForm). The string points into
// the mapping: it must not be used after Close.
func (d *Dict) BaseForm(id int) string {
	if id < 0 || id+1 >= len(d.baseOff) {
		return ""
	}
	lo, hi := d.baseOff[id], d.baseOff[id+1]
	if lo >= hi || int(hi) > len(d.base) {
		return ""
	}
	return unsafe.String(&d.base[lo], hi-lo)
}

// Close unmaps the file. The dictionary, its kagome dictionary and every
// string BaseForm returned become invalid.
func (d *Dict) Close() error {
	release := d.release
	d.data, d.kagome, d.baseOff, d.base, d.release = nil, nil, nil, nil, nil
	var errs []error
	for _, f := range release {
		if err := f(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("dictfile: %s: %w", d.path, err)
	}
	return nil
}

// parse validates the file data and builds the dictionary over it.
func parse(data []byte, src string) (*Dict, error) {
	if len(data) < headerSize {
		return nil, fmt.Errorf("%w: file is %d bytes, the header alone needs %d", ErrTruncated, len(data), headerSize)
	}
	if string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not a prepared dictionary (bad magic)", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return nil, fmt.Errorf("%w: file has format version %d, want %d", ErrVersion, v, Version)
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(data)))%align != 0 {
		return nil, fmt.Errorf("%w: file data not %d-byte aligned in memory", ErrUnsupported, align)
	}
	size := binary.LittleEndian.Uint64(data[16:])
	switch {
	case size > uint64(len(data)):
		return nil, fmt.Errorf("%w: file is %d bytes, header says %d", ErrTruncated, len(data), size)
	case size < uint64(len(data)):
		return nil, fmt.Errorf("%w: file is %d bytes, header says %d", ErrCorrupt, len(data), size)
	}
	if n := binary.LittleEndian.Uint32(data[24:]); n != numSections {
		return nil, fmt.Errorf("%w: %d sections, want %d", ErrCorrupt, n, numSections)
	}
	srcLen := uint64(binary.LittleEndian.Uint32(data[28:]))
	bsize := uint64(binary.LittleEndian.Uint32(data[32:]))
	blocks := uint64(binary.LittleEndian.Uint32(data[36:]))
	tableAt := uint64(alignUp(headerSize + int(srcLen)))
	sumsAt := tableAt + numSections*tableEntry
	dataStart := sumsAt + uint64(alignUp(4*int(blocks)))
	if dataStart > size {
		return nil, fmt.Errorf("%w: file is %d bytes, its header ends at %d", ErrCorrupt, size, dataStart)
	}
	if got := string(data[headerSize : headerSize+srcLen]); got != src {
		if len(got) > 2*len(src)+16 {
			got = got[:2*len(src)+16] + "..."
		}
		return nil, fmt.Errorf("%w: built from %q, this binary embeds %q", ErrSource, got, src)
	}
	if got, want := crc32.Checksum(data[crcStart:dataStart], castagnoli), binary.LittleEndian.Uint32(data[12:]); got != want {
		return nil, fmt.Errorf("%w: header checksum is %08x, file says %08x", ErrCorrupt, got, want)
	}
	if bsize == 0 || bsize&(bsize-1) != 0 || blocks != (size-dataStart+bsize-1)/bsize {
		return nil, fmt.Errorf("%w: %d checksum blocks of %d bytes for %d bytes of data", ErrCorrupt, blocks, bsize, size-dataStart)
	}

	sec, err := sections(data, data[tableAt:sumsAt], dataStart)
	if err != nil {
		return nil, err
	}

	// The header is intact. Verify the data on a second core while the
	// dictionary is set up, and build the index's map there too; what the
	// setup reads is bounds-checked, so data that turns out corrupt gives an
	// error, never a panic.
	v := verifier{data: data[dataStart:], sums: data[sumsAt : sumsAt+4*blocks], size: int(bsize)}
	var dup map[int32]int32
	done := make(chan struct{})
	second := func() {
		dup = dupMap(sec[secDup])
		v.run()
		close(done)
	}
	if blocks > 1 {
		go second()
	} else {
		second() // small files stay on one goroutine (and fuzz deterministically)
	}
	d, err := assemble(sec)
	v.run()
	<-done
	if bad := v.bad.Load(); bad != 0 {
		if err == nil {
			d.Close()
		}
		return nil, fmt.Errorf("%w: checksum mismatch in bytes [%d, +%d)", ErrCorrupt, dataStart+uint64(bad-1)*bsize, bsize)
	}
	if err != nil {
		return nil, err
	}
	d.kagome.Index.Dup = dup
	return d, nil
}

// verifier checks the data's block checksums; several goroutines may run it
// at once, each taking the next unchecked block.
type verifier struct {
	data []byte
	sums []byte // CRC-32C of each block
	size int    // block size
	next atomic.Int64
	bad  atomic.Int64 // 1 + index of a block whose checksum is wrong, or 0
}

func (v *verifier) run() {
	for {
		i := int(v.next.Add(1) - 1)
		lo := i * v.size
		if lo >= len(v.data) || 4*i >= len(v.sums) {
			return
		}
		block := v.data[lo:min(lo+v.size, len(v.data))]
		if crc32.Checksum(block, castagnoli) != binary.LittleEndian.Uint32(v.sums[4*i:]) {
			v.bad.CompareAndSwap(0, int64(i)+1)
		}
	}
}

// sections returns the sections of data listed in table, which must lie in
// order in [dataStart, len(data)) and hold whole elements.
func sections(data, table []byte, dataStart uint64) ([numSections][]byte, error) {
	var sec [numSections][]byte
	end := dataStart
	for i := range sec {
		off, n := binary.LittleEndian.Uint64(table[i*tableEntry:]), binary.LittleEndian.Uint64(table[i*tableEntry+8:])
		if off%align != 0 || off < end || off > uint64(len(data)) || n > uint64(len(data))-off {
			return sec, fmt.Errorf("%w: %s section [%d, +%d) out of place", ErrCorrupt, sectionNames[i], off, n)
		}
		sec[i] = data[off : off+n : off+n]
		end = off + n
	}
	for i, elem := range [numSections]int{
		secMorphs: 6, secConnection: 2, secDoubleArray: 8, secDup: 8,
		secPOSOffsets: 4, secPOSIDs: 2, secBaseOffsets: 4, secBaseBlob: 1, secCharCategory: 1, secMisc: 1,
	} {
		if len(sec[i])%elem != 0 {
			return sec, fmt.Errorf("%w: %s section of %d bytes is not whole %d-byte elements", ErrCorrupt, sectionNames[i], len(sec[i]), elem)
		}
	}
	return sec, nil
}

// dupMap returns the index's map of duplicate counts from its section.
func dupMap(b []byte) map[int32]int32 {
	dup := sliceOf[int32](b)
	m := make(map[int32]int32, len(dup)/2)
	for i := 0; i+1 < len(dup); i += 2 {
		m[dup[i]] = dup[i+1]
	}
	return m
}

// assemble builds the dictionary, all but its index's map, over the
// sections.
func assemble(sec [numSections][]byte) (*Dict, error) {
	k := &dict.Dict{}
	if err := decodeMisc(sec[secMisc], k); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	k.Morphs = sliceOf[dict.Morph](sec[secMorphs])
	k.Connection.Vec = sliceOf[int16](sec[secConnection])
	if k.Connection.Row*k.Connection.Col != int64(len(k.Connection.Vec)) {
		return nil, fmt.Errorf("%w: connection table is %d×%d but has %d costs", ErrCorrupt, k.Connection.Row, k.Connection.Col, len(k.Connection.Vec))
	}
	k.Index.Da = trie.DoubleArray(sliceOf[daNode](sec[secDoubleArray]))
	k.CharCategory = sec[secCharCategory]

	n := len(k.Morphs)
	posOff := sliceOf[uint32](sec[secPOSOffsets])
	posIDs := sliceOf[dict.POSID](sec[secPOSIDs])
	if len(posOff) != n+1 || posOff[0] != 0 || int(posOff[n]) != len(posIDs) {
		return nil, fmt.Errorf("%w: POS offsets do not match %d morphs and %d POS ids", ErrCorrupt, n, len(posIDs))
	}
	baseOff := sliceOf[uint32](sec[secBaseOffsets])
	base := sec[secBaseBlob]
	if len(baseOff) != n+1 || baseOff[0] != 0 || int(baseOff[n]) != len(base) {
		return nil, fmt.Errorf("%w: base form offsets do not match %d morphs and %d bytes", ErrCorrupt, n, len(base))
	}
	// BaseForm checks each morph's offsets itself: not reading all of them
	// here saves touching 1.5 MB.

	poss, free, err := posTable(posOff, posIDs)
	if err != nil {
		return nil, err
	}
	k.POSTable.POSs = poss
	return &Dict{kagome: k, baseOff: baseOff, base: base, release: []func() error{free}}, nil
}

// sliceWords is the memory layout of a slice header.
type sliceWords struct{ data, len, cap uintptr }

// posTable returns the POS vector of each morph, pointing into ids:
// ids[off[i]:off[i+1]] for morph i, and a function that frees the table.
//
// The 392,000 slice headers of the IPA dictionary take 9 MB. They live
// outside the Go heap (see allocWords), where the garbage collector neither
// scans them nor watches the stores with write barriers, and they are
// written as plain words. That is sound only because they point into the
// mapped file, which the collector does not manage either: nothing may store
// a pointer to Go memory in them.
func posTable(off []uint32, ids []dict.POSID) ([]dict.POS, func() error, error) {
	n := len(off) - 1
	if unsafe.Sizeof(dict.POS(nil)) != unsafe.Sizeof(sliceWords{}) {
		return nil, nil, fmt.Errorf("%w: unexpected slice header size", ErrUnsupported)
	}
	if n == 0 {
		return []dict.POS{}, func() error { return nil }, nil
	}
	mem, free, err := allocWords(n * int(unsafe.Sizeof(sliceWords{})))
	if err != nil {
		return nil, nil, fmt.Errorf("POS table: %w", err)
	}
	words := sliceOf[sliceWords](mem)
	base := uintptr(unsafe.Pointer(unsafe.SliceData(ids)))
	for i := range words {
		lo, hi := off[i], off[i+1]
		if lo > hi || int(hi) > len(ids) {
			_ = free()
			return nil, nil, fmt.Errorf("%w: POS offsets of morph %d out of order", ErrCorrupt, i)
		}
		if lo < hi {
			words[i] = sliceWords{base + uintptr(lo)*unsafe.Sizeof(dict.POSID(0)), uintptr(hi - lo), uintptr(hi - lo)}
		}
	}
	return unsafe.Slice((*dict.POS)(unsafe.Pointer(unsafe.SliceData(words))), n), free, nil
}

// sliceOf returns the bytes b as a slice of E, sharing its memory. b must be
// aligned for E and hold whole elements.
func sliceOf[E any](b []byte) []E {
	var e E
	n := len(b) / int(unsafe.Sizeof(e))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(b))), n)
}
