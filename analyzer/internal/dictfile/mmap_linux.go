package dictfile

import "syscall"

// Open reads every page of the file for the checksums and writes every page
// of the 9 MB POS table, and a first touch of a page is slow, very slow on a
// virtual machine where it traps to the host. On the 2-core VM this was
// developed on, a cold process took 83 ms (mean of 40) with the POS table
// faulted in page by page and 53 ms with it in huge pages (a MAP_POPULATE of
// 4 KB pages saved half as much). The file mapping is populated too: the
// open costs no more, and the first tokenisation then took 0.4 ms instead of
// 4-17 ms of faults. (Checksumming the file through pread instead of the
// mapping made no difference that could be measured there.)
const (
	// mapFlags pre-faults the file mapping in one call.
	mapFlags = syscall.MAP_POPULATE
	// hugePage is the size of a transparent huge page.
	hugePage = 2 << 20
)

// madvPopulateWrite (Linux 5.14) faults pages in writable.
const madvPopulateWrite = 23

// prefault asks for mem, which is hugePage-aligned, to be backed by huge
// pages, and faults it in. Both are hints: an older kernel, or one with
// transparent huge pages off, faults mem in on first write.
func prefault(mem []byte) {
	_ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE)
	_ = syscall.Madvise(mem, madvPopulateWrite)
}
