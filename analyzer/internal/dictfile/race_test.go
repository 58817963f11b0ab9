//go:build race

package dictfile

// raceEnabled: the race detector slows kagome tenfold, and the corpus
// comparison adds no concurrency worth watching, so it samples less.
const raceEnabled = true
