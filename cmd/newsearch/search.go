package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/newsearch/newsearch/index"
)

// searchIndex and closeIndex are the index's Search and Close; tests
// replace them to make a search panic or hang, or a Close hang.
var (
	searchIndex = (*index.Index).Search
	closeIndex  = (*index.Index).Close
)

// errQueryInterrupted ends a query stopped by Ctrl-C or SIGTERM.
var errQueryInterrupted = errors.New("interrupted")

// searchPanic is a panic in a search, caught and turned into an error.
type searchPanic struct {
	value any
	stack []byte
}

func (e *searchPanic) Error() string {
	return fmt.Sprintf("the search failed with an internal error (a bug, or a damaged index): %v", e.value)
}

// searcher runs the searches of one command on one read-only index, each in
// a goroutine of its own, so that neither a panic nor a search that ignores
// its context keeps the process from ending.
type searcher struct {
	ix *index.Index
	// unsafe is set when a search panicked or was left running: the index
	// may be locked or in use, so it is not closed (the process ends, and
	// a read-only index needs no closing to stay whole).
	unsafe bool
}

// search runs one search. A panic is a *searchPanic; when ctx ends first
// (Ctrl-C, SIGTERM) it returns errQueryInterrupted at once, leaving the
// search to the end of the process.
func (s *searcher) search(ctx context.Context, req index.Request) (*index.Result, error) {
	if ctx.Err() != nil {
		return nil, errQueryInterrupted
	}
	type outcome struct {
		res *index.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if v := recover(); v != nil {
				o = outcome{err: &searchPanic{value: v, stack: debug.Stack()}}
			}
			done <- o
		}()
		o.res, o.err = searchIndex(s.ix, ctx, req)
	}()
	select {
	case o := <-done:
		var sp *searchPanic
		switch {
		case errors.As(o.err, &sp):
			s.unsafe = true
		case o.err != nil && ctx.Err() != nil:
			return nil, errQueryInterrupted
		}
		return o.res, o.err
	case <-ctx.Done():
		s.unsafe = true
		return nil, errQueryInterrupted
	}
}

// close closes the index unless a search made that unsafe.
func (s *searcher) close() error {
	if s.unsafe {
		return nil
	}
	return closeIndex(s.ix)
}
