package framing

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// event is one result of Reader.Next, in a comparable form.
type event struct {
	Rec  string // the record, when Kind is "rec"
	Kind string // "rec", "oversize", "frame", "eof" or "err"
	Off  int64  // oversize and frame errors: offset
	Len  int64  // oversize: length
	Err  string // frame and other errors: message
}

func (e event) String() string {
	switch e.Kind {
	case "rec":
		return fmt.Sprintf("rec(%q)", e.Rec)
	case "oversize":
		return fmt.Sprintf("oversize(off=%d len=%d)", e.Off, e.Len)
	case "frame":
		return fmt.Sprintf("frame(off=%d %s)", e.Off, e.Err)
	}
	return e.Kind + "(" + e.Err + ")"
}

func rec(s string) event              { return event{Kind: "rec", Rec: s} }
func over(off, n int64) event         { return event{Kind: "oversize", Off: off, Len: n} }
func frameErr(off int64) event        { return event{Kind: "frame", Off: off} }
func eof() event                      { return event{Kind: "eof"} }
func recs(ss ...string) (out []event) { return appendRecs(nil, ss...) }

func appendRecs(out []event, ss ...string) []event {
	for _, s := range ss {
		out = append(out, rec(s))
	}
	return out
}

// readAll drains r into events, stopping at the first terminal error. It fails the test if Next does
// not terminate within a bound (each call consumes a byte or ends the stream) or a terminal error is
// not sticky.
func readAll(t testing.TB, r *Reader, bound int) []event {
	t.Helper()
	var out []event
	for range bound + 2 {
		b, err := r.Next()
		var oe *OversizeError
		var fe *FrameError
		switch {
		case err == nil:
			if len(b) > r.MaxLen() {
				t.Fatalf("Next returned %d bytes, over MaxLen %d", len(b), r.MaxLen())
			}
			out = append(out, rec(string(b)))
			continue
		case errors.As(err, &oe):
			if !errors.Is(err, ErrOversize) {
				t.Fatalf("errors.Is(%v, ErrOversize) = false", err)
			}
			if b != nil {
				t.Fatalf("Next returned %q with %v", b, err)
			}
			out = append(out, over(oe.Offset, oe.Len))
			continue
		case errors.As(err, &fe):
			out = append(out, event{Kind: "frame", Off: fe.Offset, Err: fe.Msg})
		case err == io.EOF:
			out = append(out, eof())
		default:
			out = append(out, event{Kind: "err", Err: err.Error()})
		}
		if _, err2 := r.Next(); err2 != err {
			t.Fatalf("Next after %v = %v; want the same error again", err, err2)
		}
		return out
	}
	t.Fatalf("Next did not reach the end of a %d-byte stream in %d calls", bound, bound+2)
	return nil
}

// sameEvents compares events, ignoring frame error messages when want has none.
func sameEvents(got, want []event) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Kind == "frame" && w.Err == "" {
			g.Err = ""
		}
		if g != w {
			return false
		}
	}
	return true
}

// chunkings are the ways a stream is delivered to the Reader.
var chunkings = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"read=whole", func(r io.Reader) io.Reader { return r }},
	{"read=byte", iotest.OneByteReader},
	{"read=half", iotest.HalfReader},
	{"read=dataerr", iotest.DataErrReader},
}

