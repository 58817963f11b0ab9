package dictfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
)

// Modules whose identity makes up Source: the one that embeds the IPA
// dictionary, and the one that defines the types a prepared file is mapped
// onto.
const (
	ipaModule  = "github.com/ikawaha/kagome-dict/ipa"
	dictModule = "github.com/ikawaha/kagome-dict"
)

// ErrNoSource means the binary does not record which IPA dictionary module
// it embeds (no module build information, or the module is replaced by a
// local directory), so a prepared file could not be told apart from one
// built from another dictionary.
var ErrNoSource = errors.New("identity of the embedded IPA dictionary unknown")

// Source returns the identity of the IPA dictionary embedded in this binary:
// the path, version and go.sum hash of the kagome-dict/ipa module (the hash
// covers the embedded dictionary itself) and of kagome-dict, whose types a
// prepared file is mapped onto. It is the source recorded by Build and
// required by Open. It fails with ErrNoSource when the binary does not say
// which versions it was built with.
func Source() (string, error) { return source() }

var source = sync.OnceValues(func() (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok && len(bi.Deps) > 0 {
		return sourceOf(bi.Deps)
	}
	// Test binaries of packages other than main record no dependencies
	// (golang/go#33976); the file names of the compiled functions still
	// carry the module versions (module cache or -trimpath paths).
	return sourceOfFuncs(map[string]any{ipaModule: ipa.Dict, dictModule: dict.Load})
})

// sourceOf returns the identity of the modules in the build information
// deps.
func sourceOf(deps []*debug.Module) (string, error) {
	var parts []string
	for _, path := range []string{ipaModule, dictModule} {
		var m *debug.Module
		for _, d := range deps {
			if d.Path == path {
				m = d
				break
			}
		}
		if m == nil {
			return "", fmt.Errorf("%w: %s not in build information", ErrNoSource, path)
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Version == "" {
			return "", fmt.Errorf("%w: %s has no version (replaced by a directory?)", ErrNoSource, path)
		}
		// A version names one content for good (the checksum database sees
		// to that); the sum is recorded when the build knows it.
		parts = append(parts, strings.TrimSpace(m.Path+"@"+m.Version+" "+m.Sum))
	}
	return strings.Join(parts, "; "), nil
}

// sourceOfFuncs returns the identity of modules from the source file names
// of one function of each (module path to function).
func sourceOfFuncs(funcs map[string]any) (string, error) {
	var parts []string
	for _, path := range []string{ipaModule, dictModule} {
		f := runtime.FuncForPC(reflect.ValueOf(funcs[path]).Pointer())
		if f == nil {
			return "", fmt.Errorf("%w: no build information and no symbols for %s", ErrNoSource, path)
		}
		file, _ := f.FileLine(f.Entry())
		v, ok := moduleVersion(filepath.ToSlash(file), path)
		if !ok {
			return "", fmt.Errorf("%w: no build information and %s compiled from %s", ErrNoSource, path, file)
		}
		parts = append(parts, path+"@"+v)
	}
	return strings.Join(parts, "; "), nil
}

// moduleVersion returns the version in a file name of the form
// .../path@version/... .
func moduleVersion(file, path string) (string, bool) {
	i := strings.Index(file, path+"@")
	if i < 0 || (i > 0 && file[i-1] != '/') {
		return "", false
	}
	v, _, ok := strings.Cut(file[i+len(path)+1:], "/")
	return v, ok && v != ""
}

// ContentsBaseForm returns the base form (基本形) of known morph id as
// kagome's Token.BaseForm reads it from d's contents, or "" when d has none
// for it ("*" or empty, or no contents). It is what Build stores and
// Dict.BaseForm returns.
func ContentsBaseForm(d *dict.Dict, id int) string {
	i, ok := d.ContentsMeta[dict.BaseFormIndex]
	if !ok || i < 0 || id < 0 || id >= len(d.POSTable.POSs) {
		return ""
	}
	var b string
	// Features are the POS names followed by the contents, as in kagome's
	// Token.FeatureAt.
	if pos := d.POSTable.POSs[id]; int(i) < len(pos) {
		if p := int(pos[i]); p < len(d.POSTable.NameList) {
			b = d.POSTable.NameList[p]
		}
	} else if id < len(d.Contents) {
		if c, j := d.Contents[id], int(i)-len(pos); j < len(c) {
			b = c[j]
		}
	}
	if b == "*" {
		return ""
	}
	return b
}
