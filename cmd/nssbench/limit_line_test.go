package main

import (
	"strings"
	"testing"
)

// TestRunLimitLine: the report's limit line of real embedded runs, from the command line: a collector
// slowed by -cost below the offered rate limits the run; a low rate is sustained (none), or, on a
// machine so loaded that the sender itself fell behind, limited by the sender, never the collector.
func TestRunLimitLine(t *testing.T) {
	code, out, errOut := runCLI(t, "", "run", "-quiet", "-scenario", "smoke", "-cost", "500us", "-rate", "8000/s", "-duration", "1s", "-drain", "20s")
	if code != exitOK && code != exitConformance {
		t.Fatalf("run -cost: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "limited by: collector (") {
		t.Errorf("run -cost 500us at 8000/s: want limited by the collector:\n%s", out)
	}
	code, out, errOut = runCLI(t, "", "run", "-quiet", "-scenario", "smoke", "-rate", "200/s", "-duration", "1s")
	if code != exitOK {
		t.Fatalf("run at 200/s: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "limited by: none (the offered rate was sustained") && !strings.Contains(out, "limited by: sender (") {
		t.Errorf("run at 200/s: want limited by none (or the sender on a very busy machine):\n%s", out)
	}
}
