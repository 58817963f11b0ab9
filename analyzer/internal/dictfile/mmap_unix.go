//go:build unix

package dictfile

import (
	"fmt"
	"math"
	"os"
	"syscall"
	"unsafe"
)

// mapFile maps the file at path into memory read-only, and returns a
// function that unmaps it.
func mapFile(path string) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size == 0 {
		// Nothing to map; parse reports the file as truncated.
		return []byte{}, func() error { return nil }, nil
	}
	if size > math.MaxInt {
		return nil, nil, fmt.Errorf("%s: file too large to map (%d bytes)", path, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED|mapFlags)
	if err != nil {
		return nil, nil, &os.PathError{Op: "mmap", Path: path, Err: err}
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}

// allocWords returns size bytes of zeroed, writable memory outside the Go
// heap, and a function that frees it. The memory is aligned to hugePage, so
// that prefault can back it with huge pages.
func allocWords(size int) ([]byte, func() error, error) {
	raw, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, &os.SyscallError{Syscall: "mmap", Err: err}
	}
	const a = max(hugePage, 1)
	off := (a - int(uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%a)) % a
	mem := raw[off : off+size : off+size]
	prefault(mem)
	return mem, func() error { return syscall.Munmap(raw) }, nil
}
