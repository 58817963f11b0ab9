package index

import (
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/newsearch/newsearch/analyzer"
)

// Fields of an article document. Each text is indexed twice: by words
// (morphology, for precision and ranking) and by grams (bigrams with word
// boundary marks, for recall).
const (
	fieldTitle         = "title"          // stored; word analysis
	fieldBody          = "body"           // stored; word analysis
	fieldTitleGram     = "title_gram"     // gram analysis of the title
	fieldBodyGram      = "body_gram"      // gram analysis of the body
	fieldURL           = "url"            // stored only
	fieldPublished     = "published"      // date; stored, sortable
	fieldPublishedText = "published_text" // stored only: a date outside the years bleve holds
	fieldMonth         = "month"          // 2012-02 (JST), for the month histogram
	fieldCategory      = "category"       // keyword facets, stored where shown
	fieldSource        = "source"
	fieldTag           = "tag"
	fieldPerson        = "person"
	fieldOrg           = "org"
	fieldOrigin        = "_origin"     // stored only: where the article came from (Article.Origin)
	fieldFile          = "_file"       // stored only
	fieldSrc           = "_src"        // indexed only: Origin NUL File, to find a file's articles
	fieldFP            = "_fp"         // stored only
	fieldTitleFold     = "_title_fold" // stored only: analyzer.Result.Folded, varints
	fieldBodyFold      = "_body_fold"
)

// jst is the zone of dates given without one, and of month buckets.
var jst = time.FixedZone("JST", 9*60*60)

// Indexing options per kind of field.
const (
	// Words rank (BM25 over the article's own segmentation) and need no
	// positions: whether a query matches, and where, is the grams' job.
	optText = bindex.IndexField | bindex.StoreField
	// Title grams score (a title match counts); body grams only decide
	// whether and where an article matches, so they skip frequencies and
	// norms, and their byte offsets (see analyzer.AnalyzeStreams).
	optTitleGram = bindex.IndexField | bindex.IncludeTermVectors
	optBodyGram  = bindex.IndexField | bindex.IncludeTermVectors | bindex.SkipFreqNorm
	// Facet and date fields keep doc values (facets count them, date sort
	// reads them), one article a chunk and uncompressed: a search that
	// counts facets reads them for every hit, and decompressing a chunk of
	// a thousand articles for each of six fields was a fifth of the time of
	// a search. Never SkipDVCompression without SkipDVChunking: zap's merge
	// reads such a field as if each chunk held one document (bleve's geo
	// fields set both), so every value went to the wrong article.
	optFacet   = bindex.IndexField | bindex.StoreField | bindex.DocValues | bindex.SkipDVCompression | bindex.SkipDVChunking
	optHidden  = bindex.IndexField | bindex.DocValues | bindex.SkipDVCompression | bindex.SkipDVChunking
	optStored  = bindex.StoreField
	optSrc     = bindex.IndexField
	dateLayout = time.RFC3339
)

// newMapping describes the documents to bleve. Documents are built by
// buildDocument with their analysis done; the mapping names the analyzers
// (so that an index from another analysis version does not open) and the
// field types that queries, facets and sorting rely on.
func newMapping() *mapping.IndexMappingImpl {
	text := func(an string, store, vectors bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = an, store, vectors, false, false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store, f.DocValues, f.IncludeInAll, f.IncludeTermVectors = store, docValues, false, false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text(analyzer.WordAnalyzerName, true, false))
	doc.AddFieldMappingsAt(fieldBody, text(analyzer.WordAnalyzerName, true, false))
	doc.AddFieldMappingsAt(fieldTitleGram, text(analyzer.GramAnalyzerName, false, true))
	bodyGram := text(analyzer.GramAnalyzerName, false, true)
	bodyGram.SkipFreqNorm = true
	doc.AddFieldMappingsAt(fieldBodyGram, bodyGram)
	url := mapping.NewTextFieldMapping()
	url.Index, url.Store, url.IncludeInAll = false, true, false
	doc.AddFieldMappingsAt(fieldURL, url)
	date := mapping.NewDateTimeFieldMapping()
	date.Store, date.DocValues, date.IncludeInAll = true, true, false
	doc.AddFieldMappingsAt(fieldPublished, date)
	for _, f := range []string{fieldCategory, fieldSource, fieldTag} {
		doc.AddFieldMappingsAt(f, kw(true, true))
	}
	for _, f := range []string{fieldMonth, fieldPerson, fieldOrg} {
		doc.AddFieldMappingsAt(f, kw(false, true))
	}
	doc.AddFieldMappingsAt(fieldSrc, kw(false, false))
	for _, f := range []string{fieldPublishedText, fieldOrigin, fieldFile, fieldFP, fieldTitleFold, fieldBodyFold} {
		m := kw(true, false)
		m.Index = false
		doc.AddFieldMappingsAt(f, m)
	}

	im := mapping.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	im.ScoringModel = bindex.BM25Scoring
	return im
}

// fixed is an analysis.Analyzer that returns a token stream computed
// beforehand: both analyses of a text come from one kagome pass.
type fixed analysis.TokenStream

func (f fixed) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(f) }

// packed is a token stream computed beforehand and kept small until bleve
// asks for it: an analysed article waits in a batch (and more wait behind
// it), and bleve's token structs take about 90 bytes a token, four times
// what is kept here. No byte offsets are kept: no field of ours records
// them (gram matches are found again from the stored text).
type packed struct {
	terms []byte   // every term, one after another
	ends  []uint32 // where each term ends in terms
	pos   []uint32 // its position
	types []analysis.TokenType
}

func pack(ts analysis.TokenStream) *packed {
	p := &packed{ends: make([]uint32, len(ts)), pos: make([]uint32, len(ts)), types: make([]analysis.TokenType, len(ts))}
	n := 0
	for _, t := range ts {
		n += len(t.Term)
	}
	p.terms = make([]byte, 0, n)
	for i, t := range ts {
		p.terms = append(p.terms, t.Term...)
		p.ends[i], p.pos[i], p.types[i] = uint32(len(p.terms)), uint32(t.Position), t.Type
	}
	return p
}

// Analyze unpacks the stream: the tokens' terms share the packed bytes.
func (p *packed) Analyze([]byte) analysis.TokenStream {
	toks := make([]analysis.Token, len(p.ends))
	out := make(analysis.TokenStream, len(p.ends))
	start := uint32(0)
	for i, end := range p.ends {
		toks[i] = analysis.Token{Term: p.terms[start:end:end], Position: int(p.pos[i]), Type: p.types[i]}
		out[i] = &toks[i]
		start = end
	}
	return out
}

// keywordField returns an untokenised field: the whole value is one term.
func keywordField(name, value string, opt bindex.FieldIndexingOptions) *document.TextField {
	v := []byte(value)
	tok := fixed{&analysis.Token{Term: v, Start: 0, End: len(v), Position: 1, Type: analysis.AlphaNumeric}}
	return document.NewTextFieldCustom(name, nil, v, opt, tok)
}
