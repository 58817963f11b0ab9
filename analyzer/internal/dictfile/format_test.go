package dictfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

const testSource = "example.com/test-dict@v0.0.1"

// smallDict returns a tiny but complete dictionary: three known words, two
// character classes, one unknown-word entry per class.
func smallDict(tb testing.TB) *dict.Dict {
	tb.Helper()
	idx, err := dict.BuildIndexTable([]string{"いく", "いく", "く"})
	if err != nil {
		tb.Fatal(err)
	}
	cat := make(dict.CharCategory, 0x3100)
	for r := 0x3041; r <= 0x3096; r++ {
		cat[r] = 1 // HIRAGANA
	}
	d := &dict.Dict{
		Morphs: dict.Morphs{{LeftID: 1, RightID: 1, Weight: 100}, {LeftID: 2, RightID: 2, Weight: 300}, {LeftID: 1, RightID: 2, Weight: 50}},
		POSTable: dict.POSTable{
			POSs:     []dict.POS{{1, 2}, {3, 2}, {1}},
			NameList: []string{"", "名詞", "*", "動詞", "記号"},
		},
		ContentsMeta: dict.ContentsMeta{dict.POSStartIndex: 0, dict.POSHierarchy: 2, dict.BaseFormIndex: 2},
		Contents:     dict.Contents{{"いく", "イク"}, {"*", "イク"}, {"", "ク"}},
		Connection:   dict.ConnectionTable{Row: 3, Col: 3, Vec: []int16{0, 1, 2, 3, 4, 5, 6, -7, 8}},
		Index:        idx,
		CharClass:    dict.CharClass{"DEFAULT", "HIRAGANA"},
		CharCategory: cat,
		InvokeList:   dict.InvokeList{true, false},
		GroupList:    dict.GroupList{true, true},
		UnkDict: dict.UnkDict{
			Morphs:       dict.Morphs{{LeftID: 1, RightID: 1, Weight: 1000}, {LeftID: 2, RightID: 2, Weight: 2000}},
			Index:        map[int32]int32{0: 0, 1: 1},
			IndexDup:     map[int32]int32{0: 0, 1: 0},
			ContentsMeta: dict.ContentsMeta{dict.POSStartIndex: 0, dict.POSHierarchy: 1},
			Contents:     dict.Contents{{"記号", "*"}, {"名詞", "*"}},
		},
	}
	d.SetInfo(&dict.Info{Name: "test", Src: "smallDict"})
	return d
}

// buildBytes returns the prepared form of d with the test source.
func buildBytes(tb testing.TB, d *dict.Dict, src string) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := build(d, src, &b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// parseBytes parses a copy of data in memory aligned as a mapping would be.
func parseBytes(data []byte, src string) (*Dict, error) {
	words := make([]uint64, (len(data)+7)/8+1)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(data))
	copy(buf, data)
	return parse(buf, src)
}

func TestSmallRoundTrip(t *testing.T) {
	want := smallDict(t)
	pd, err := parseBytes(buildBytes(t, want, testSource), testSource)
	if err != nil {
		t.Fatal(err)
	}
	defer pd.Close()
	got := pd.Kagome()
	shrunk := *want
	shrunk.Contents = nil
	if !reflect.DeepEqual(got, &shrunk) {
		t.Errorf("prepared dictionary differs:\ngot  %+v\nwant %+v", got, &shrunk)
	}
	// Feature 2 is the first content of a word with two POS levels ("*" is
	// none) and the second of one with a single level, as in kagome.
	for id, wantBase := range []string{"いく", "", "ク"} {
		if b := pd.BaseForm(id); b != wantBase {
			t.Errorf("BaseForm(%d) = %q, want %q", id, b, wantBase)
		}
	}

	tk, err := tokenizer.New(got, tokenizer.OmitBosEos())
	if err != nil {
		t.Fatal(err)
	}
	var surfaces []string
	for _, tok := range tk.Tokenize("いくくあ") {
		surfaces = append(surfaces, tok.Surface)
	}
	if got, want := strings.Join(surfaces, "|"), "いく|く|あ"; got != want {
		t.Errorf("tokens %s, want %s", got, want)
	}
}

func TestSmallRoundTripNoInfo(t *testing.T) {
	d := smallDict(t)
	d.SetInfo(nil)
	pd, err := parseBytes(buildBytes(t, d, testSource), testSource)
	if err != nil {
		t.Fatal(err)
	}
	defer pd.Close()
	if info := pd.Kagome().Info(); info != nil {
		t.Errorf("Info() = %+v, want nil", info)
	}
}

