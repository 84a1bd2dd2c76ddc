package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// TestSetupOpen: a recording is judged, paced at its times × speed within the limit and described;
// another framing than the recording's, or a speed of 0, is refused.
func TestSetupOpen(t *testing.T) {
	pl, _, err := pipeline.Load("", "", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, "rec.log", lf())
	base := Setup{Path: path, Options: Options{Pipeline: pl}, Speed: 2, Limit: pacer.Limit{Count: 3}}
	for _, tc := range []struct {
		name   string
		change func(*Setup)
		err    string
		desc   string
	}{
		{"reference verdicts", func(*Setup) {}, "", "ground truth: the reference pipeline's verdict of each line"},
		{"named truth, its own framing", func(s *Setup) { s.Truth, s.Framing = "corpus x's expected verdicts", "lf" }, "", "ground truth: corpus x's expected verdicts"},
		{"other framing", func(s *Setup) { s.Framing = "octet" }, "-framing octet: the recording " + path + " is framed lf, and -replay keeps its framing", ""},
		{"speed 0", func(s *Setup) { s.Speed = 0 }, "speed 0 must be > 0", ""},
		{"no file", func(s *Setup) { s.Path += ".missing" }, "no such file", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			tc.change(&s)
			r, err := s.Open()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Open() error %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := "replay of " + path + ": 5 recorded lines ("
			if !strings.HasPrefix(r.Description, want) || !strings.HasSuffix(r.Description, tc.desc) {
				t.Errorf("description %q; want %q … %q", r.Description, want, tc.desc)
			}
			if r.Source.Recording().Len() != 5 || r.Pacer.Speed != 2 || r.Pacer.Limit.Count != 3 || len(r.Pacer.Offsets) != 5 || r.Pacer.Offsets[3] != time.Second {
				t.Errorf("pacer %+v; want the recording's 5 offsets at speed 2, at most 3 records", r.Pacer)
			}
		})
	}
}
