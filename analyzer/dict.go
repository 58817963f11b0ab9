package analyzer

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"

	"github.com/newsearch/newsearch/analyzer/internal/dictfile"
)

// dictionary is a loaded system dictionary and the lookups the analyzer
// needs beyond what kagome's tokenizer reads.
type dictionary struct {
	kagome *dict.Dict
	// baseForm returns the base form (基本形) of the known word id, or "" when
	// the dictionary has none.
	baseForm func(id int) string
}

// DictEnv names the environment variable that chooses the system
// dictionary: "embedded" always decodes the dictionary embedded in the
// binary (about a second per process); "prepared" uses the prepared copy
// (see UsePreparedDictionary) even where the program did not ask for it;
// unset or "auto" leave it to the program. Both give identical analyses.
const DictEnv = "NEWSEARCH_DICT"

// preparedDir is where the program asked for the prepared dictionary (nil:
// it did not).
var preparedDir atomic.Pointer[string]

// UsePreparedDictionary makes the analyzers of this process load the IPA
// dictionary from a prepared, memory-mapped copy in dir, built there on
// first use: a process then opens it in milliseconds instead of decoding
// it for about a second. dir "" is $NEWSEARCH_CACHE_DIR, else newsearch/
// in the user's cache directory. Call it before any text is analysed.
// Without it the library decodes the dictionary embedded in the binary and
// writes nothing anywhere. When the prepared copy cannot be used, the
// embedded dictionary is (DictionarySource says why).
func UsePreparedDictionary(dir string) { preparedDir.Store(&dir) }

// systemDictionary returns the IPA dictionary, loading it on first use: a
// command that never analyses text never pays for it. It is a variable so
// that tests can run the whole analyzer on another dictionary.
var systemDictionary = sync.OnceValue(func() *dictionary {
	d, src := loadSystemDictionary()
	dictSource.Store(&src)
	return d
})

var dictSource atomic.Pointer[string]

// DictionarySource says where the system dictionary was loaded from:
// "prepared:" and the file it was mapped from, or "embedded (" and why the
// prepared file was not used ")". It is "not loaded" until some text has
// been analysed. The analyzer itself prints nothing; a command can show this
// in a verbose mode.
func DictionarySource() string {
	if s := dictSource.Load(); s != nil {
		return *s
	}
	return "not loaded"
}

// loadSystemDictionary loads the system dictionary as DictEnv says and
// describes where it came from.
func loadSystemDictionary() (*dictionary, string) {
	dir, asked := "", false
	if p := preparedDir.Load(); p != nil {
		dir, asked = *p, true
	}
	switch v := os.Getenv(DictEnv); v {
	case "", "auto":
	case "prepared":
		asked = true
	case "embedded":
		return embeddedDictionary(), fmt.Sprintf("embedded (%s=%s)", DictEnv, v)
	default:
		return embeddedDictionary(), fmt.Sprintf("embedded (%s=%q not understood: want embedded, prepared or auto)", DictEnv, v)
	}
	if !asked {
		return embeddedDictionary(), "embedded (the program did not ask for the prepared dictionary)"
	}
	pd, built, err := dictfile.OpenIPA(dir)
	if err != nil {
		return embeddedDictionary(), fmt.Sprintf("embedded (%v)", err)
	}
	src := "prepared:" + pd.Path()
	if built {
		src += " (built now)"
	}
	return preparedDictionary(pd), src
}

// embeddedDictionary decodes the dictionary embedded in the binary.
func embeddedDictionary() *dictionary {
	d := ipa.Dict()
	return &dictionary{
		kagome:   d,
		baseForm: func(id int) string { return dictfile.ContentsBaseForm(d, id) },
	}
}

// preparedDictionary uses a mapped prepared dictionary, which stays open for
// the life of the process.
func preparedDictionary(pd *dictfile.Dict) *dictionary {
	return &dictionary{kagome: pd.Kagome(), baseForm: pd.BaseForm}
}