// fixChecksums recomputes the checksums of a prepared file in place, so that
// a deliberately damaged file reaches the structural checks.
func fixChecksums(data []byte) {
	if len(data) < headerSize {
		return
	}
	srcLen := int(binary.LittleEndian.Uint32(data[28:]))
	blocks := int(binary.LittleEndian.Uint32(data[36:]))
	sumsAt := alignUp(headerSize+srcLen) + numSections*tableEntry
	dataStart := sumsAt + alignUp(4*blocks)
	if srcLen > len(data) || blocks > len(data) || dataStart > len(data) {
		return
	}
	for i := range blocks {
		lo := dataStart + i*blockSize
		if lo > len(data) {
			break
		}
		block := data[lo:min(lo+blockSize, len(data))]
		binary.LittleEndian.PutUint32(data[sumsAt+4*i:], crc32.Checksum(block, castagnoli))
	}
	binary.LittleEndian.PutUint32(data[12:], crc32.Checksum(data[crcStart:dataStart], castagnoli))
}

// FuzzParse damages a valid file, checksums made right again, and requires
// parse to fail or succeed, never panic.
func FuzzParse(f *testing.F) {
	valid := buildBytes(f, smallDict(f), testSource)
	f.Add(valid, 0, byte(0), len(valid))
	f.Add(valid, 60, byte(0xff), len(valid))
	f.Add(valid, len(valid)-3, byte(1), len(valid)-1)
	f.Fuzz(func(t *testing.T, data []byte, at int, x byte, cut int) {
		data = bytes.Clone(data)
		if at >= 0 && at < len(data) {
			data[at] ^= x
		}
		if cut >= 0 && cut < len(data) {
			data = data[:cut]
		}
		fixChecksums(data)
		if d, err := parseBytes(data, testSource); err == nil {
			d.Close()
		}
	})
}

func TestSourceOf(t *testing.T) {
	ipaDep := &debug.Module{Path: ipaModule, Version: "v1.2.6", Sum: "h1:ipa="}
	dictDep := &debug.Module{Path: dictModule, Version: "v1.1.7", Sum: "h1:dict="}
	for _, tc := range []struct {
		name    string
		deps    []*debug.Module
		want    string
		wantErr bool
	}{
		{"modules", []*debug.Module{dictDep, ipaDep}, "github.com/ikawaha/kagome-dict/ipa@v1.2.6 h1:ipa=; github.com/ikawaha/kagome-dict@v1.1.7 h1:dict=", false},
		{"vendored without sums", []*debug.Module{{Path: ipaModule, Version: "v1.2.6"}, {Path: dictModule, Version: "v1.1.7"}}, "github.com/ikawaha/kagome-dict/ipa@v1.2.6; github.com/ikawaha/kagome-dict@v1.1.7", false},
		{"replaced by a version", []*debug.Module{{Path: ipaModule, Version: "v1.2.6", Replace: &debug.Module{Path: "example.com/ipa", Version: "v9.0.0", Sum: "h1:x="}}, dictDep}, "example.com/ipa@v9.0.0 h1:x=; github.com/ikawaha/kagome-dict@v1.1.7 h1:dict=", false},
		{"replaced by a directory", []*debug.Module{{Path: ipaModule, Version: "v1.2.6", Replace: &debug.Module{Path: "../ipa"}}, dictDep}, "", true},
		{"missing", []*debug.Module{dictDep}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sourceOf(tc.deps)
			if tc.wantErr {
				if !errors.Is(err, ErrNoSource) {
					t.Errorf("sourceOf = %q, %v; want an ErrNoSource error", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("sourceOf = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestModuleVersion(t *testing.T) {
	for _, tc := range []struct {
		file, want string
		ok         bool
	}{
		{"/root/go/pkg/mod/github.com/ikawaha/kagome-dict/ipa@v1.2.6/dict.go", "v1.2.6", true},
		{"github.com/ikawaha/kagome-dict/ipa@v1.2.6/dict.go", "v1.2.6", true},
		{"/src/vendor/github.com/ikawaha/kagome-dict/ipa/dict.go", "", false},
		{"/x/notgithub.com/ikawaha/kagome-dict/ipa@v1.2.6/dict.go", "", false},
	} {
		got, ok := moduleVersion(tc.file, ipaModule)
		if got != tc.want || ok != tc.ok {
			t.Errorf("moduleVersion(%q) = %q, %v; want %q, %v", tc.file, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSourceKnownInTests(t *testing.T) {
	src, err := Source()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src, ipaModule+"@v") || !strings.Contains(src, dictModule+"@v") {
		t.Errorf("Source() = %q, want both module versions", src)
	}
}
