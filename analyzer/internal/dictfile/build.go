package dictfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"unsafe"

	"github.com/ikawaha/kagome-dict/dict"
)

// Build writes the prepared form of d, which must be the IPA dictionary
// embedded in this binary (ipa.Dict, or its zip loaded with dict.Load): the
// file records Source as its origin. d needs its contents for the base forms.
func Build(d *dict.Dict, w io.Writer) error {
	src, err := Source()
	if err != nil {
		return fmt.Errorf("dictfile: %w", err)
	}
	if err := build(d, src, w); err != nil {
		return fmt.Errorf("dictfile: %w", err)
	}
	return nil
}

// build writes the prepared form of d recording src as its source. Its
// errors carry no package prefix.
func build(d *dict.Dict, src string, w io.Writer) error {
	if err := checkLayout(); err != nil {
		return err
	}
	sections, err := buildSections(d)
	if err != nil {
		return err
	}

	// Lay out the data: each section at a multiple of align from the data
	// start, which is itself so aligned.
	var offs [numSections]int
	n := 0
	for i, sec := range sections {
		n = alignUp(n)
		offs[i] = n
		n += len(sec)
	}
	dataSize := n
	blocks := (dataSize + blockSize - 1) / blockSize

	head := make([]byte, headerSize, alignUp(headerSize+len(src))+numSections*tableEntry+alignUp(4*blocks))
	copy(head, magic)
	binary.LittleEndian.PutUint32(head[8:], Version)
	binary.LittleEndian.PutUint32(head[24:], numSections)
	binary.LittleEndian.PutUint32(head[28:], uint32(len(src)))
	binary.LittleEndian.PutUint32(head[32:], blockSize)
	binary.LittleEndian.PutUint32(head[36:], uint32(blocks))
	head = append(head, src...)
	head = head[:alignUp(len(head))]
	dataStart := len(head) + numSections*tableEntry + alignUp(4*blocks)
	binary.LittleEndian.PutUint64(head[16:], uint64(dataStart+dataSize))
	for i, sec := range sections {
		head = binary.LittleEndian.AppendUint64(head, uint64(dataStart+offs[i]))
		head = binary.LittleEndian.AppendUint64(head, uint64(len(sec)))
	}

	// The data is produced twice, once for the block checksums and once for
	// w, rather than held in memory.
	var padding [align]byte
	data := func(f func([]byte) error) error {
		n := 0
		for i, sec := range sections {
			if pad := offs[i] - n; pad > 0 {
				if err := f(padding[:pad]); err != nil {
					return err
				}
			}
			if err := f(sec); err != nil {
				return err
			}
			n = offs[i] + len(sec)
		}
		return nil
	}
	sums := blockSums{sums: make([]uint32, 0, blocks)}
	_ = data(sums.write)
	for _, c := range sums.finish() {
		head = binary.LittleEndian.AppendUint32(head, c)
	}
	head = head[:dataStart]
	binary.LittleEndian.PutUint32(head[12:], crc32.Checksum(head[crcStart:], castagnoli))

	if _, err := w.Write(head); err != nil {
		return err
	}
	return data(func(p []byte) error { _, err := w.Write(p); return err })
}

// blockSums computes the CRC-32C of each blockSize bytes written to it.
type blockSums struct {
	n    int // bytes in the current block
	crc  uint32
	sums []uint32
}

func (b *blockSums) write(p []byte) error {
	for len(p) > 0 {
		k := min(len(p), blockSize-b.n)
		b.crc = crc32.Update(b.crc, castagnoli, p[:k])
		b.n += k
		p = p[k:]
		if b.n == blockSize {
			b.sums = append(b.sums, b.crc)
			b.n, b.crc = 0, 0
		}
	}
	return nil
}

// finish returns the checksums, the last of a short block.
func (b *blockSums) finish() []uint32 {
	if b.n > 0 {
		b.sums = append(b.sums, b.crc)
		b.n, b.crc = 0, 0
	}
	return b.sums
}

// buildSections returns the bytes of each section of d.
func buildSections(d *dict.Dict) ([numSections][]byte, error) {
	var s [numSections][]byte
	n := len(d.Morphs)
	switch {
	case n == 0:
		return s, errors.New("dictionary has no morphs")
	case len(d.POSTable.POSs) != n:
		return s, fmt.Errorf("dictionary has %d morphs but %d POS entries", n, len(d.POSTable.POSs))
	case len(d.Contents) != n:
		return s, fmt.Errorf("dictionary has %d morphs but %d contents entries (loaded without contents?)", n, len(d.Contents))
	case d.Connection.Row < 0 || d.Connection.Col < 0 || d.Connection.Row*d.Connection.Col != int64(len(d.Connection.Vec)):
		return s, fmt.Errorf("connection table is %d×%d but has %d costs", d.Connection.Row, d.Connection.Col, len(d.Connection.Vec))
	case len(d.Index.Da) == 0:
		return s, errors.New("dictionary has an empty index")
	}

	// The fixed-width arrays are written as they lie in memory: checkLayout
	// has made sure that this is the file's layout.
	s[secMorphs] = bytesOf(d.Morphs)
	s[secConnection] = bytesOf(d.Connection.Vec)
	s[secDoubleArray] = bytesOf(d.Index.Da)
	s[secCharCategory] = []byte(d.CharCategory)

	keys := make([]int32, 0, len(d.Index.Dup))
	for k := range d.Index.Dup {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dup := make([]byte, 0, 8*len(keys))
	for _, k := range keys {
		dup = binary.LittleEndian.AppendUint32(dup, uint32(k))
		dup = binary.LittleEndian.AppendUint32(dup, uint32(d.Index.Dup[k]))
	}
	s[secDup] = dup

	posOff := make([]byte, 0, 4*(n+1))
	posIDs := make([]byte, 0, 2*4*n)
	baseOff := make([]byte, 0, 4*(n+1))
	var blob []byte
	posOff = binary.LittleEndian.AppendUint32(posOff, 0)
	baseOff = binary.LittleEndian.AppendUint32(baseOff, 0)
	for id, pos := range d.POSTable.POSs {
		for _, p := range pos {
			posIDs = binary.LittleEndian.AppendUint16(posIDs, uint16(p))
		}
		blob = append(blob, ContentsBaseForm(d, id)...)
		if len(posIDs)/2 > math.MaxUint32 || len(blob) > math.MaxUint32 {
			return s, errors.New("dictionary too large for 32-bit offsets")
		}
		posOff = binary.LittleEndian.AppendUint32(posOff, uint32(len(posIDs)/2))
		baseOff = binary.LittleEndian.AppendUint32(baseOff, uint32(len(blob)))
	}
	s[secPOSOffsets], s[secPOSIDs] = posOff, posIDs
	s[secBaseOffsets], s[secBaseBlob] = baseOff, blob

	s[secMisc] = encodeMisc(d)
	return s, nil
}

// bytesOf returns the memory of s as bytes.
func bytesOf[E any](s []E) []byte {
	if len(s) == 0 {
		return nil
	}
	var e E
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(e)))
}