// TestRoundTrip frames records with each framing and reads them back, under every chunking.
func TestRoundTrip(t *testing.T) {
	big := strings.Repeat("x", 150_000)
	huge := strings.Repeat("y", 300_000)
	tests := []struct {
		name string
		max  int
		in   []string
		want []event // nil: the records themselves, then EOF
	}{
		// happy
		{name: "one", max: 64, in: []string{"CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed"}},
		{name: "several", max: 64, in: []string{"<13>Jun 11 02:52:44 a", "b", "c d e", "CEF:0|x"}},
		{name: "empty-in-middle", max: 64, in: []string{"a", "", "", "b"}},
		{name: "exactly-max", max: 8, in: []string{"abcdefgh", "1"}},
		{name: "utf8-and-controls", max: 64, in: []string{"caf\u00e9 \x00\t\x7f", "\xff\xfe"}},
		{name: "spanning-buffers", max: 200_000, in: []string{big, "after", big}},
		// sad
		{name: "oversize-middle", max: 8, in: []string{"short", "0123456789abc", "after"},
			want: nil /* set below */},
		{name: "oversize-huge", max: 100, in: []string{"a", huge, "b"}},
		{name: "oversize-last", max: 4, in: []string{"a", "abcdef"}},
	}
	for _, tc := range tests {
		for _, f := range []Framing{FramingLF, FramingOctet} {
			var stream []byte
			var want []event
			for _, s := range tc.in {
				off := int64(len(stream))
				stream = f.Append(stream, []byte(s))
				if len(s) > tc.max {
					want = append(want, over(off, int64(len(s))))
				} else {
					want = append(want, rec(s))
				}
			}
			want = append(want, eof())
			for _, ch := range chunkings {
				t.Run(tc.name+"/framing="+f.String()+"/"+ch.name, func(t *testing.T) {
					r := NewReader(ch.wrap(bytes.NewReader(stream)), tc.max)
					got := readAll(t, r, len(stream))
					if !sameEvents(got, want) {
						t.Errorf("Next() events = %v; want %v", short(got), short(want))
					}
					if r.Framing() != f {
						t.Errorf("Framing() = %v; want %v", r.Framing(), f)
					}
				})
			}
		}
	}
}

// short shortens long records in an event list for failure messages.
func short(evs []event) []event {
	out := make([]event, len(evs))
	for i, e := range evs {
		if len(e.Rec) > 40 {
			e.Rec = e.Rec[:20] + "…" + e.Rec[len(e.Rec)-10:]
		}
		out[i] = e
	}
	return out
}

// TestStreams checks raw streams, each framing's quirks and errors.
func TestStreams(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		in      string
		framing Framing
		want    []event
	}{
		// happy, LF
		{"lf/crlf", 64, "a\r\nb\n", FramingLF, append(recs("a", "b"), eof())},
		{"lf/only-last-cr-stripped", 64, "a\r\r\n", FramingLF, append(recs("a\r"), eof())},
		{"lf/unterminated-last", 64, "a\nb", FramingLF, append(recs("a", "b"), eof())},
		{"lf/unterminated-cr-kept", 64, "abc\r", FramingLF, append(recs("abc\r"), eof())},
		{"lf/blank-lines", 64, "a\n\n", FramingLF, append(recs("a", ""), eof())},
		{"lf/just-lf", 64, "\n", FramingLF, append(recs(""), eof())},
		{"lf/leading-zero-is-lf", 64, "0 abc\n", FramingLF, append(recs("0 abc"), eof())},
		{"lf/max-plus-cr", 3, "abc\r\n", FramingLF, append(recs("abc"), eof())},
		{"empty", 64, "", FramingUnknown, []event{eof()}},
		// sad, LF
		{"lf/oversize", 3, "abcd\nef\n", FramingLF, []event{over(0, 4), rec("ef"), eof()}},
		{"lf/oversize-crlf", 3, "x\nabcd\r\nef", FramingLF, []event{rec("x"), over(2, 4), rec("ef"), eof()}},
		{"lf/oversize-unterminated", 3, "abcdefgh", FramingLF, []event{over(0, 8), eof()}},
		{"lf/oversize-max-plus-one-unterminated", 3, "abcd", FramingLF, []event{over(0, 4), eof()}},
		// happy, octet
		{"octet/one", 64, "3 abc", FramingOctet, append(recs("abc"), eof())},
		{"octet/empty-after-first", 64, "3 abc0 1 x", FramingOctet, append(recs("abc", "", "x"), eof())},
		{"octet/lf-inside", 64, "4 a\nb\n", FramingOctet, append(recs("a\nb\n"), eof())},
		// sad, octet
		{"octet/truncated-msg", 64, "3 ab", FramingOctet, []event{frameErr(4)}},
		{"octet/truncated-len", 64, "3 abc12", FramingOctet, []event{rec("abc"), frameErr(7)}},
		{"octet/truncated-after-zero", 64, "3 abc0", FramingOctet, []event{rec("abc"), frameErr(6)}},
		{"octet/missing-space", 64, "3abc", FramingOctet, []event{frameErr(1)}},
		{"octet/not-a-digit", 64, "3 abcx", FramingOctet, []event{rec("abc"), frameErr(5)}},
		{"octet/lf-between-frames", 64, "3 abc\n3 def", FramingOctet, []event{rec("abc"), frameErr(5)}},
		{"octet/leading-zero", 64, "3 abc03 abc", FramingOctet, []event{rec("abc"), frameErr(6)}},
		{"octet/too-many-digits", 64, "12345678901 x", FramingOctet, []event{frameErr(10)}},
		{"octet/oversize", 2, "3 abc2 de", FramingOctet, []event{over(0, 3), rec("de"), eof()}},
		{"octet/oversize-truncated", 2, "5 abc", FramingOctet, []event{frameErr(5)}},
		{"octet/oversize-ten-digits", 2, "9999999999 ab", FramingOctet, []event{frameErr(13)}},
	}
	for _, tc := range tests {
		for _, ch := range chunkings {
			t.Run(tc.name+"/"+ch.name, func(t *testing.T) {
				r := NewReader(ch.wrap(strings.NewReader(tc.in)), tc.max)
				got := readAll(t, r, len(tc.in))
				if !sameEvents(got, tc.want) {
					t.Errorf("Next(%q) events = %v; want %v", tc.in, got, tc.want)
				}
				if r.Framing() != tc.framing {
					t.Errorf("Framing() = %v; want %v", r.Framing(), tc.framing)
				}
				if ref := refEvents([]byte(tc.in), tc.max); !sameEvents(got, ref) {
					t.Errorf("Next(%q) events = %v; reference says %v", tc.in, got, ref)
				}
			})
		}
	}
}

