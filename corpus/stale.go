package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// captureTempPattern is the os.CreateTemp pattern of Record's capture file in the corpus directory.
const captureTempPattern = ".capture.*.tmp"

// isCaptureTemp reports whether name is one of Record's capture files: ".capture.<digits>.tmp".
func isCaptureTemp(name string) bool {
	mid, ok := strings.CutPrefix(name, ".capture.")
	if !ok {
		return false
	}
	if mid, ok = strings.CutSuffix(mid, ".tmp"); !ok || mid == "" {
		return false
	}
	for _, c := range mid {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeStaleCaptures removes from dir the capture files a killed Record left behind: regular files
// named as Record names them that no running Record holds locked (where file locks are available;
// elsewhere none is removed). Nothing else is touched. It returns how many it removed.
func removeStaleCaptures(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !isCaptureTemp(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		free := tryLock(f) // held by a running Record: not stale
		f.Close()
		if !free {
			continue
		}
		if err := os.Remove(path); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
