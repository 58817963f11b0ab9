package index

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/newsearch/newsearch/analyzer"
)

// Notice is a note on how a query was read, for programs: Code says what
// happened and the other fields what it concerns, so that a page can say it
// in its own language. Message is the note in English, as in Result.Notes.
type Notice struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Words are the query's words or phrases concerned, as written.
	Words []string `json:"words,omitempty"`
	// Left are the particles or endings left out (NoticeLeftOut).
	Left []string `json:"left,omitempty"`
	// Min is, for NoticeRelaxedWords, how many of Words each hit has at
	// least (1: any of them).
	Min int `json:"min,omitempty"`
}

// Notice codes.
const (
	// NoticeLeftOut: a particle or ending at either end of a query word
	// (Googleの) searches as nothing.
	NoticeLeftOut = "left_out"
	// NoticeNothingToSearch: a query word made only of symbols or
	// particles (の, から) was left out.
	NoticeNothingToSearch = "nothing_to_search"
	// NoticeRelaxedPhrases: no article has the phrases as written; the
	// hits have their words apart.
	NoticeRelaxedPhrases = "relaxed_phrases"
	// NoticeRelaxedWords: no article has all the words; the hits have Min
	// of them.
	NoticeRelaxedWords = "relaxed_words"
)

// note records a notice of how the query was read.
func (c *compiler) note(n Notice) {
	c.notes = append(c.notes, n.Message)
	c.notices = append(c.notices, n)
}

// leftOutNotice says that the letters of text at either end that its gram
// analysis left out do not count (query word value).
func leftOutNotice(text string, grams []analyzer.Token, value string) Notice {
	n := Notice{Code: NoticeLeftOut, Words: []string{value}}
	from, to := grams[0].Start, grams[0].End
	for _, g := range grams {
		from, to = min(from, g.Start), max(to, g.End)
	}
	for _, s := range []string{text[:from], text[to:]} {
		if strings.IndexFunc(s, unicode.IsLetter) >= 0 {
			n.Left = append(n.Left, strings.TrimSpace(s))
		}
	}
	n.Message = fmt.Sprintf("%s in %q was left out: a particle or ending searches as any one character, and at either end as nothing", leftOut(text, grams), value)
	return n
}

func nothingToSearchNotice(value string) Notice {
	return Notice{Code: NoticeNothingToSearch, Words: []string{value},
		Message: fmt.Sprintf("%q has nothing to search for (only symbols or particles) and was left out", value)}
}

func relaxedPhrasesNotice(phrases []string) Notice {
	return Notice{Code: NoticeRelaxedPhrases, Words: phrases,
		Message: fmt.Sprintf("no article has %s as written; showing articles that have its words apart", quoteAll(phrases))}
}

func relaxedWordsNotice(words []string, k int) Notice {
	what := fmt.Sprintf("%d of them", k)
	if k == 1 {
		what = "any of them"
	}
	return Notice{Code: NoticeRelaxedWords, Words: words, Min: k,
		Message: fmt.Sprintf("no article has all of %s; showing articles with %s", quoteAll(words), what)}
}

func quoteAll(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, ", ")
}
