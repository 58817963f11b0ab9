package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/analyzer"
)

var update = flag.Bool("update", false, "record a new FormatVersion")

// formatsFile records, for each FormatVersion, a hash of the mapping and
// of the indexing options of every field: one "VERSION HASH" line each.
const formatsFile = "../testdata/index/FORMATS"

// TestFormatVersionBumped fails when the mapping or a field's indexing
// options change while FormatVersion stays: an index written before would
// open and answer wrongly (as the facets of format 1 did). A new version is
// recorded with -update; a changed hash under a recorded version never is.
func TestFormatVersionBumped(t *testing.T) {
	m, err := json.Marshal(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	// the analyzers' names carry analyzer.Version, which
	// analyzer.TestVersionBumped guards: an index of another analysis
	// version is refused by its recorded analysis, whatever the format
	m = bytes.ReplaceAll(m, []byte(analyzer.WordAnalyzerName), []byte("ja_word"))
	m = bytes.ReplaceAll(m, []byte(analyzer.GramAnalyzerName), []byte("ja_gram"))
	h := sha256.New()
	h.Write(m)
	fmt.Fprint(h, optText, optTitleGram, optBodyGram, optFacet, optHidden, optStored, optSrc, dateLayout)
	got := hex.EncodeToString(h.Sum(nil))[:16]
	raw, err := os.ReadFile(formatsFile)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	recorded := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if v, h, ok := strings.Cut(line, " "); ok {
			recorded[v] = h
		}
	}
	v := fmt.Sprint(FormatVersion)
	switch want, ok := recorded[v]; {
	case ok && want == got:
	case ok:
		t.Fatalf("the mapping or indexing options differ from format %s's (hash %s, recorded %s): bump FormatVersion, then record it with go test ./index -run TestFormatVersionBumped -update", v, got, want)
	case *update:
		if err := os.WriteFile(formatsFile, append(bytes.TrimLeft(raw, "\n"), []byte(v+" "+got+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("format %s is not recorded in %s: go test ./index -run TestFormatVersionBumped -update", v, formatsFile)
	}
}
