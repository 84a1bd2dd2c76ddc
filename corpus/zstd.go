package corpus

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

	"github.com/nssbench/nssbench/corpus/zst"
)

// zstdSuffix marks a zstd-compressed corpus file.
const zstdSuffix = zst.Suffix

// readFile is an open corpus file, decompressed when its name ends in ".zst".
type readFile struct {
	io.Reader
	f   *os.File
	dec *zst.Reader
}

// openRead opens path for reading, through a pooled zstd decoder for a ".zst" file.
func openRead(path string) (*readFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rf := &readFile{Reader: f, f: f}
	if zst.Compressed(path) {
		if rf.dec, err = zst.NewReader(f); err != nil {
			f.Close()
			return nil, err
		}
		rf.Reader = rf.dec
	}
	return rf, nil
}

// Close closes the file and returns the decoder to its pool.
func (rf *readFile) Close() error {
	if rf.dec != nil {
		rf.dec.Close()
	}
	return rf.f.Close()
}

// writeFile is a corpus file being written: to a temporary file beside its final path, compressed
// when that path ends in ".zst", buffered. Commit renames it into place; Abort removes it.
type writeFile struct {
	*bufio.Writer
	path string
	f    *os.File
	enc  *zst.Writer
	done bool // committed or aborted
}

// createWrite starts writing path.
func createWrite(path string) (*writeFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	wf := &writeFile{path: path, f: f}
	var w io.Writer = f
	if zst.Compressed(path) {
		wf.enc = zst.NewWriter(f, zst.Small)
		w = wf.enc
	}
	wf.Writer = bufio.NewWriterSize(w, 256<<10)
	return wf, nil
}

// Commit flushes, closes and renames the file into place, returning the first error.
func (wf *writeFile) Commit() error {
	wf.done = true
	err := wf.Flush()
	if wf.enc != nil {
		if cerr := wf.enc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := wf.f.Chmod(0o644); err == nil {
		err = cerr
	}
	if cerr := wf.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(wf.f.Name(), wf.path)
	}
	if err != nil {
		os.Remove(wf.f.Name())
	}
	return err
}

// Abort discards the file, unless it has been committed: it may be deferred.
func (wf *writeFile) Abort() {
	if wf.done {
		return
	}
	wf.done = true
	if wf.enc != nil {
		wf.enc.Discard()
	}
	wf.f.Close()
	os.Remove(wf.f.Name())
}
