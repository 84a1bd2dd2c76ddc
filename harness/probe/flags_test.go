package probe

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

var _ flag.Value = (*Series)(nil)

// TestResolve: a negative or missing pid and series without an endpoint are refused in the flags'
// words; without a pid, self decides whether nssbench samples itself.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    Target
		self bool
		err  string
		want bool // Self
	}{
		{"nothing, embedded", Target{}, true, "", true},
		{"nothing, external", Target{}, false, "", false},
		{"this process", Target{PID: os.Getpid()}, true, "", false},
		{"negative pid", Target{PID: -3}, true, "-target-pid -3: want a process id", false},
		{"no such process", Target{PID: 1 << 30}, true, "-target-pid: target ", false},
		{"series without metrics", Target{Series: []string{"x_total"}}, false, "-target-series needs -target-metrics", false},
		{"series with metrics", Target{Series: []string{"x_total"}, Metrics: "http://127.0.0.1:1/metrics"}, false, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.t.Resolve(tc.self)
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
				if tc.name == "no such process" && !errors.Is(err, ErrNoProcess) {
					t.Errorf("error %v does not wrap ErrNoProcess", err)
				}
				return
			}
			if err != nil || got.Self != tc.want {
				t.Errorf("Resolve(%t) = %+v, %v; want Self %t", tc.self, got, err, tc.want)
			}
		})
	}
	var s Series
	if err := s.Set(" "); err == nil {
		t.Error("a blank series name was taken")
	}
	if s.Set("a") != nil || s.Set("b") != nil || s.String() != "a, b" {
		t.Errorf("series %q; want a, b", s.String())
	}
}
