// Command newsearch indexes and searches Japanese news articles.
//
//	newsearch index ./articles      build or update the index
//	newsearch query 呉泳銘            search it
//	newsearch analyze テキスト        show how text is analysed
//	newsearch stats                 what the index holds
//	newsearch verify                check every file of the index
//	newsearch serve                 search page and JSON API
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsearch/newsearch/analyzer"
)

func main() {
	// a query process opens the dictionary in milliseconds from a
	// prepared copy in the user's cache, not in a second from the binary
	analyzer.UsePreparedDictionary("")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}
