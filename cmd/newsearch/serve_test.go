package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer for one writer and one reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runCLI runs newsearch in process and returns its exit status and output.
func runCLI(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"newsearch"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// The API answers a search with exactly what newsearch query --json prints.
func TestServeAnswersAsQueryJSON(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	if code, _, stderr := runCLI(ctx, "index", "-q", "--index", dir, "../../testdata/articles"); code != exitOK {
		t.Fatalf("index: status %d: %s", code, stderr)
	}
	code, cliOut, stderr := runCLI(ctx, "query", "--json", "--index", dir, "呉泳銘")
	if code != exitOK {
		t.Fatalf("query: status %d: %s", code, stderr)
	}

	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	var out, errs lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(serveCtx, []string{"newsearch", "serve", "--index", dir, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errs)
	}()
	base := waitForURL(t, &out, &errs, done)

	resp, err := http.Get(base + "api/search?q=" + url.QueryEscape("呉泳銘"))
	if err != nil {
		t.Fatal(err)
	}
	apiOut, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/search: status %d: %s", resp.StatusCode, apiOut)
	}
	if got, want := withoutTime(t, apiOut), withoutTime(t, []byte(cliOut)); !reflect.DeepEqual(got, want) {
		t.Errorf("the API and newsearch query --json differ (took_ms aside):\napi: %s\ncli: %s", apiOut, cliOut)
	}
	if !bytes.Contains(apiOut, []byte("<mark>呉泳銘</mark>")) {
		t.Errorf("the API escapes the snippet's <mark>: %s", apiOut)
	}

	stop() // as Ctrl-C does
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited with status %d after the signal, want 0; stderr: %s", code, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of the signal")
	}
}

var urlLine = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/)`)

// waitForURL waits for serve to print the URL it listens on.
func waitForURL(t *testing.T, out, errs *lockedBuffer, done <-chan int) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with status %d before listening: %s%s", code, out.String(), errs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve printed no URL within 20 s: %q", out.String())
	return ""
}

// withoutTime decodes a search's JSON without took_ms, which differs from
// run to run.
func withoutTime(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	if _, ok := m["took_ms"]; !ok {
		t.Errorf("no took_ms in %s", b)
	}
	delete(m, "took_ms")
	return m
}

func TestServeUsageErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // on stderr
	}{
		{"no index", []string{"serve", "--index", filepath.Join(t.TempDir(), "none")}, exitError, "hint: build one first"},
		{"an argument", []string{"serve", "呉泳銘"}, exitUsage, "takes no arguments"},
		{"a bad address", []string{"serve", "--addr", "127.0.0.1:99999", "--index", "."}, exitUsage, "hint: give --addr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(ctx, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("newsearch %s: status %d, stderr %q; want status %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
			}
		})
	}
}
