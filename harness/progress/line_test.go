package progress

import (
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	p := Snapshot{Elapsed: 2 * time.Second, Due: 200, Sent: 150, Verdicts: 100, Behind: 3, P99: 1234567 * time.Nanosecond}
	if got, want := p.Line(10*time.Second), "2s/10s  due 200  sent 150  backlog 50  achieved 50/s  verdicts 100  behind 3  e2e p99 (last 1s) 1.235ms"; got != want {
		t.Errorf("Line = %q; want %q", got, want)
	}
	if got, want := p.SinkLine(), "2s  due 200  delivered 100  e2e p99 (last 1s, includes the clock offset) 1.235ms"; got != want {
		t.Errorf("SinkLine = %q; want %q", got, want)
	}
	p.P99 = 0 // nothing decided in the last second
	if got, want := p.Line(0), "2s  due 200  sent 150  backlog 50  achieved 50/s  verdicts 100  behind 3  e2e p99 (last 1s) -"; got != want {
		t.Errorf("Line without a p99 = %q; want %q", got, want)
	}
	p.Elapsed = -3 * time.Second
	if got, want := p.SinkLine(), "the schedule starts in 3s"; got != want {
		t.Errorf("SinkLine before t=0 = %q; want %q", got, want)
	}
}
