package analyzer

import (
	_ "embed"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Readings of names, from the names of the IPA dictionary and of UniDic
// (see internal/genreadings): what a reader who knows a name by ear types
// (そんまさよし for 孫正義). They change no term of the analysis: the
// index keeps the readings of the names its articles use beside its
// articles, and a query in kana is looked up there.
//
//go:generate sh -c "cd internal/genreadings && go run . > ../../tables/readings.txt"
//go:embed tables/readings.txt
var readingTable lineTable

// Kinds of name entries in the readings table.
const (
	readSurname = 's' // 人名,姓
	readGiven   = 'g' // 人名,名
	readPerson  = 'p' // 人名,一般: a whole name
	readOrg     = 'o' // 組織
)

// maxNameReadings bounds the readings NameReadings returns for one name.
const maxNameReadings = 4

// NameReadings returns the readings, in katakana, of a name written in
// kanji (and kana) as the dictionaries read names: a person's name as a
// surname and a given name (孫|正義: ソンマサヨシ) or one name entry, an
// organisation's as organisation entries (任天堂: ニンテンドウ); a kana
// part reads as written. Each part's two commonest readings are combined,
// at most maxNameReadings in all. It returns nil when some part has no
// reading of the kind, or when the name has no kanji (its reading is
// itself). Readings are cached by name and the slice is shared: callers
// must not modify it.
func NameReadings(name string, person bool) []string {
	key := name
	if person {
		key = "p\x00" + name
	}
	if v, ok := nameReadingCache.Load(key); ok {
		return v.([]string)
	}
	rs := nameReadings(name, person)
	if nameReadingCached.Add(1) <= maxNameReadingCache {
		nameReadingCache.Store(key, rs)
	}
	return rs
}

// Names repeat from article to article: their readings are kept, up to
// maxNameReadingCache names.
var (
	nameReadingCache  sync.Map // name (with "p\x00" for a person's) -> []string
	nameReadingCached atomic.Int64
)

const maxNameReadingCache = 200_000

func nameReadings(name string, person bool) []string {
	s := strings.ToLower(norm.NFKC.String(strings.TrimSpace(name)))
	s = strings.NewReplacer("・", "", " ", "", "　", "").Replace(s)
	if s == "" || !hasKanji(s) || utf8.RuneCountInString(s) > 16 {
		return nil
	}
	// segment s into pieces, fewest first: names are short, so every split
	// into at most three pieces is tried
	var best []namePiece
	var try func(rest string, acc []namePiece)
	try = func(rest string, acc []namePiece) {
		if best != nil && len(acc) >= len(best) {
			return
		}
		if rest == "" {
			if validNamePattern(acc, person) {
				best = append([]namePiece(nil), acc...)
			}
			return
		}
		if len(acc) == 3 {
			return
		}
		for end := len(rest); end > 0; {
			part := rest[:end]
			if k, ok := KanaKey(part); ok {
				try(rest[end:], append(acc, namePiece{kind: 'k', readings: []string{k}}))
			} else if v, ok := readingTable.find(part); ok {
				for _, kind := range []byte{readSurname, readGiven, readPerson, readOrg} {
					var rs []string
					for _, f := range strings.Fields(v) {
						if f[0] == kind && len(rs) < 2 {
							rs = append(rs, f[2:])
						}
					}
					if len(rs) > 0 {
						try(rest[end:], append(acc, namePiece{kind: kind, readings: rs}))
					}
				}
			}
			_, size := utf8.DecodeLastRuneInString(part)
			end -= size
		}
	}
	try(s, nil)
	if best == nil {
		return nil
	}
	out := []string{""}
	for _, p := range best {
		var next []string
		for _, o := range out {
			for _, r := range p.readings {
				if len(next) < maxNameReadings {
					next = append(next, o+r)
				}
			}
		}
		out = next
	}
	return out
}

// namePiece is a part of a name and its readings; kind is a kind of the
// readings table, or 'k' for kana.
type namePiece struct {
	kind     byte
	readings []string
}

// validNamePattern reports whether pieces make a person's name (surname
// and given name, a surname and kana, or one name entry) or an
// organisation's (organisation entries and kana).
func validNamePattern(ps []namePiece, person bool) bool {
	var kinds strings.Builder
	for _, p := range ps {
		kinds.WriteByte(p.kind)
	}
	k := kinds.String()
	if person {
		switch k {
		case "sg", "sk", "p", "ssg":
			return true
		}
		return false
	}
	if !strings.Contains(k, "o") {
		return false
	}
	return strings.Trim(k, "ok") == ""
}

func hasKanji(s string) bool {
	for _, r := range s {
		if classOf(r) == classKanji {
			return true
		}
	}
	return false
}

// KanaKey returns text in katakana for looking readings up, and whether
// text is all kana: hiragana becomes katakana, the long-vowel mark, the
// middle dot and spaces are dropped, and a vowel lengthened by ウ after an
// o-row kana (コウ, ドウ) is dropped too, so that にんてんどう, ニンテンドー and
// ニンテンドウ are one key. Small kana stay small.
func KanaKey(text string) (string, bool) {
	var b strings.Builder
	var prev rune
	n := 0
	for _, r := range norm.NFKC.String(text) {
		switch {
		case r == 'ー' || r == '・' || r == ' ' || r == '　':
			continue
		case 0x3041 <= r && r <= 0x3096:
			r += 0x60
		case 0x30a1 <= r && r <= 0x30fa:
		default:
			return "", false
		}
		if r == 'ウ' && oRow(prev) {
			continue
		}
		b.WriteRune(r)
		prev = r
		n++
	}
	return b.String(), n > 0
}

// oRow reports katakana of the o row (オ, コ, ゴ, ソ, ..., ョ).
func oRow(r rune) bool {
	return strings.ContainsRune("オォコゴソゾトドノホボポモヨョロヲ", r)
}

// IsNameTitle reports whether a word (a term of the word analysis) is a
// title that follows a person's name in news prose (氏, 社長, 選手, ...).
func IsNameTitle(term string) bool { return isTitle(term) }

// KatakanaParts splits katakana text into words: at middle dots and
// spaces, and each stretch into the words of the katakana lexicon that
// spell it (フラストレーションフリーパッケージ: フラストレーション, フリー,
// パッケージ). A stretch the lexicon cannot spell stays whole.
func KatakanaParts(text string) []string {
	var out []string
	for _, stretch := range strings.FieldsFunc(norm.NFKC.String(text), func(r rune) bool {
		return r == '・' || r == ' ' || r == '　' || r == '=' || r == '゠'
	}) {
		runes := []rune(stretch)
		cuts, ok := katakanaWords(runes)
		if !ok {
			out = append(out, stretch)
			continue
		}
		start := 0
		for k := 1; k < len(runes); k++ {
			if cuts[k] {
				out = append(out, string(runes[start:k]))
				start = k
			}
		}
		out = append(out, string(runes[start:]))
	}
	return out
}
