package dictfile

import "syscall"

// Open reads every page of the file for the checksums and writes every page
// of the POS table; faulting them in one by one is slow, and very slow on a
// virtual machine where a first touch of a page traps to the host. Measured
// on the 2-core VM this was developed on (medians of 15 cold processes, 9 MB
// POS table): written page by page 31 ms, pre-faulted with MAP_POPULATE
// 15-50 ms, in transparent huge pages 7-10 ms.
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
