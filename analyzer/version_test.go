package analyzer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// versionsFile records, for each analysis Version, a hash of the terms it
// produces for the texts under testdata: one "VERSION HASH" line each.
const versionsFile = "../testdata/analyzer/VERSIONS"

// termsHash analyses every text file under testdata/analyzer and
// testdata/articles and hashes the words and grams.
func termsHash(t *testing.T) string {
	t.Helper()
	var paths []string
	for _, dir := range []string{"../testdata/analyzer", "../testdata/articles"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".golden") && filepath.Base(path) != filepath.Base(versionsFile) {
				paths = append(paths, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(paths)
	a := Default()
	h := sha256.New()
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := a.Analyze(string(raw))
		fmt.Fprintf(h, "%s\n", filepath.ToSlash(p))
		_ = WriteTokens(h, r.Words)
		_ = WriteTokens(h, r.Grams)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestVersionBumped fails when the terms the analysis produces change while
// Version stays: an index built by the older analysis would open and
// answer wrongly. A new Version is recorded with -update; a changed hash
// under a recorded Version is never accepted.
func TestVersionBumped(t *testing.T) {
	got := termsHash(t)
	raw, err := os.ReadFile(versionsFile)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	recorded := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if v, h, ok := strings.Cut(line, " "); ok {
			recorded[v] = h
		}
	}
	v := fmt.Sprint(Version)
	switch want, ok := recorded[v]; {
	case ok && want == got:
	case ok:
		t.Fatalf("the analysis produces other terms than version %s did (hash %s, recorded %s): bump analyzer.Version, then record it with go test ./analyzer -run TestVersionBumped -update", v, got, want)
	case *update:
		line := []byte(v + " " + got + "\n")
		if err := os.WriteFile(versionsFile, append(bytes.TrimLeft(raw, "\n"), line...), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("version %s is not recorded in %s: go test ./analyzer -run TestVersionBumped -update", v, versionsFile)
	}
}
