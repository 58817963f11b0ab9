package index

import (
	"errors"
	"time"

	"github.com/newsearch/newsearch/index/qparse"
	"github.com/newsearch/newsearch/internal/store"
)

// SyntaxError is the error Search returns for a query it cannot parse: test
// for it with errors.As. Column is the 1-based character column of the
// mistake in the query.
type SyntaxError = qparse.Error

// Article is one news article.
type Article struct {
	// ID identifies the article in the index: adding an article with the ID
	// of one already there replaces it.
	ID        string
	Title     string
	Body      string
	URL       string
	Published time.Time // zero when unknown
	Category  string    // section or topic, e.g. it-life-hack
	Source    string    // publisher or site
	Tags      []string

	// Origin and Fingerprint record where the article came from and the
	// content hash of its source, so that a later run over the same origin
	// can skip what did not change (see Index.Fingerprints). Both are free
	// text to the index; the newsearch command stores the folder indexed and
	// a SHA-256 of the file.
	Origin      string
	File        string // source file, relative to Origin
	Fingerprint string
}

// Entity is a person or organisation named in articles.
type Entity struct {
	Name string
	Kind EntityKind
}

// EntityKind says what an Entity is.
type EntityKind uint8

const (
	// Person is a person's name (IPA 固有名詞,人名 or a name-like unknown run).
	Person EntityKind = iota + 1
	// Organization is a company, team or other organisation (IPA 固有名詞,組織).
	Organization
)

func (k EntityKind) String() string {
	switch k {
	case Person:
		return "person"
	case Organization:
		return "org"
	}
	return "unknown"
}

// Errors returned by this package, to be tested with errors.Is.
var (
	// ErrNotExist: no index at the path.
	ErrNotExist = errors.New("no index")
	// ErrLocked: another process is writing to the index.
	ErrLocked = store.ErrLocked
	// ErrAnalysisMismatch: the index was built with another analysis than
	// this program's; rebuild it.
	ErrAnalysisMismatch = errors.New("index was built with a different analysis")
	// ErrCorrupt: index files are missing or damaged; rebuild it.
	ErrCorrupt = errors.New("index is damaged")
	// ErrReadOnly: a write to an index opened with ReadOnly.
	ErrReadOnly = errors.New("index is open read-only")
	// ErrArticleNotFound: no article with that ID.
	ErrArticleNotFound = errors.New("no such article")
	// ErrInvalidArticle: an article without an ID, or with a field too large.
	ErrInvalidArticle = errors.New("invalid article")
	// ErrInvalidRequest: a Request that cannot be answered as asked (an
	// offset out of range); the message says why.
	ErrInvalidRequest = errors.New("invalid request")
)
