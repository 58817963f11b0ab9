// Package corpusgen generates synthetic Japanese news corpora of any size for
// newsearch's scale benchmarks (100k, 1M articles), from the livedoor corpus
// read at run time (never stored in the repository). Run it through its
// command, from the repository's root:
//
//	go run ./internal/bench/cmd/gencorpus -n 100000 -seed 1 -out /tmp/corpus/gen-100k.jsonl
//	go run ./internal/bench/cmd/gencorpus -vocab -n 100000
//
// # What an article is made of
//
// Load splits every corpus article into its title, its lines, and the
// lines into sentences (at 。！？ outside brackets), and keeps the article's
// shape: per line, blank, a heading-like line, or so many sentences. kagome
// (IPA dictionary) finds the proper nouns in every sentence: persons
// (人名, surname and given name apart), organisations (組織), places
// (地域,一般; countries are kept), other 固有名詞, katakana words the
// dictionary does not know, and Latin names (SnapCrab) and model codes
// (SH-01D). Those found in at most LoadOptions.DFMax articles become slots;
// more frequent ones (東京, ソニー, iPhone) are the well-known head and stay.
//
// Article i takes a category (the corpus's 8 and 4 blends of them), the
// shape of a random corpus article of it, and fills each line with random
// sentences or lines of the category, so lengths and layout are distributed
// like the corpus's. The title is a corpus title of the category, or the
// head of one cut after a delimiter (】、！」 or a space) joined to the tail
// of another. Each slot keeps its corpus name with a probability per kind
// (20-50%) or gets a minted one: the same corpus name gets the same
// replacement throughout the article.
//
// # New names: Heaps' law
//
// A minted name is chosen by rank from a Zipf law (P(k) ∝ (8+k)^-1.2 over
// 2^40 ranks), and the name of a rank is a pure function of (seed, kind,
// script, rank): kanji surnames and given names recombined from the corpus's
// (田中 + 村井 -> 田井), organisations from a stem and a corpus suffix
// (電機, 銀行), katakana names from a chain over the corpus's katakana
// morae, Latin names from a letter chain, and model codes with the shape of
// the corpus's (SH-01D -> KT-47B). Some names are frequent; the tail keeps
// growing with N, about as N^(1/1.2), so the vocabulary does too instead
// of stopping at the corpus's. `gencorpus -vocab` measures it.
//
// # Determinism
//
// Every random choice of article i comes from a PCG stream keyed by (seed,
// i): an article does not depend on the ones before it. The same seed and N
// give the same bytes (whatever the number of workers), a corpus of N
// articles is a prefix of one of M > N, and Write(from, n) gives articles
// from..from+n-1 alone, for incremental benchmarks. Dates (2006-2025, JST,
// density rising 6× over the 20 years, more by day than by night),
// publishers (7 invented ones) and tags (0-4 from the category's most
// common nouns, Zipf by rank) come from the same stream. The output depends
// on the corpus read and on math/rand/v2's Zipf and PCG, which Go keeps
// stable but does not promise across releases.
//
// # Needles
//
// 50 invented words (kanji, katakana, Latin with digits) are planted in a
// known number of articles: needle j in 1, 2, 3, 5, 10, 20, 50, 100, 200 or
// 300 articles per block of a million (Config.NeedleBlock), at positions
// drawn from (seed, block), the first among the block's first 1,000
// articles. A needle takes the place of a name slot of its script in an
// ordinary sentence of the article (a sentence with such a slot is added
// when the article has none). Every article is checked before it is
// written: its title, body and tags, NFKC-folded and lower-cased, must
// contain exactly the needles planted in it, as substrings, so no
// tokenisation (bigrams included) can find one elsewhere; an article that
// fails is drawn again from the next stream. Write returns the manifest:
// each needle and the sorted IDs of the articles that carry it.
package corpusgen
