package reports_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports"
)

func TestThisBuild(t *testing.T) {
	m := reports.ThisBuild()
	if m.Version == "" || m.GoVersion != runtime.Version() || !strings.HasPrefix(m.Machine, runtime.GOOS+"/"+runtime.GOARCH+", ") {
		t.Errorf("ThisBuild() = version %q, go %q, machine %q", m.Version, m.GoVersion, m.Machine)
	}
	if m.Scenario != "" || m.Target != "" {
		t.Errorf("ThisBuild() describes more than the build: %+v", m)
	}
}
