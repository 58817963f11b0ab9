package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// stampsFile, in a generation, records each segment file and root.bolt as
// the writer left them: size, modification time and, for root.bolt, a
// CRC-32. A reader checks a segment's own checksum (reading all of it) only
// when the file no longer looks as recorded, so that opening an index does
// not read it whole; a segment changed or cut short after it was written is
// still caught.
const stampsFile = "segments.json"

// RootBolt is bleve's metadata file. bbolt reads it through a memory map and
// trusts its page numbers: a damaged one can crash the process where no
// recover reaches, so it is checked before bleve opens it.
const RootBolt = "root.bolt"

// Stamp is what a generation recorded of one file.
type Stamp struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
	CRC     uint32 `json:"crc,omitempty"` // root.bolt only: small, checked on every open
}

// Stamps are a generation's stamps, by path relative to the generation
// (slash-separated).
type Stamps map[string]Stamp

// WriteStamps records the segment and root.bolt files of a generation.
func (s *Store) WriteStamps(gen string) error {
	root := s.Path(gen)
	stamps := Stamps{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(d.Name(), ".zap") && d.Name() != RootBolt {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		if d.Name() == RootBolt {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			st.CRC = crc32.ChecksumIEEE(b)
		}
		rel, _ := filepath.Rel(root, path)
		stamps[filepath.ToSlash(rel)] = st
		return nil
	})
	if err != nil {
		return err
	}
	b, err := json.Marshal(stamps)
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(root, stampsFile), b)
}

// ReadStamps returns the stamps of a generation, or nil when it has none.
func (s *Store) ReadStamps(gen string) Stamps {
	b, err := os.ReadFile(s.Path(gen, stampsFile))
	if err != nil {
		return nil
	}
	var st Stamps
	if json.Unmarshal(b, &st) != nil {
		return nil
	}
	return st
}

// rel returns path relative to the generation directory gen, slashed.
func (s *Store) rel(gen, path string) string {
	r, err := filepath.Rel(s.Path(gen), path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

// CheckRootBolt compares a root.bolt with its stamp; without one (a
// generation being written) it passes.
func (s *Store) CheckRootBolt(gen string, stamps Stamps, path string) error {
	st, ok := stamps[s.rel(gen, path)]
	if !ok {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(b)) != st.Size || crc32.ChecksumIEEE(b) != st.CRC {
		return fmt.Errorf("%s is damaged: its checksum does not match what the writer recorded", path)
	}
	return nil
}

// Unchanged reports whether the file at path looks as stamped.
func (s *Store) Unchanged(gen string, stamps Stamps, path string) bool {
	st, ok := stamps[s.rel(gen, path)]
	if !ok {
		return false
	}
	info, err := os.Stat(path)
	return err == nil && info.Size() == st.Size && info.ModTime().UnixNano() == st.ModTime
}

// zapFooterSize is the size of the fixed part of a zap segment's footer,
// which ends with a CRC-32 (IEEE, big-endian) of all the bytes before it.
const zapFooterSize = 40

// CheckSegment checks a zap segment file against the checksum at its end.
func CheckSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() < zapFooterSize {
		return fmt.Errorf("segment %s is damaged: %d bytes is too short for a segment", path, info.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, info.Size()-4); err != nil {
		return fmt.Errorf("segment %s: %w", path, err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("segment %s: %w", path, err)
	}
	if binary.BigEndian.Uint32(sum[:]) != h.Sum32() {
		return fmt.Errorf("segment %s is damaged: its checksum does not match its bytes (changed or cut short after it was written)", path)
	}
	return nil
}

// Problem is a damaged or missing file found by Verify.
type Problem struct {
	Path string
	Err  error
}

// Verify reads every recorded file of a generation whole: each segment
// against its own checksum and the size recorded at publish, each root.bolt
// against its recorded checksum, and reports what is missing, changed or
// damaged. Files not recorded (a generation from before stamps) are
// checked against their own checksums only.
func (s *Store) Verify(gen string) ([]Problem, error) {
	stamps := s.ReadStamps(gen)
	if stamps == nil {
		if _, err := os.Stat(s.Path(gen)); err != nil {
			return nil, err
		}
	}
	var problems []Problem
	seen := map[string]bool{}
	err := filepath.WalkDir(s.Path(gen), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := s.rel(gen, path)
		switch {
		case strings.HasSuffix(d.Name(), ".zap"):
			seen[rel] = true
			if st, ok := stamps[rel]; ok {
				if info, err := d.Info(); err == nil && info.Size() != st.Size {
					problems = append(problems, Problem{path, fmt.Errorf("segment %s is damaged: %d bytes, %d when published", path, info.Size(), st.Size)})
					return nil
				}
			}
			if err := CheckSegment(path); err != nil {
				problems = append(problems, Problem{path, err})
			}
		case d.Name() == RootBolt:
			seen[rel] = true
			if err := s.CheckRootBolt(gen, stamps, path); err != nil {
				problems = append(problems, Problem{path, err})
			}
		}
		return nil
	})
	if err != nil {
		return problems, err
	}
	var missing []string
	for rel := range stamps {
		if !seen[rel] {
			missing = append(missing, rel)
		}
	}
	sort.Strings(missing)
	for _, rel := range missing {
		path := s.Path(gen, filepath.FromSlash(rel))
		problems = append(problems, Problem{path, fmt.Errorf("%s is missing", path)})
	}
	return problems, nil
}
