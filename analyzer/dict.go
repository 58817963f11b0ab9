package analyzer

import (
	"sync"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
)

// dictionary is a loaded system dictionary and the lookups the analyzer
// needs beyond what kagome's tokenizer reads.
type dictionary struct {
	kagome *dict.Dict
	// baseForm returns the base form (基本形) of the known word id, or "" when
	// the dictionary has none.
	baseForm func(id int) string
}

var (
	systemOnce sync.Once
	system     *dictionary
)

// systemDictionary returns the IPA dictionary, loading it on first use: a
// command that never analyses text never pays for it.
func systemDictionary() *dictionary {
	systemOnce.Do(func() {
		d := ipa.Dict()
		base := -1
		if i, ok := d.ContentsMeta[dict.BaseFormIndex]; ok {
			base = int(i) - ipa.POSHierarchy
		}
		system = &dictionary{
			kagome: d,
			baseForm: func(id int) string {
				if base < 0 || id >= len(d.Contents) || base >= len(d.Contents[id]) {
					return ""
				}
				return d.Contents[id][base]
			},
		}
	})
	return system
}
