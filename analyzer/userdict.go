package analyzer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ikawaha/kagome-dict/dict"
)

// UserDict is a user dictionary in kagome's CSV format, one entry a line:
//
//	text,segmentation,readings,pos
//	呉泳銘,呉泳銘,ゴエイメイ,人名
//	関西国際空港,関西 国際 空港,カンサイ コクサイ クウコウ,固有名詞
//
// The text becomes one word wherever it occurs; a segmentation of several
// space-separated parts is indexed as those parts (as Lucene's Kuromoji does),
// each with its own position. Lines starting with # are comments.
type UserDict struct {
	kagome  *dict.UserDict
	entries []*userEntry // by kagome's user-dictionary id
	hash    string
}

type userEntry struct {
	segments []string
	pos      *posInfo
}

// ReadUserDictFile reads a user dictionary from the file at path.
func ReadUserDictFile(path string) (*UserDict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("user dictionary: %w", err)
	}
	defer f.Close()
	u, err := ReadUserDict(f)
	if err != nil {
		return nil, fmt.Errorf("user dictionary %s: %w", path, err)
	}
	return u, nil
}

// ReadUserDict reads a user dictionary (see UserDict for the format).
func ReadUserDict(r io.Reader) (*UserDict, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// Entries are normalised like the text they will meet, so that a
	// full-width entry still matches.
	var (
		n     normText
		lines []string
	)
	for i, line := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 4 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("line %d: want 4 fields text,segmentation,readings,pos, got %q", i+1, line)
		}
		for j := range 2 {
			n.normalize(strings.TrimSpace(f[j]))
			f[j] = string(n.text)
		}
		if len(strings.Split(f[1], " ")) != len(strings.Split(f[2], " ")) {
			return nil, fmt.Errorf("line %d: segmentation %q and readings %q have different numbers of parts", i+1, f[1], f[2])
		}
		if strings.ReplaceAll(f[1], " ", "") != f[0] {
			return nil, fmt.Errorf("line %d: segmentation %q does not spell the text %q", i+1, f[1], f[0])
		}
		lines = append(lines, strings.Join(f, ","))
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("no entries")
	}
	records, err := dict.NewUserDicRecords(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, err
	}
	kd, err := records.NewUserDict()
	if err != nil {
		return nil, err
	}
	u := &UserDict{kagome: kd}
	for _, c := range kd.Contents {
		u.entries = append(u.entries, &userEntry{
			segments: c.Tokens,
			pos:      newPOSInfo(userPOS(c.Pos)),
		})
	}
	sum := sha256.Sum256(raw)
	u.hash = hex.EncodeToString(sum[:8])
	return u, nil
}

// Len returns the number of entries.
func (u *UserDict) Len() int { return len(u.entries) }

// Hash identifies the dictionary's contents.
func (u *UserDict) Hash() string { return u.hash }

// userPOS maps the free-form part of speech of a user entry onto the IPA
// proper-noun tags that entity extraction reads.
func userPOS(pos string) []string {
	switch {
	case strings.Contains(pos, "人名"):
		return []string{"名詞", "固有名詞", "人名"}
	case strings.Contains(pos, "組織"):
		return []string{"名詞", "固有名詞", "組織"}
	case strings.Contains(pos, "地名"), strings.Contains(pos, "地域"):
		return []string{"名詞", "固有名詞", "地域"}
	}
	return []string{"名詞", "固有名詞", "一般"}
}
