package corpus

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/nssbench/nssbench/harness/transport"
)

func TestIsCaptureTemp(t *testing.T) {
	for name, want := range map[string]bool{
		".capture.1234567.tmp": true,
		".capture..tmp":        false,
		".capture.12a.tmp":     false,
		"capture.123.tmp":      false,
		".capture.123.tmp.bak": false,
		"input.log":            false,
	} {
		if got := isCaptureTemp(name); got != want {
			t.Errorf("isCaptureTemp(%q) = %t; want %t", name, got, want)
		}
	}
}

// TestRemoveStaleCaptures: only Record's own capture files, regular and not held by a running Record,
// are removed.
func TestRemoveStaleCaptures(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no file locks: nothing is removed")
	}
	dir := t.TempDir()
	for _, n := range []string{".capture.111.tmp", ".capture.222.tmp", ".capture.x.tmp", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(filepath.Join(dir, ".capture.333.tmp"), 0o755)
	held, err := os.OpenFile(filepath.Join(dir, ".capture.222.tmp"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if !tryLock(held) {
		t.Fatal("tryLock on a fresh file failed")
	}
	n, err := removeStaleCaptures(dir)
	if err != nil || n != 1 {
		t.Fatalf("removeStaleCaptures = %d, %v; want 1", n, err)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{".capture.222.tmp", ".capture.333.tmp", ".capture.x.tmp", "notes.txt"}; !slices.Equal(left, want) {
		t.Errorf("left %q; want %q", left, want)
	}
}

// TestRecordAfterKilledRecord: a directory holding only the capture file of a killed Record is not
// "not empty": the stale file is removed and the corpus recorded.
func TestRecordAfterKilledRecord(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no file locks: nothing is removed")
	}
	dir := filepath.Join(t.TempDir(), "rec")
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, ".capture.4242.tmp"), []byte("half a capture"), 0o600); err != nil {
		t.Fatal(err)
	}
	url, done, st := recordAsync(t, context.Background(), "tcp://127.0.0.1:0", dir, RecordOptions{Count: 1})
	s, err := transport.Dial(context.Background(), url, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Send(0, []byte("Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow"))
	s.Close()
	waitRecord(t, done)
	if st.StaleRemoved != 1 || st.Records != 1 {
		t.Errorf("Record = %+v; want 1 stale capture removed, 1 record", st)
	}
	if _, err := os.Stat(filepath.Join(dir, ".capture.4242.tmp")); !os.IsNotExist(err) {
		t.Errorf("stale capture still there: %v", err)
	}
}
