package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

func TestReplayOffsets(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name  string
		lines []string
		want  []time.Duration
		err   string
	}{
		{name: "syslog stamps, two in one second", lines: []string{
			"Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3| act=Drop",
			"Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3| act=Drop",
			"Jun 11 02:52:46 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3| act=Drop",
		}, want: []time.Duration{0, 500 * ms, 2 * time.Second}},
		{name: "PRI and rt fallback", lines: []string{
			"<134>Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed",
			"CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed rt=Jun 11 2024 02:52:45 src=1.1.1.1",
		}, want: []time.Duration{0, time.Second}},
		{name: "a second back keeps order", lines: []string{
			"Jun 11 02:52:45 h CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3| act=Drop",
			"Jun 11 02:52:44 h CEF:0|Zscaler|NSSFWlog|5.7|Drop|x|3| act=Drop",
		}, want: []time.Duration{0, 0}},
		{name: "untimed records come with their neighbour", lines: []string{"garbage", "Jun 11 02:52:44 h x", "garbage", "Jun 11 02:52:45 h x"},
			want: []time.Duration{0, 333333333, 666666666, time.Second}},
		{name: "no time at all", lines: []string{"garbage", "more garbage"}, err: "no record has a syslog timestamp"},
		{name: "back in time", lines: []string{"Jun 11 02:52:44 h x", "Jun 11 02:50:00 h x"}, err: ":2: time goes back 164s"},
		{name: "empty", lines: nil, err: "no records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.log")
			body := strings.Join(tt.lines, "\n")
			if body != "" {
				body += "\n"
			}
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReplayOffsets(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ReplayOffsets() error = %v; want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ReplayOffsets() = %v; want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("ReplayOffsets() = %v; want %v", got, tt.want)
				}
			}
		})
	}
}

// TestReplayLimit: the scenario's count always cuts a replay short, its duration only when given on the
// command line.
func TestReplayLimit(t *testing.T) {
	s := &Scenario{Count: 5, Duration: time.Second}
	if got := s.ReplayLimit(false); got != (pacer.Limit{Count: 5}) {
		t.Errorf("ReplayLimit(false) = %+v; want the count only", got)
	}
	if got := s.ReplayLimit(true); got != (pacer.Limit{Count: 5, Duration: time.Second}) {
		t.Errorf("ReplayLimit(true) = %+v; want the count and the duration", got)
	}
}
