// Package dictfile stores a loaded kagome dictionary in a prepared file that
// opens in milliseconds: the large arrays are written as raw little-endian
// sections that Open maps into memory and hands to kagome as they are, with
// no decoding and no copying.
//
// Loading kagome's IPA dictionary the normal way (ipa.Dict) unzips 11.7 MB and
// decodes about 392,000 morphs element by element: about a second and 89 MiB
// of heap, paid by every process. A prepared file is built from that loaded
// dictionary once (see OpenIPA) and then opened by every later process.
//
// # File format
//
// All integers are little-endian. The file starts with a header:
//
//	offset  size  field
//	0       8     magic "NSKDICT\n"
//	8       4     format version (Version)
//	12      4     CRC-32C (Castagnoli) of bytes [16, data start)
//	16      8     size of the file in bytes
//	24      4     number of sections (numSections)
//	28      4     length of the source identity
//	32      4     checksum block size in bytes (a power of two)
//	36      4     number of checksum blocks
//	40      ...   source identity (see Source), zero-padded to a multiple of 8
//	...     16×n  section table: byte offset and byte length of each section
//	...     4×b   CRC-32C of each block of the data, zero-padded to a multiple of 8
//
// The data starts after the block checksums and holds the sections in the
// order of the sec constants, each starting at a multiple of 8 bytes from the
// start of the file, with zero padding between them. It is checksummed in
// blocks so that two cores can verify it at once; with the header checksum,
// every byte after the version is covered. A file whose size, magic, version,
// source or any checksum differs from what this binary expects is rejected
// as a whole.
//
// Only what kagome's tokenizer and the analyzer read is stored: the contents
// (readings, pronunciations, inflections) are not, except the base form
// (基本形) of each known morph. A Dict from Open therefore has nil Contents,
// and kagome's Token.Features, BaseForm and Reading on known words report
// nothing; use Dict.BaseForm instead.
package dictfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unsafe"

	"github.com/ikawaha/kagome-dict/dict"
)

// Version is the format version written by Build. A change to what a file
// holds or how it is laid out must increment it.
const Version = 1

// magic starts every prepared dictionary file.
const magic = "NSKDICT\n"

const (
	headerSize = 40      // fixed part of the header, before the source identity
	align      = 8       // sections start at multiples of align
	tableEntry = 16      // offset and length of one section
	crcStart   = 16      // the header checksum covers [crcStart, data start)
	blockSize  = 1 << 20 // the data is checksummed in blocks of this size
)

// Sections, in file order.
const (
	secMorphs       = iota // n × {LeftID, RightID, Weight int16}
	secConnection          // Row × Col int16, kagome's (transposed) order
	secDoubleArray         // m × {Base, Check int32}: the index trie
	secDup                 // k × {key, count int32}, keys ascending: Index.Dup
	secPOSOffsets          // (n+1) × uint32: morph i has posIDs[off[i]:off[i+1]]
	secPOSIDs              // uint16 POS ids into the name list
	secBaseOffsets         // (n+1) × uint32: morph i's base form is blob[off[i]:off[i+1]]
	secBaseBlob            // the base forms, UTF-8, back to back
	secCharCategory        // one byte per rune: CharCategory
	secMisc                // the small parts, see encodeMisc
	numSections
)

var sectionNames = [numSections]string{
	"morphs", "connection", "double array", "dup", "POS offsets", "POS ids",
	"base offsets", "base forms", "char category", "misc",
}

// Errors returned by Open, each wrapped with the file and the detail.
var (
	// ErrTruncated means the file is shorter than its header or section
	// table says.
	ErrTruncated = errors.New("truncated prepared dictionary")
	// ErrCorrupt means the file is not a prepared dictionary, or its
	// checksum or structure is wrong.
	ErrCorrupt = errors.New("corrupt prepared dictionary")
	// ErrVersion means the file was written in another format version.
	ErrVersion = errors.New("prepared dictionary format version mismatch")
	// ErrSource means the file was built from another dictionary than the
	// one this binary embeds.
	ErrSource = errors.New("prepared dictionary built from another source")
	// ErrUnsupported means this machine cannot use prepared files (a
	// big-endian host, or a kagome whose in-memory layout differs).
	ErrUnsupported = errors.New("prepared dictionary not supported here")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checkLayout reports whether the in-memory layout of kagome's types matches
// the file's, so that sections can be used as they are.
func checkLayout() error {
	var one = [2]byte{1, 0}
	if binary.NativeEndian.Uint16(one[:]) != 1 {
		return fmt.Errorf("%w: big-endian host", ErrUnsupported)
	}
	var m dict.Morph
	if unsafe.Sizeof(m) != 6 || unsafe.Offsetof(m.LeftID) != 0 || unsafe.Offsetof(m.RightID) != 2 || unsafe.Offsetof(m.Weight) != 4 {
		return fmt.Errorf("%w: dict.Morph is not {LeftID, RightID, Weight int16}", ErrUnsupported)
	}
	var n daNode
	if unsafe.Sizeof(n) != 8 || unsafe.Offsetof(n.Base) != 0 || unsafe.Offsetof(n.Check) != 4 {
		return fmt.Errorf("%w: trie node is not {Base, Check int32}", ErrUnsupported)
	}
	return nil
}

// daNode is the element type of kagome's trie.DoubleArray.
type daNode = struct{ Base, Check int32 }

func alignUp(n int) int { return (n + align - 1) &^ (align - 1) }
