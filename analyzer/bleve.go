package analyzer

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analyzers are registered with bleve. They carry
// Version, so an index built by another version of the analysis names an
// analyzer this build does not have, and bleve refuses to open it instead
// of answering from terms that no longer mean the same.
var (
	WordAnalyzerName = fmt.Sprintf("ja_word_v%d", Version)
	GramAnalyzerName = fmt.Sprintf("ja_gram_v%d", Version)
)

func init() {
	registry.RegisterAnalyzer(WordAnalyzerName, func(config map[string]interface{}, _ *registry.Cache) (analysis.Analyzer, error) {
		a, err := fromConfig(config)
		if err != nil {
			return nil, err
		}
		return WordAnalyzer{a}, nil
	})
	registry.RegisterAnalyzer(GramAnalyzerName, func(config map[string]interface{}, _ *registry.Cache) (analysis.Analyzer, error) {
		a, err := fromConfig(config)
		if err != nil {
			return nil, err
		}
		return GramAnalyzer{a}, nil
	})
}

var (
	defaultOnce     sync.Once
	defaultAnalyzer *Analyzer
)

// Default returns the shared Analyzer with default options.
func Default() *Analyzer {
	defaultOnce.Do(func() {
		a, err := New()
		if err != nil {
			panic(err) // New without options cannot fail
		}
		defaultAnalyzer = a
	})
	return defaultAnalyzer
}

// fromConfig builds an Analyzer from a bleve custom-analyzer config:
// {"mode": "search", "user_dict": "/path/to/dict.csv"}. No keys means the
// shared default analyzer. Nothing is loaded from the dictionary here:
// opening an index must not cost a dictionary load.
func fromConfig(config map[string]interface{}) (*Analyzer, error) {
	var opts []Option
	if m, ok := config["mode"].(string); ok {
		mode, err := ParseMode(m)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithMode(mode))
	}
	if p, ok := config["user_dict"].(string); ok && p != "" {
		u, err := ReadUserDictFile(p)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithUserDict(u))
	}
	if len(opts) == 0 {
		return Default(), nil
	}
	return New(opts...)
}

// WordAnalyzer is the word analysis as a bleve analysis.Analyzer.
type WordAnalyzer struct{ A *Analyzer }

// Analyze implements analysis.Analyzer.
func (w WordAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return TokenStream(w.A.Words(string(input)))
}

// GramAnalyzer is the recall analysis as a bleve analysis.Analyzer.
type GramAnalyzer struct{ A *Analyzer }

// Analyze implements analysis.Analyzer.
func (g GramAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return TokenStream(g.A.Grams(string(input)))
}

// TokenStream converts tokens to a bleve token stream with two allocations.
// The terms share memory with the tokens' strings: do not modify them.
func TokenStream(tokens []Token) analysis.TokenStream {
	s := sink{toBleve: true, offsets: true}
	s.grow(len(tokens))
	for _, t := range tokens {
		s.add(t)
	}
	return s.stream()
}

// Streams is both analyses of a text for an index: the words as Tokens
// (entity extraction reads their parts of speech), the grams straight in
// bleve's token type, without Tokens in between (the gram copy was a tenth of
// indexing's allocations). Gram tokens carry byte offsets only when asked:
// an index that finds a match's text again with GramSpans need not store
// them, and they were a sixth of the index.
type Streams struct {
	Words  []Token
	Grams  analysis.TokenStream
	Folded []int // see Result.Folded
}

// AnalyzeStreams returns both analyses of text for an index.
func (a *Analyzer) AnalyzeStreams(text string, gramOffsets bool) Streams {
	var w sink
	g := sink{toBleve: true, offsets: gramOffsets}
	folded := a.run(text, &w, &g)
	return Streams{Words: w.toks, Grams: g.stream(), Folded: folded}
}
