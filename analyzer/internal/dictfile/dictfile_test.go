package dictfile

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
)

// shared holds one prepared file of the embedded dictionary for the whole
// test binary: building it takes about a second.
var shared struct {
	once sync.Once
	dir  string
	path string
	data []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// preparedFile returns the path and bytes of a prepared file built from
// ipa.Dict.
func preparedFile(tb testing.TB) (string, []byte) {
	tb.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "dictfile-test"); shared.err != nil {
			return
		}
		var b bytes.Buffer
		if shared.err = Build(ipa.Dict(), &b); shared.err != nil {
			return
		}
		shared.data = b.Bytes()
		shared.path = filepath.Join(shared.dir, "ipa.dict")
		shared.err = os.WriteFile(shared.path, shared.data, 0o644)
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.path, shared.data
}

// openPrepared opens the shared prepared file for the test.
func openPrepared(tb testing.TB) *Dict {
	tb.Helper()
	path, _ := preparedFile(tb)
	d, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Error(err)
		}
	})
	return d
}

// TestOpenMatchesSource checks every part kagome or the analyzer reads,
// field by field, against the dictionary the file was built from.
func TestOpenMatchesSource(t *testing.T) {
	want := ipa.Dict()
	d := openPrepared(t)
	got := d.Kagome()

	if got.Contents != nil {
		t.Errorf("Contents has %d entries, want nil", len(got.Contents))
	}
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"Morphs", got.Morphs, want.Morphs},
		{"Connection", got.Connection, want.Connection},
		{"Index.Da", got.Index.Da, want.Index.Da},
		{"Index.Dup", got.Index.Dup, want.Index.Dup},
		{"POSTable.NameList", got.POSTable.NameList, want.POSTable.NameList},
		{"ContentsMeta", got.ContentsMeta, want.ContentsMeta},
		{"CharClass", got.CharClass, want.CharClass},
		{"CharCategory", got.CharCategory, want.CharCategory},
		{"InvokeList", got.InvokeList, want.InvokeList},
		{"GroupList", got.GroupList, want.GroupList},
		{"UnkDict", got.UnkDict, want.UnkDict},
		{"Info", got.Info(), want.Info()},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s differs from the source dictionary", f.name)
		}
	}
	if len(got.POSTable.POSs) != len(want.POSTable.POSs) {
		t.Fatalf("%d POS entries, want %d", len(got.POSTable.POSs), len(want.POSTable.POSs))
	}
	var bases int
	for id := range want.Morphs {
		if g, w := got.POSTable.POSs[id], want.POSTable.POSs[id]; !reflect.DeepEqual(g, w) {
			t.Fatalf("POS of morph %d = %v, want %v", id, g, w)
		}
		// The base form as kagome's own Token.BaseForm reads it from the
		// contents (FeatureAt(_base)), "*" meaning none.
		w := want.Contents[id][int(want.ContentsMeta[dict.BaseFormIndex])-len(want.POSTable.POSs[id])]
		if w == "*" {
			w = ""
		}
		if g := d.BaseForm(id); g != w {
			t.Fatalf("BaseForm(%d) = %q, want %q", id, g, w)
		}
		if w != "" {
			bases++
		}
	}
	if bases == 0 {
		t.Error("no morph has a base form")
	}
	for _, id := range []int{-1, len(want.Morphs), len(want.Morphs) + 1} {
		if g := d.BaseForm(id); g != "" {
			t.Errorf("BaseForm(%d) = %q, want \"\"", id, g)
		}
	}
}

func TestBuildRejectsShrunkDictionary(t *testing.T) {
	d := *ipa.Dict()
	d.Contents = nil
	var b bytes.Buffer
	if err := Build(&d, &b); err == nil {
		t.Error("Build of a dictionary without contents succeeded, want an error")
	}
}

func TestCloseTwice(t *testing.T) {
	path, _ := preparedFile(t)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if got := d.BaseForm(1); got != "" {
		t.Errorf("BaseForm after Close = %q, want \"\"", got)
	}
}
