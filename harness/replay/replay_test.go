package replay

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// Lines of a small recording: two seconds of records, one without a record id, one repeating an id,
// one malformed and one over the collector's line limit.
var lines = []string{
	"Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=11 src=10.0.0.1",
	"Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow src=10.0.0.2",
	"garbage that is not CEF",
	"Jun 11 02:52:45 zscaler-nss CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=11 src=10.0.0.3",
	"Jun 11 02:52:45 zscaler-nss CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=12 msg=" + strings.Repeat("x", 70<<10),
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func lf() []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func octet() []byte {
	var b []byte
	for _, l := range lines {
		b = append(b, strconv.Itoa(len(l))+" "+l...)
	}
	return b
}

func zst(t *testing.T, b []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeAll(b, nil)
}

// TestRead: every framing and compression gives the recorded records verbatim, in order, with their
// framing and their times.
func TestRead(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		framing    string
	}{
		{"lf", "a.log", lf(), "lf"},
		{"octet", "a.log", octet(), "octet"},
		{"zstd by magic, any name", "a.bin", zst(t, lf()), "lf"},
		{"crlf", "a.log", []byte(strings.Join(lines, "\r\n") + "\r\n"), "lf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := Read(write(t, tc.file, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if rec.Framing() != tc.framing || rec.Len() != len(lines) {
				t.Fatalf("framing %s, %d records; want %s, %d", rec.Framing(), rec.Len(), tc.framing, len(lines))
			}
			size := 0
			for i, l := range lines {
				if got := string(rec.Record(i)); got != l {
					t.Errorf("record %d = %.60q…, want %.60q…", i, got, l)
				}
				size += len(l)
			}
			if rec.Bytes() != size {
				t.Errorf("Bytes = %d, want %d", rec.Bytes(), size)
			}
			want := []time.Duration{0, time.Second / 3, 2 * time.Second / 3, time.Second, 3 * time.Second / 2}
			if got := rec.Offsets(); !equal(got, want) {
				t.Errorf("offsets %v, want %v", got, want)
			}
		})
	}
}

func equal(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no records"},
		{"no times", []byte("CEF:0|Zscaler|NSSFWlog|5.7|Allow|x|3| act=Allow\n"), "no record has a syslog timestamp"},
		{"broken octet frame", []byte("120 short"), "record 1"},
		{"time goes back", []byte(lines[3] + "\n" + strings.Replace(lines[0], "02:52:44", "02:50:00", 1) + "\n"), ":2: time goes back 165s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(write(t, "a.log", tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.log")); err == nil {
		t.Error("a missing file: no error")
	}
}

// TestSourceReference: the reference pipeline judges every record once, oversize and malformed ones
// as it judges them; records sharing a verdict share a class; record ids are read as a sink reads them.
func TestSourceReference(t *testing.T) {
	rec, err := Read(write(t, "a.log", lf()))
	if err != nil {
		t.Fatal(err)
	}
	pl, _, err := pipeline.Load("", "", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := rec.Source(Options{Pipeline: pl})
	if err != nil {
		t.Fatal(err)
	}
	wantClass := []string{
		"firewall platform/alert/RDP Allow/T1021.001",
		"firewall platform/alert/RDP Allow/T1021.001",
		"collector/dropped/malformed/bad_header",
		"firewall platform/alert/RDP Allow/T1021.001",
		"collector/dropped/malformed/oversize",
	}
	wantID := []uint64{11, 0, 0, 11, 12}
	for seq := range uint64(len(lines)) {
		lb := src.LabelOf(seq)
		if got := src.Classes()[lb.Class].Name; got != wantClass[seq] || lb.RecordID != wantID[seq] || lb.Seq != seq {
			t.Errorf("record %d: class %q id %d, want %q id %d", seq, got, lb.RecordID, wantClass[seq], wantID[seq])
		}
		line, lb2 := src.Append([]byte("prefix:"), seq)
		if string(line) != "prefix:"+lines[seq] || lb2 != lb {
			t.Errorf("Append(%d) = %.40q…, %+v", seq, line, lb2)
		}
	}
	if len(src.Classes()) != 3 {
		t.Errorf("%d classes, want 3", len(src.Classes()))
	}
	for _, tc := range []struct {
		id  uint64
		seq uint64
		ok  bool
	}{{11, 0, true}, {12, 4, true}, {13, 0, false}, {0, 0, false}} {
		if seq, ok := src.SeqOf(tc.id); seq != tc.seq || ok != tc.ok {
			t.Errorf("SeqOf(%d) = %d, %v; want %d, %v", tc.id, seq, ok, tc.seq, tc.ok)
		}
	}
	// Without an id (1, 2) or repeating record 0's (3): not attributable at a sink.
	if n := src.Unattributable(); n != 3 {
		t.Errorf("Unattributable = %d, want 3", n)
	}
	if src.Fork() != src {
		t.Error("Fork of an immutable source is not itself")
	}
}

// TestSourceExpected: a corpus's expected verdicts are the ground truth, one per record.
func TestSourceExpected(t *testing.T) {
	rec, err := Read(write(t, "a.log", lf()))
	if err != nil {
		t.Fatal(err)
	}
	drop := verdict.Expectation{Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonMalformed, Detail: verdict.DetailBadHeader}
	give := func(n int) func(func(verdict.Expectation) error) error {
		return func(each func(verdict.Expectation) error) error {
			for range n {
				if err := each(drop); err != nil {
					return err
				}
			}
			return nil
		}
	}
	src, err := rec.Source(Options{Expected: give(len(lines))})
	if err != nil {
		t.Fatal(err)
	}
	if c := src.Classes(); len(c) != 1 || c[0].Expect != drop || src.LabelOf(4).Class != 0 {
		t.Errorf("classes %+v", c)
	}
	for _, n := range []int{len(lines) - 1, len(lines) + 1} {
		if _, err := rec.Source(Options{Expected: give(n)}); err == nil || !strings.Contains(err.Error(), "expected verdicts") {
			t.Errorf("%d expected verdicts for %d records: err = %v", n, len(lines), err)
		}
	}
	if _, err := rec.Source(Options{}); err == nil {
		t.Error("no pipeline and no expected verdicts: no error")
	}
}

// TestAppendAllocs: sending a recorded record allocates nothing once dst has room.
func TestAppendAllocs(t *testing.T) {
	rec, err := Read(write(t, "a.log", lf()))
	if err != nil {
		t.Fatal(err)
	}
	pl, _, _ := pipeline.Load("", "", pipeline.Options{})
	src, err := rec.Source(Options{Pipeline: pl})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 128<<10)
	var seq uint64
	if n := testing.AllocsPerRun(100, func() {
		buf, _ = src.Append(buf[:0], seq%uint64(len(lines)))
		seq++
	}); n != 0 {
		t.Errorf("Append allocates %v per record", n)
	}
}

func BenchmarkAppend(b *testing.B) {
	var data bytes.Buffer
	for range 1000 {
		data.WriteString(lines[0] + "\n")
	}
	path := filepath.Join(b.TempDir(), "a.log")
	if err := os.WriteFile(path, data.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	rec, err := Read(path)
	if err != nil {
		b.Fatal(err)
	}
	pl, _, _ := pipeline.Load("", "", pipeline.Options{})
	src, err := rec.Source(Options{Pipeline: pl})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 1<<10)
	b.SetBytes(int64(len(lines[0])))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf, _ = src.Append(buf[:0], uint64(i%rec.Len()))
	}
}
