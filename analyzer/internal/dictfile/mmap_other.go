//go:build !unix

package dictfile

import (
	"os"
	"unsafe"
)

// mapFile reads the file at path into memory: without mmap, the sections are
// still used as they are, only read instead of mapped.
func mapFile(path string) ([]byte, func() error, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}

// allocWords returns size bytes of zeroed, writable memory that the garbage
// collector does not scan (allocated as words without pointers), rounded up
// to whole words.
func allocWords(size int) ([]byte, func() error, error) {
	w := make([]uintptr, (size+int(unsafe.Sizeof(uintptr(0)))-1)/int(unsafe.Sizeof(uintptr(0))))
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), size), func() error { return nil }, nil
}
