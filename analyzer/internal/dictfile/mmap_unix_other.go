//go:build unix && !linux

package dictfile

const (
	mapFlags = 0
	hugePage = 0
)

func prefault([]byte) {}