// TestTruncations cuts valid streams at every byte: LF yields the complete lines and the partial one
// as a record; octet counting yields the complete frames, then EOF on a frame boundary or a FrameError.
func TestTruncations(t *testing.T) {
	msgs := []string{"<13>Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3|act=Drop", "b", "", "tail record"}
	for _, f := range []Framing{FramingLF, FramingOctet} {
		var stream []byte
		var ends []int // end offset of each frame
		for _, m := range msgs {
			stream = f.Append(stream, []byte(m))
			ends = append(ends, len(stream))
		}
		t.Run("framing="+f.String(), func(t *testing.T) {
			for cut := 0; cut <= len(stream); cut++ {
				in := stream[:cut]
				got := readAll(t, NewReader(bytes.NewReader(in), 128), cut)
				var want []event
				i := 0
				for i < len(ends) && ends[i] <= cut {
					want = append(want, rec(msgs[i]))
					i++
				}
				prev := 0
				if i > 0 {
					prev = ends[i-1]
				}
				switch {
				case cut == prev:
					want = append(want, eof())
				case f == FramingLF:
					want = append(want, rec(string(stream[prev:cut])), eof())
				default:
					want = append(want, frameErr(int64(cut)))
				}
				if !sameEvents(got, want) {
					t.Errorf("Next(%q) events = %v; want %v", in, got, want)
				}
			}
		})
	}
}

// errReader returns data, then err.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReadError: records read completely before a read error are returned; the partial one is not.
func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"framing=lf", "a\nb\npart"},
		{"framing=octet", "1 a1 b4 pa"},
		{"framing=lf/oversize-skipping", "a\nb\n" + strings.Repeat("z", 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(&errReader{data: []byte(tc.in), err: boom}, 8)
			got := readAll(t, r, len(tc.in))
			want := append(recs("a", "b"), event{Kind: "err", Err: "boom"})
			if !sameEvents(got, want) {
				t.Errorf("Next events = %v; want %v", got, want)
			}
		})
	}
}

