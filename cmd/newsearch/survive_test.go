package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// TestMain runs the command itself, with a search that hangs, when a test
// starts this binary to send it a real signal.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSEARCH_TEST_MAIN") == "hang-search" {
		searchIndex = func(*index.Index, context.Context, index.Request) (*index.Result, error) {
			fmt.Fprintln(os.Stderr, "searching")
			<-make(chan struct{}) // ignores the context
			return nil, nil
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// hook replaces searchIndex and closeIndex for one test.
func hook(t *testing.T, search func(*index.Index, context.Context, index.Request) (*index.Result, error), closeIx func(*index.Index) error) {
	t.Helper()
	s, c := searchIndex, closeIndex
	t.Cleanup(func() { searchIndex, closeIndex = s, c })
	if search != nil {
		searchIndex = search
	}
	if closeIx != nil {
		closeIndex = closeIx
	}
}

// runWithin runs the CLI in process and fails the test if it does not
// return within d.
func runWithin(t *testing.T, ctx context.Context, d time.Duration, stdin string, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut lockedBuffer
		code := run(ctx, append([]string{"newsearch"}, args...), strings.NewReader(stdin), &out, &errOut)
		done <- result{code, out.String(), errOut.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.errOut
	case <-time.After(d):
		t.Fatalf("newsearch %s did not return within %s", strings.Join(args, " "), d)
	}
	return 0, "", ""
}

// A panic inside a search is an error and the command ends: it used to
// leave the index's read lock held, and the deferred Close waited for it
// for ever. The Close here hangs as that one did.
func TestQueryPanicEndsTheCommand(t *testing.T) {
	dir := sampleIndex(t)
	hook(t,
		func(*index.Index, context.Context, index.Request) (*index.Result, error) {
			panic("runtime error: makeslice: cap out of range")
		},
		func(*index.Index) error { select {} })
	for _, args := range [][]string{
		{"query", "--index", dir, "京都"},
		{"query", "--index", dir, "--json", "--queries-from", "-"},
	} {
		code, out, errOut := runWithin(t, context.Background(), 10*time.Second, "スマホ\n京都\n", args...)
		if code != exitError || !strings.Contains(errOut, "makeslice: cap out of range") || !strings.Contains(errOut, "internal error") || !strings.Contains(errOut, "hint: if the index is damaged") {
			t.Errorf("%v: status %d, stderr %q; want 1 with the panic, its stack and a hint", args, code, errOut)
		}
		if args[len(args)-1] == "-" && (!strings.Contains(errOut, "stdin:1:") || out != "") {
			t.Errorf("--queries-from: stdout %q, stderr %q; want the run stopped at stdin:1", out, errOut)
		}
	}
}

// Ctrl-C or SIGTERM during a search that does not heed it ends the command
// at once (it used to wait for the search).
func TestQueryInterrupted(t *testing.T) {
	dir := sampleIndex(t)
	entered := make(chan struct{}, 1)
	hook(t, func(*index.Index, context.Context, index.Request) (*index.Result, error) {
		entered <- struct{}{}
		select {} // ignores the context
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel() // as the signal does
	}()
	code, _, errOut := runWithin(t, ctx, 10*time.Second, "", "query", "--index", dir, "京都")
	if code != exitError || !strings.Contains(errOut, "interrupted") {
		t.Errorf("status %d, stderr %q; want 1, interrupted", code, errOut)
	}
}

// The real signal, to the real process: SIGTERM during a search that hangs
// ends newsearch query within seconds.
func TestQuerySIGTERM(t *testing.T) {
	dir := sampleIndex(t)
	cmd := exec.Command(os.Args[0], "query", "--index", dir, "京都")
	cmd.Env = append(os.Environ(), "NEWSEARCH_TEST_MAIN=hang-search")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || sc.Text() != "searching" {
		t.Fatalf("the command did not start its search: %q", sc.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(stderr)
		rest <- string(b)
	}()
	done := make(chan error, 1)
	go func() {
		msg := <-rest
		err := cmd.Wait()
		if err == nil || !strings.Contains(msg, "interrupted") {
			err = fmt.Errorf("exit %v, stderr %q", err, msg)
		} else {
			err = nil
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM: %v; want exit status 1, interrupted", err)
		}
		if code := cmd.ProcessState.ExitCode(); code != exitError {
			t.Errorf("exit status %d, want %d", code, exitError)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("newsearch query did not end within 10 s of SIGTERM")
	}
}

// Every numeric flag is checked, and a message names the flag and the
// values allowed. --offset near the largest int made bleve panic; a
// --page that overflowed became page 1; --facet-size -5 became 10.
func TestNumericFlags(t *testing.T) {
	dir := sampleIndex(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"query", "映画", "--offset", "9223372036854775800"}, "--offset 9223372036854775800 is out of range: use 0 to 1000000000"},
		{[]string{"query", "映画", "--limit", "10", "--offset", "9223372036854775800"}, "--offset"},
		{[]string{"query", "映画", "--limit", "4", "--page", "4611686018427387905"}, "--page 4611686018427387905 is out of range: with --limit 4, use 1 to 250000001"},
		{[]string{"query", "映画", "--page", "0"}, "--page 0 is out of range"},
		{[]string{"query", "映画", "--page", "-1"}, "--page -1 is out of range"},
		{[]string{"query", "映画", "--page", "2", "--offset", "3"}, "give --offset or --page, not both"},
		{[]string{"query", "映画", "--offset", "-1"}, "--offset -1 is out of range: use 0 to"},
		{[]string{"query", "映画", "--limit", "-1"}, "--limit -1 is out of range: use 0 to 1000000"},
		{[]string{"query", "映画", "--limit", "0", "--page", "2"}, "give --limit 0 without --offset or --page"},
		{[]string{"query", "映画", "--limit", "1000001"}, "--limit 1000001 is out of range"},
		{[]string{"query", "映画", "--limit", "99999999999999999999"}, "limit"},
		{[]string{"query", "映画", "--facet-size", "-5"}, "--facet-size -5 is out of range: use 1 to 100000"},
		{[]string{"query", "映画", "--facet-size", "0"}, "--facet-size 0 is out of range"},
		{[]string{"query", "映画", "--facet-size", "100001"}, "--facet-size 100001 is out of range"},
		{[]string{"index", "../../testdata/articles", "--workers", "-1"}, "--workers -1 is out of range: use 0 to 256"},
		{[]string{"index", "../../testdata/articles", "--batch-size", "0"}, "--batch-size 0 is out of range: use 1 to 100000"},
		{[]string{"index", "../../testdata/articles", "--max-file-size", "0"}, "--max-file-size 0 is out of range: use 1 to 4096"},
		{[]string{"index", "../../testdata/articles", "--max-file-size", "9007199254740993"}, "--max-file-size 9007199254740993 is out of range"},
		{[]string{"serve", "--cache", "-1"}, "--cache -1 is out of range: use 0 to 100000"},
		{[]string{"serve", "--cache", "100001"}, "--cache 100001 is out of range"},
	} {
		args := append(tc.args, "--index", dir)
		code, out, errOut := newsearchCLI(t, "", args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("newsearch %s: status %d, stderr %q, stdout %.100q; want %d and %q", strings.Join(args, " "), code, errOut, out, exitUsage, tc.want)
		}
	}
	// the bounds themselves are answered
	for _, args := range [][]string{
		{"query", "映画", "--offset", "1000000000"},
		{"query", "映画", "--limit", "4", "--page", "250000001"},
		{"query", "映画", "--limit", "1000000", "--facet-size", "100000"},
	} {
		args = append(args, "--index", dir, "--json")
		code, out, errOut := newsearchCLI(t, "", args...)
		if code != exitOK || !strings.Contains(out, `"hits":`) {
			t.Errorf("newsearch %s: status %d, stderr %q; want 0 and an answer", strings.Join(args, " "), code, errOut)
		}
	}
}

// Every date the query language reads is answered (exit 0) or refused as a
// bad query (exit 2): dates outside bleve's years failed the search, exit 1.
func TestDatesOutsideTheSearchableYears(t *testing.T) {
	dir := sampleIndex(t)
	total := func(out string) int {
		var r struct{ Total int }
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		return r.Total
	}
	_, all, _ := newsearchCLI(t, "", "query", "--index", dir, "--json", "--facet", "none", "since:1990")
	dated := total(all)
	if dated == 0 {
		t.Fatal("no sample article is dated after 1990")
	}
	for _, args := range [][]string{
		{"since:0000-01"}, {"until:2262"}, {"date:1000..3000"}, {"--since", "1500", "京都 OR 発表 OR since:1678"}, {"--until", "9999", "since:1500"},
	} {
		code, out, errOut := newsearchCLI(t, "", append([]string{"query", "--index", dir, "--json", "--facet", "none"}, args...)...)
		if code != exitOK {
			t.Errorf("%v: status %d, stderr %q; want 0", args, code, errOut)
			continue
		}
		if args[0] != "--since" && total(out) != dated {
			t.Errorf("%v: %d hits, want every dated article (%d)", args, total(out), dated)
		}
	}
	for _, args := range [][]string{
		{"date:1500"}, {"since:2262"}, {"until:1600"}, {"date:2013..2012"}, {"--since", "2300", "京都"}, {"--until", "1500", "京都"},
	} {
		code, _, errOut := newsearchCLI(t, "", append([]string{"query", "--index", dir}, args...)...)
		if code != exitUsage || (!strings.Contains(errOut, "1678 to 2261") && !strings.Contains(errOut, "before it starts")) {
			t.Errorf("%v: status %d, stderr %q; want 2 and the years that can be searched", args, code, errOut)
		}
	}
}

// --queries-from reads lines of any length: a line too long to be a query
// is reported with the file and line, and the other lines are answered
// (a line over the scanner's buffer used to end the run with "bufio.Scanner:
// token too long", naming no file or line). A bad query exits 2.
func TestQueriesFromLongLines(t *testing.T) {
	dir := sampleIndex(t)
	file := filepath.Join(t.TempDir(), "queries.txt")
	lines := []string{"京都", strings.Repeat("京都 ", 300_000), "スマホ", strings.Repeat("a", 2000), "呉泳銘"}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := newsearchCLI(t, "", "query", "--index", dir, "--facet", "none", "--color", "never", "--queries-from", file)
	for _, want := range []string{"2 articles match 京都", "スマホ", "1 article matches 呉泳銘"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{file + ":2: the line is 2100000 bytes long; a query is at most 1000 characters", file + ":4: query syntax: the query is 2000 characters long; the limit is 1000"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%.500s", want, errOut)
		}
	}
	if len(errOut) > 2000 {
		t.Errorf("stderr is %d bytes: it repeats the long lines", len(errOut))
	}
	if code != exitUsage {
		t.Errorf("status %d, want %d: some lines were bad queries", code, exitUsage)
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("a\r\n"+strings.Repeat("b", 100)+"\n\n"+strings.Repeat("c", 15)+"\r\n"+"last"), 16)
	for _, want := range []struct {
		line string
		size int
	}{{"a", 1}, {strings.Repeat("b", 10), 100}, {"", 0}, {strings.Repeat("c", 10), 15}, {"last", 4}} {
		line, size, err := readLine(r, 10)
		if err != nil || string(line) != want.line || size != want.size {
			t.Errorf("readLine = %q, %d, %v; want %q, %d", line, size, err, want.line, want.size)
		}
	}
	if _, _, err := readLine(r, 10); err != io.EOF {
		t.Errorf("after the last line: %v, want io.EOF", err)
	}
}

// Every command's help says what its exit statuses mean.
func TestHelpSaysExitStatus(t *testing.T) {
	for _, cmd := range []string{"index", "query", "analyze", "stats", "serve", "verify"} {
		code, out, _ := newsearchCLI(t, "", cmd, "--help")
		if code != exitOK || !strings.Contains(out, "Exit status: 0") {
			t.Errorf("newsearch %s --help: status %d, no exit statuses:\n%s", cmd, code, out)
		}
	}
	if code, out, _ := newsearchCLI(t, "", "--help"); code != exitOK || !strings.Contains(out, "Exit status, of every command: 0 ok") {
		t.Errorf("newsearch --help: status %d, no exit statuses:\n%s", code, out)
	}
}

// SIGTERM ends serve within its shutdown time even when a request never
// finishes and the index does not close.
func TestServeStopsInTimeWithAStuckRequest(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	entered := make(chan struct{}, 1)
	hs := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		entered <- struct{}{}
		<-stuck
	})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, hs, stuckCloser{}, ln, 300*time.Millisecond) }()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "cut off") || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("serveUntilDone: %v; want an error saying requests were cut off and the index did not close", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop within 5 s of the signal, with a shutdown time of 300 ms")
	}
}

// stuckCloser is a server whose index never closes.
type stuckCloser struct{}

func (stuckCloser) Shutdown(ctx context.Context) error {
	<-ctx.Done()
	return fmt.Errorf("generation gen-000001 did not close in time: %w", ctx.Err())
}
