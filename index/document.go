package index

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index/qparse"
)

// Doc is an article analysed and ready to be written: the CPU-heavy part of
// indexing, done by Index.Prepare on as many goroutines as the caller likes.
type Doc struct {
	id   string
	doc  *document.Document
	note string
	know *docKnowledge // what the index learns from it (knowledge.go)
}

// ID returns the article ID.
func (d *Doc) ID() string { return d.id }

// Note says what the index could not take of the article as it is, such as
// a date outside the years it can search (the rest is indexed); "" when
// nothing.
func (d *Doc) Note() string { return d.note }

// MaxTextBytes bounds the title and body of one article; a larger article is
// refused with ErrInvalidArticle rather than cut silently.
const MaxTextBytes = 8 << 20

// Prepare analyses an article for Apply. It is safe for concurrent use.
func (ix *Index) Prepare(a Article) (*Doc, error) {
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" {
		return nil, fmt.Errorf("%w: no ID", ErrInvalidArticle)
	}
	if len(a.Title)+len(a.Body) > MaxTextBytes {
		return nil, fmt.Errorf("%w: %s: title and body are %d bytes, over the limit of %d", ErrInvalidArticle, a.ID, len(a.Title)+len(a.Body), MaxTextBytes)
	}
	an := ix.an
	title, body := an.AnalyzeStreams(a.Title, false), an.AnalyzeStreams(a.Body, false)
	doc := document.NewDocument(a.ID)
	text := func(name, value string, opt bindex.FieldIndexingOptions, ts analysis.TokenStream) {
		doc.AddField(document.NewTextFieldCustom(name, nil, []byte(value), opt, pack(ts)))
	}
	text(fieldTitle, a.Title, optText, analyzer.TokenStream(title.Words))
	text(fieldBody, a.Body, optText, analyzer.TokenStream(body.Words))
	text(fieldTitleGram, "", optTitleGram, title.Grams)
	text(fieldBodyGram, "", optBodyGram, body.Grams)
	for _, f := range []struct {
		name   string
		folded []int
	}{{fieldTitleFold, title.Folded}, {fieldBodyFold, body.Folded}} {
		if len(f.folded) > 0 {
			doc.AddField(document.NewTextFieldWithIndexingOptions(f.name, nil, encodeOffsets(f.folded), optStored))
		}
	}
	if a.URL != "" {
		doc.AddField(document.NewTextFieldWithIndexingOptions(fieldURL, nil, []byte(a.URL), optStored))
	}
	var note string
	switch {
	case a.Published.IsZero():
	case a.Published.Before(qparse.MinDate) || !a.Published.Before(qparse.MaxDate):
		// bleve holds dates of 1678 to 2261 only: the date is kept as
		// written, shown and returned, but no date filter or sort finds it
		doc.AddField(document.NewTextFieldWithIndexingOptions(fieldPublishedText, nil, []byte(a.Published.Format(dateLayout)), optStored))
		note = fmt.Sprintf("published %s is outside the years %d to %d that can be searched by date: kept, but no date filter or sort finds it",
			a.Published.Format("2006-01-02"), qparse.MinDate.Year(), qparse.MaxDate.Year()-1)
	default:
		f, err := document.NewDateTimeFieldWithIndexingOptions(fieldPublished, nil, a.Published, dateLayout, optFacet)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: published %v: %v", ErrInvalidArticle, a.ID, a.Published, err)
		}
		doc.AddField(f)
		doc.AddField(keywordField(fieldMonth, a.Published.In(jst).Format("2006-01"), optHidden))
	}
	keyword := func(name, value string, opt bindex.FieldIndexingOptions) {
		if value = cleanKeyword(value); value != "" {
			doc.AddField(keywordField(name, value, opt))
		}
	}
	keyword(fieldCategory, a.Category, optFacet)
	keyword(fieldSource, a.Source, optFacet)
	seen := map[string]bool{}
	for _, t := range a.Tags {
		if t = cleanKeyword(t); t != "" && !seen[t] {
			seen[t] = true
			keyword(fieldTag, t, optFacet)
		}
	}
	people, orgs := entities(a, title.Words, body.Words)
	var know *docKnowledge
	if !benchNoLearn {
		know = ix.learn(a, title.Words, body.Words, people, orgs)
		people, orgs = know.entities(a, title.Words, body.Words, people, orgs) // knowledge.go
	}
	for _, p := range people {
		keyword(fieldPerson, p, optHidden)
	}
	for _, o := range orgs {
		keyword(fieldOrg, o, optHidden)
	}
	// where it came from, as given (no cleaning: paths are compared)
	for _, f := range []struct{ name, value string }{{fieldOrigin, a.Origin}, {fieldFile, a.File}, {fieldFP, a.Fingerprint}} {
		if f.value != "" {
			doc.AddField(document.NewTextFieldWithIndexingOptions(f.name, nil, []byte(f.value), optStored))
		}
	}
	if a.Origin != "" || a.File != "" {
		doc.AddField(keywordField(fieldSrc, sourceKey(a.Origin, a.File), optSrc))
	}
	return &Doc{id: a.ID, doc: doc, note: note, know: know}, nil
}

// Entities returns the people and organisations the index records for an
// article (the person and org facets and filters), each name once.
func (ix *Index) Entities(a Article) (people, orgs []string) {
	title, body := ix.an.Words(a.Title), ix.an.Words(a.Body)
	people, orgs = entities(a, title, body)
	if benchNoLearn {
		return people, orgs
	}
	// and the names its glosses and titles give (as Prepare does)
	return ix.learn(a, title, body, people, orgs).entities(a, title, body, people, orgs)
}

func entities(a Article, titleWords, bodyWords []analyzer.Token) (people, orgs []string) {
	people, orgs = analyzer.ArticleEntities(a.Title, titleWords, a.Body, bodyWords)
	return cleanAll(people), cleanAll(orgs)
}

// cleanAll returns the values cleaned, without empty ones and repeats.
func cleanAll(list []string) []string {
	out := list[:0]
	for _, s := range list {
		if s = cleanKeyword(s); s != "" {
			out = append(out, s)
		}
	}
	return unique(out)
}

// cleanKeyword normalises a facet value: NFKC (full-width letters become
// half-width), spaces trimmed. Case is kept for display.
func cleanKeyword(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

func unique(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// encodeOffsets writes increasing offsets as uvarint deltas.
func encodeOffsets(offs []int) []byte {
	var b []byte
	prev := 0
	for _, o := range offs {
		b = binary.AppendUvarint(b, uint64(o-prev))
		prev = o
	}
	return b
}

// decodeOffsets reads what encodeOffsets wrote; damage ends the list.
func decodeOffsets(b []byte) []int {
	var out []int
	prev := 0
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			break
		}
		prev += int(d)
		out = append(out, prev)
		b = b[n:]
	}
	return out
}
