//go:build !race

package dictfile

const raceEnabled = false
