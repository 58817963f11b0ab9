package dictfile

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
)

// embeddedZip returns the zipped dictionary that kagome-dict/ipa embeds,
// read from the module's source directory.
func embeddedZip(b *testing.B) []byte {
	b.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", ipaModule).Output()
	if err != nil {
		b.Skipf("cannot locate %s: %v", ipaModule, err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "ipa.dict"))
	if err != nil {
		b.Skip(err)
	}
	return data
}

// BenchmarkLoadEmbedded loads the dictionary as ipa.Dict does on first use.
func BenchmarkLoadEmbedded(b *testing.B) {
	data := embeddedZip(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := bytes.NewReader(data)
		zr, err := zip.NewReader(r, r.Size())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := dict.Load(zr, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenPrepared maps, validates and sets up a prepared dictionary.
func BenchmarkOpenPrepared(b *testing.B) {
	path, data := preparedFile(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		d, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild writes a prepared dictionary, as the first process does.
func BenchmarkBuild(b *testing.B) {
	src, err := Source()
	if err != nil {
		b.Fatal(err)
	}
	full := ipa.Dict()
	b.ReportAllocs()
	for b.Loop() {
		if err := writeFile(filepath.Join(b.TempDir(), "ipa.dict"), full, src); err != nil {
			b.Fatal(err)
		}
	}
}
