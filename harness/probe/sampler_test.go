package probe

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSource replays readings, then repeats its last one; err, when set, is returned after them.
type fakeSource struct {
	mu       sync.Mutex
	readings []reading
	err      error
	n        int
}

func (f *fakeSource) sample() (reading, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n < len(f.readings) {
		f.n++
		return f.readings[f.n-1], nil
	}
	if f.err != nil {
		return reading{}, f.err
	}
	return f.readings[len(f.readings)-1], nil
}

// TestSamplerNotes: how sampling ends or falls short is said in the summary's note, never a silent zero.
func TestSamplerNotes(t *testing.T) {
	ok := reading{delta: 1, rss: 10, procs: 1}
	for _, c := range []struct {
		name     string
		src      *fakeSource
		note     string // prefix
		ended    bool   // sampling ends by itself
		minCount int
	}{
		{"exited", &fakeSource{readings: []reading{ok, ok, {exited: true}}}, "target exited at ", true, 2},
		{"exited as a zombie", &fakeSource{readings: []reading{ok, ok, {exited: true, procs: 1, delta: 3}}}, "target exited at ", true, 3},
		{"exited at start", &fakeSource{readings: []reading{{exited: true}}}, "target exited at ", true, 0},
		{"failed", &fakeSource{readings: []reading{ok, ok}, err: errors.New("permission denied")}, "sampling failed at ", true, 2},
		{"truncated", &fakeSource{readings: []reading{ok, {delta: 1, rss: 10, procs: maxTreeSize, truncated: true}, ok}},
			"the process tree had more than 4096 processes", false, 3},
		{"fine", &fakeSource{readings: []reading{ok}}, "", false, 3},
	} {
		s := start(context.Background(), 42, "fake", c.src, 0.01, Options{Interval: time.Millisecond})
		if c.ended {
			select {
			case <-s.Done():
			case <-time.After(5 * time.Second):
				t.Fatalf("%s: sampling did not end", c.name)
			}
		} else {
			time.Sleep(20 * time.Millisecond)
		}
		u := s.Stop()
		if c.note == "" && u.Note != "" || !strings.HasPrefix(u.Note, c.note) || u.Samples < c.minCount {
			t.Errorf("%s: note %q, %d samples; want note %q…, at least %d samples", c.name, u.Note, u.Samples, c.note, c.minCount)
		}
		if u.Partial != c.ended { // sampling that ended by itself covers part of the run only
			t.Errorf("%s: partial %v; want %v", c.name, u.Partial, c.ended)
		}
		if u.PID != 42 || u.Command != "fake" {
			t.Errorf("%s: pid %d command %q", c.name, u.PID, u.Command)
		}
	}
}

// TestSamplerContext: sampling ends with its context, with a last sample up to the end.
func TestSamplerContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := start(ctx, 1, "fake", &fakeSource{readings: []reading{{rss: 1, procs: 1}}}, 0.01, Options{Interval: time.Hour})
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("sampling did not end with its context")
	}
	if u := s.Stop(); u.Samples != 2 || u.Elapsed < 10*time.Millisecond || u.Note != "" {
		t.Errorf("usage %+v; want the baseline and a last sample ≥ 10ms later, no note", u)
	}
}
