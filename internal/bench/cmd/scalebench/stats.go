package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
)

// percentile is the nearest-rank percentile p (0 < p <= 100) of xs, the
// definition groonga.sh uses: the smallest value with at least p% of the
// samples at or below it. NaN for no samples.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// median is the middle value (the mean of the two middle ones for an even
// count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// figures is a set of named figures, written to the run's figures file as
// key<TAB>value lines, from which the results table is made.
type figures map[string]string

func (f figures) set(key string, format string, args ...any) {
	f[key] = fmt.Sprintf(format, args...)
}

// appendTo adds the figures to path (created if need be), sorted by key.
func (f figures) appendTo(path string) error {
	if path == "" {
		return nil
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := bufio.NewWriter(out)
	for _, k := range keys {
		fmt.Fprintf(w, "%s\t%s\n", k, strings.ReplaceAll(f[k], "\n", " "))
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readFigures reads a figures file; a later line wins over an earlier one
// of the same key.
func readFigures(path string) (figures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := figures{}
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want key<TAB>value, got %q", path, n+1, line)
		}
		f[k] = v
	}
	return f, nil
}

// readLines reads the non-blank lines of a file, trimmed.
func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no lines", path)
	}
	return out, nil
}
