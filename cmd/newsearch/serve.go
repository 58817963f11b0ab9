package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/server"
)

// defaultAddr keeps the server to this machine unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// shutdownTimeout is how long requests in flight get to finish on Ctrl-C.
const shutdownTimeout = 5 * time.Second

func serveCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the index read-only: a search page and a JSON API",
		Description: `Serves a search page at / and a JSON API:

  GET /api/search?q=&limit=&offset=&sort=&facet=&since=&until=   what newsearch query --json prints
  GET /api/articles/ID                                           one article in full
  GET /api/stats                                                 what newsearch stats --json prints
  GET /healthz

Listens on 127.0.0.1 (this machine only) unless --addr names another address; there is no
authentication. While newsearch index updates the index, the server goes on answering and
serves the new articles within a second, without a restart. Ctrl-C or SIGTERM stops it: requests
in flight get 5 s to finish.

Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 error (also when requests were still running
5 s after the signal and were cut off), 2 bad flags or arguments.`,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.StringFlag{Name: "addr", Value: defaultAddr, Usage: "`HOST:PORT` to listen on (port 0: any free port)"},
			&cli.IntFlag{Name: "cache", Value: server.DefaultCacheEntries, Usage: "search results kept in memory per index generation (0: none; up to 100000)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("as in: newsearch serve --addr 127.0.0.1:8080", "serve takes no arguments, got %q", c.Args().First())
			}
			cache := c.Int("cache")
			if cache < 0 || cache > maxCache {
				return usagef("--cache is how many search results to keep", "--cache %d is out of range: use 0 to %d", cache, maxCache)
			}
			if cache == 0 {
				cache = -1 // none
			}
			dir := c.String("index")
			if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("%w at %s", index.ErrNotExist, dir)
			}
			ln, err := net.Listen("tcp", c.String("addr"))
			if err != nil {
				return usagef("give --addr as HOST:PORT, with a port that is free", "listen: %v", err)
			}
			defer ln.Close()
			logf := stderrLogger(e)
			srv, err := server.New(server.Config{Dir: dir, Logf: logf, CacheEntries: cache})
			if err != nil {
				return err
			}
			defer srv.Close() // if serving fails; after a signal, a no-op
			hs := srv.HTTPServer(ln.Addr().String())
			fmt.Fprintf(e.stdout, "newsearch: serving %s (%s) at %s\n", dir, srv.Generation(), pageURL(ln.Addr()))
			if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
				logf("listening on %s, beyond this machine: anyone who can reach it can search the index", ln.Addr())
			}
			return serveUntilDone(c.Context, hs, srv, ln, shutdownTimeout)
		},
	}
}

// maxCache bounds --cache: an answer kept is up to 64 KiB.
const maxCache = 100_000

// serveUntilDone serves until ctx is cancelled (Ctrl-C, SIGTERM), then
// lets the requests in flight finish and the index close, within timeout
// in all: what is still running then is cut off.
func serveUntilDone(ctx context.Context, hs *http.Server, srv interface{ Shutdown(context.Context) error }, ln net.Listener, timeout time.Duration) error {
	failed := make(chan error, 1)
	go func() { failed <- hs.Serve(ln) }()
	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var errs []error
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close() // drop the connections of requests that did not finish
		errs = append(errs, fmt.Errorf("requests still running %s after the signal were cut off", timeout))
	} else if err := <-failed; !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, err)
	}
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// pageURL is the address people open: an unspecified host (all
// interfaces) is reached on this machine as 127.0.0.1.
func pageURL(a net.Addr) string {
	t := a.(*net.TCPAddr)
	host := t.IP.String()
	if t.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(t.Port)) + "/"
}

// stderrLogger returns a log function writing timestamped lines to the
// command's stderr, safe for concurrent use.
func stderrLogger(e *env) func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(e.stderr, "%s newsearch: %s\n", time.Now().Format("2006-01-02 15:04:05"), fmt.Sprintf(format, args...))
	}
}
