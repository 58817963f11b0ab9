package analyzer

import (
	_ "embed"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ikawaha/kagome-dict/dict"
)

// stopTags lists part-of-speech prefixes whose tokens carry no meaning for
// search (particles, auxiliary verbs, symbols, conjunctions, fillers). A tag
// matches a token whose POS starts with it, so 助詞 covers every particle.
//
//go:embed stoptags.txt
var stopTagsText string

// stopWords lists base forms of frequent function words that the IPA
// dictionary tags as nouns or verbs (こと, する, ある, ...).
//
//go:embed stopwords.txt
var stopWordsText string

var (
	stopTags  = wordList(stopTagsText)
	stopWords = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range wordList(stopWordsText) {
			m[w] = true
		}
		return m
	}()
)

// wordList reads one entry per line; # starts a comment.
func wordList(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// symbolPOS is the part of speech of a symbol the dictionary does not know.
var symbolPOS = newPOSInfo([]string{"記号", "一般"})

// posInfo is what the analyzer needs to know about a part of speech.
type posInfo struct {
	tag      string // IPA POS hierarchy joined with commas, trailing * dropped: 名詞,固有名詞,人名,姓
	stop     bool   // dropped from the word analysis
	inflects bool   // verbs and adjectives: indexed by base form
}

func newPOSInfo(parts []string) *posInfo {
	for len(parts) > 0 && (parts[len(parts)-1] == "*" || parts[len(parts)-1] == "") {
		parts = parts[:len(parts)-1]
	}
	tag := strings.Join(parts, ",")
	p := &posInfo{tag: tag}
	for _, s := range stopTags {
		if tag == s || strings.HasPrefix(tag, s+",") {
			p.stop = true
			break
		}
	}
	if len(parts) > 0 {
		switch parts[0] {
		case "動詞", "形容詞", "助動詞":
			p.inflects = true
		}
	}
	return p
}

// posCache interns posInfo per dictionary entry, so that the hot path
// neither joins strings nor hashes: one slot per known word, filled on first
// use.
type posCache struct {
	once  sync.Once
	known []atomic.Pointer[posInfo] // by known-word id
	byPOS sync.Map                  // uint64 (packed POS ids) -> *posInfo
	unk   sync.Map                  // unknown-word id -> *posInfo
}

func (c *posCache) knownPOS(d *dict.Dict, id int) *posInfo {
	c.once.Do(func() { c.known = make([]atomic.Pointer[posInfo], len(d.POSTable.POSs)) })
	if id < len(c.known) {
		if p := c.known[id].Load(); p != nil {
			return p
		}
	}
	ids := d.POSTable.POSs[id]
	var key uint64
	for i, p := range ids {
		if i == 4 {
			break
		}
		key |= uint64(p) << (16 * i)
	}
	v, ok := c.byPOS.Load(key)
	if !ok {
		parts := make([]string, 0, len(ids))
		for _, p := range ids {
			if int(p) < len(d.POSTable.NameList) {
				parts = append(parts, d.POSTable.NameList[p])
			}
		}
		v, _ = c.byPOS.LoadOrStore(key, newPOSInfo(parts))
	}
	p := v.(*posInfo)
	if id < len(c.known) {
		c.known[id].Store(p)
	}
	return p
}

func (c *posCache) unknownPOS(d *dict.Dict, id int) *posInfo {
	if v, ok := c.unk.Load(id); ok {
		return v.(*posInfo)
	}
	var parts []string
	if id < len(d.UnkDict.Contents) {
		f := d.UnkDict.Contents[id]
		parts = append(parts, f[:min(len(f), 4)]...)
	}
	v, _ := c.unk.LoadOrStore(id, newPOSInfo(parts))
	return v.(*posInfo)
}