// TestNoProgress: a reader that keeps returning (0, nil) ends the stream with io.ErrNoProgress.
func TestNoProgress(t *testing.T) {
	r := NewReader(iotest.ErrReader(nil), 8)
	if _, err := r.Next(); err != io.ErrNoProgress {
		t.Fatalf("Next() error = %v; want io.ErrNoProgress", err)
	}
}

// TestReset reuses a Reader for a stream with the other framing.
func TestReset(t *testing.T) {
	r := NewReader(strings.NewReader("3 abc"), 0)
	if got := readAll(t, r, 5); !sameEvents(got, append(recs("abc"), eof())) {
		t.Fatalf("first stream: %v", got)
	}
	if r.MaxLen() != DefaultMaxLen {
		t.Errorf("MaxLen() = %d; want %d", r.MaxLen(), DefaultMaxLen)
	}
	r.Reset(strings.NewReader("x\ny"))
	if r.Framing() != FramingUnknown {
		t.Errorf("Framing() after Reset = %v; want unknown", r.Framing())
	}
	if got := readAll(t, r, 3); !sameEvents(got, append(recs("x", "y"), eof())) {
		t.Fatalf("second stream: %v", got)
	}
}

// TestOffsetsBeyondBuffer checks that offsets stay stream offsets after the buffer has been refilled.
func TestOffsetsBeyondBuffer(t *testing.T) {
	for _, f := range []Framing{FramingLF, FramingOctet} {
		t.Run("framing="+f.String(), func(t *testing.T) {
			var stream []byte
			line := strings.Repeat("r", 999)
			for range 300 { // ~300 KB: several buffer fills
				stream = f.Append(stream, []byte(line))
			}
			off := len(stream)
			stream = f.Append(stream, []byte(strings.Repeat("o", 1001)))
			stream = f.Append(stream, []byte("end"))
			got := readAll(t, NewReader(bytes.NewReader(stream), 1000), len(stream))
			want := append(appendRecs(nil, slicesRepeat(line, 300)...), over(int64(off), 1001), rec("end"), eof())
			if !sameEvents(got, want) {
				t.Errorf("tail events = %v; want %v", short(got[max(0, len(got)-3):]), short(want[len(want)-3:]))
			}
		})
	}
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestErrorsText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&OversizeError{Offset: 7, Len: 70000, Max: 65536}, "framing: record at offset 7 is 70000 bytes, over the maximum of 65536"},
		{&FrameError{Offset: 3, Msg: "length has a leading zero"}, "framing: octet counting at offset 3: length has a leading zero"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q; want %q", got, tc.want)
		}
	}
}

func TestParseFraming(t *testing.T) {
	for _, f := range []Framing{FramingLF, FramingOctet} {
		if got, err := ParseFraming(f.String()); got != f || err != nil {
			t.Errorf("ParseFraming(%q) = %v, %v; want %v, nil", f.String(), got, err, f)
		}
	}
	if _, err := ParseFraming("rfc5425"); err == nil || !strings.Contains(err.Error(), `"rfc5425"`) {
		t.Errorf(`ParseFraming("rfc5425") error = %v; want one quoting the input`, err)
	}
	if got := FramingUnknown.String(); got != "unknown" {
		t.Errorf("FramingUnknown.String() = %q", got)
	}
}

func TestAppend(t *testing.T) {
	tests := []struct {
		f    Framing
		msg  string
		want string
	}{
		{FramingLF, "abc", "pre|abc\n"},
		{FramingLF, "", "pre|\n"},
		{FramingOctet, "abc", "pre|3 abc"},
		{FramingOctet, "", "pre|0 "},
		{FramingOctet, strings.Repeat("a", 1234), "pre|1234 " + strings.Repeat("a", 1234)},
	}
	for _, tc := range tests {
		if got := string(tc.f.Append([]byte("pre|"), []byte(tc.msg))); got != tc.want {
			t.Errorf("%v.Append(%q) = %q; want %q", tc.f, tc.msg, got, tc.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("FramingUnknown.Append did not panic")
		}
	}()
	FramingUnknown.Append(nil, nil)
}
