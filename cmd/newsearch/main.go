// Command newsearch indexes and searches Japanese news articles.
//
//	newsearch index ./articles      build or update the index
//	newsearch query 呉泳銘            search it
//	newsearch analyze テキスト        show how text is analysed
//	newsearch stats                 what the index holds
//	newsearch serve                 search page and JSON API
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}
