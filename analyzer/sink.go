package analyzer

import (
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
)

// sink collects the tokens of one analysis: as Tokens for the callers of
// Analyze, or straight into bleve's token type for an index, without a
// Token in between (at seven million gram tokens for the corpus, the copy
// was a tenth of indexing's allocations).
type sink struct {
	toks    []Token
	bleve   []analysis.Token
	toBleve bool // collect bleve tokens
	offsets bool // with byte offsets (bleve tokens)
}

func (s *sink) grow(n int) {
	if s.toBleve {
		s.bleve = make([]analysis.Token, 0, n)
	} else {
		s.toks = make([]Token, 0, n)
	}
}

func (s *sink) add(t Token) {
	if !s.toBleve {
		s.toks = append(s.toks, t)
		return
	}
	typ := analysis.Ideographic
	if t.Kind == Alnum {
		typ = analysis.AlphaNumeric
	}
	bt := analysis.Token{
		Term:     unsafe.Slice(unsafe.StringData(t.Term), len(t.Term)),
		Position: t.Position,
		Type:     typ,
	}
	if s.offsets {
		bt.Start, bt.End = t.Start, t.End
	}
	s.bleve = append(s.bleve, bt)
}

// stream returns the bleve tokens as a TokenStream.
func (s *sink) stream() analysis.TokenStream {
	ts := make(analysis.TokenStream, len(s.bleve))
	for i := range s.bleve {
		ts[i] = &s.bleve[i]
	}
	return ts
}
