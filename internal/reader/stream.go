package reader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MaxRecordBytes bounds one line of a JSON Lines stream; a longer line is
// reported as an unreadable record and skipped.
const MaxRecordBytes = 16 << 20

// Streamable reports whether files of this name are read as a stream,
// record by record (JSON Lines), rather than whole.
func Streamable(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return true
	}
	return false
}

// Record is one record of a JSON Lines stream.
type Record struct {
	Line    int     // 1-based line of the stream
	Raw     []byte  // the line as UTF-8, trimmed: what a fingerprint is taken of
	Article Article // set when Err is nil
	Err     error   // why the line is not an article (a *LineError)
}

// detectPrefix is how much of a stream is read to tell its encoding.
const detectPrefix = 64 << 10

// Stream reads a JSON Lines stream (named name, for messages) record by
// record and calls fn with each non-blank line, in order, until the end of
// the stream or fn's first error, which Stream returns. Memory does not
// depend on the length of the stream. The encoding is told from its first
// 64 KiB as Parse tells a whole file's. A stream with no record at all is
// ErrEmpty; one that looks binary, ErrBinary.
func Stream(name string, r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, detectPrefix)
	head, err := br.Peek(detectPrefix)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if cut := bytes.LastIndexByte(head, '\n'); cut > 0 && len(head) == detectPrefix {
		head = head[:cut+1] // detect on whole lines
	}
	var src io.Reader = br
	_, enc, err := decodeDetect(head)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch enc {
	case encUTF16:
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case encShiftJIS:
		src = transform.NewReader(br, japanese.ShiftJIS.NewDecoder())
	case encEUCJP:
		src = transform.NewReader(br, japanese.EUCJP.NewDecoder())
	case encISO2022JP:
		src = transform.NewReader(br, japanese.ISO2022JP.NewDecoder())
	}
	lines := bufio.NewReaderSize(src, 256<<10)
	n, records := 0, 0
	var long []byte
	for {
		chunk, err := lines.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long) <= MaxRecordBytes {
				long = append(long, chunk...)
			}
			continue
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		if len(line) > 0 {
			n++
			if n == 1 {
				line = bytes.TrimPrefix(line, bomUTF8)
			}
			if rec, ok := record(n, line); ok {
				records++
				if ferr := fn(rec); ferr != nil {
					return ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n+1, err)
		}
	}
	if records == 0 {
		return fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	return nil
}

// record reads line n of a stream; blank lines are no record.
func record(n int, line []byte) (Record, bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return Record{}, false
	}
	rec := Record{Line: n}
	if len(line) > MaxRecordBytes {
		rec.Err = &LineError{Line: n, Err: fmt.Errorf("the line is over %d MiB: one article per line", MaxRecordBytes>>20)}
		return rec, true
	}
	rec.Raw = bytes.ToValidUTF8(line, []byte("\uFFFD"))
	var raw json.RawMessage
	if err := json.Unmarshal(rec.Raw, &raw); err != nil {
		rec.Err = &LineError{Line: n, Err: jsonSyntaxError(string(rec.Raw), err)}
		return rec, true
	}
	a, err := articleFromJSON(raw)
	if err != nil {
		rec.Err = &LineError{Line: n, Err: err}
		return rec, true
	}
	a.Line = n
	rec.Article = a
	return rec, true
}
