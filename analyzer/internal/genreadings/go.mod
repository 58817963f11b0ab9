module github.com/newsearch/newsearch/analyzer/internal/genreadings

go 1.26.8

require (
	github.com/ikawaha/kagome-dict v1.1.7
	github.com/ikawaha/kagome-dict/ipa v1.2.6
	github.com/ikawaha/kagome-dict/uni v1.2.6
	golang.org/x/text v0.44.0
)
