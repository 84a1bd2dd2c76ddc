package replicates

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/output"
)

// report is a run of 1,000 records over a second, each decided latency (±1 %, by jitter) after it was
// scheduled.
func report(t *testing.T, latency time.Duration, jitter int, meta reports.Meta) *reports.Report {
	t.Helper()
	r := reports.NewRecorder(reports.RecorderConfig{Start: time.Unix(1_750_000_000, 0)})
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
	lat := int64(latency) + int64(jitter)*int64(latency)/100
	for i := int64(0); i < 1000; i++ {
		at := i * int64(time.Millisecond)
		r.Offered(at)
		r.Verdict(0, v, reports.Timing{Scheduled: at, Written: at, Received: at, Decided: at + lat})
	}
	if meta.Scenario == "" {
		meta.Scenario = "default"
	}
	meta.TargetKind, meta.Duration = reports.TargetEmbedded, time.Second
	return r.Report(meta)
}

// write saves rep at path.
func write(t *testing.T, path string, rep *reports.Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.JSON.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// side is a side of in-memory reports, named DIR/run-i.json.
func side(dir string, reps ...*reports.Report) *Side {
	s := &Side{Path: dir, Reports: reps}
	for i := range reps {
		s.Paths = append(s.Paths, File(dir, "run", i+1))
	}
	return s
}

func TestNames(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{name: "empty"},
		{name: "replicate order", files: []string{"run-10.json", "run-2.json", "run-1.json"}, want: []string{"run-1.json", "run-2.json", "run-10.json"}},
		{name: "reports only", files: []string{"step-1.json", "notes.txt", "sub.json/"}, want: []string{"step-1.json"}},
		{name: "then by name", files: []string{"b.json", "a.json", "ab.json"}, want: []string{"a.json", "b.json", "ab.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				var err error
				if d, ok := strings.CutSuffix(f, "/"); ok {
					err = os.Mkdir(filepath.Join(dir, d), 0o755)
				} else {
					err = os.WriteFile(filepath.Join(dir, f), nil, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := Names(dir)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Names = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := Names(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Names of a missing directory: no error")
	}
	if got, want := File("d", "step", 3), filepath.Join("d", "step-3.json"); got != want {
		t.Errorf("File = %q; want %q", got, want)
	}
}

// TestCheckRepeat: -repeat 1 goes with anything, more runs need a directory and refuse a single run's
// outputs and start time.
func TestCheckRepeat(t *testing.T) {
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		n     int
		paths output.ReportPaths
		at    time.Time
		want  string
	}{
		{1, output.ReportPaths{Markdown: "x.md"}, at, ""},
		{3, output.ReportPaths{JSON: "dir"}, time.Time{}, ""},
		{0, output.ReportPaths{}, time.Time{}, "-repeat 0: want 1 or more runs"},
		{2, output.ReportPaths{}, time.Time{}, "-repeat N writes run-1.json … run-N.json into a directory: give it with -json DIR (old name -out)"},
		{2, output.ReportPaths{JSON: "dir", JUnit: "j.xml"}, time.Time{}, "-md, -html and -junit write a single run's report: with -repeat, render a replicate afterwards with 'report render'"},
		{2, output.ReportPaths{JSON: "dir"}, at, "-start-at starts one run at a wall-clock time; it cannot start every replicate"},
	}
	for _, tt := range tests {
		err := CheckRepeat(tt.n, tt.paths, tt.at)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want) {
			t.Errorf("CheckRepeat(%d, %+v, %v) = %v; want %q", tt.n, tt.paths, tt.at, err, tt.want)
		}
	}
}

func TestPrepareDir(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		wantErr string
	}{
		{name: "new"},
		{name: "empty", files: []string{}},
		{name: "no report", files: []string{"README"}},
		{name: "a report", files: []string{"run-1.json"}, wantErr: "already holds 1 report(s) (run-1.json…)"},
		{name: "reports", files: []string{"run-2.json", "run-1.json"}, wantErr: "already holds 2 report(s) (run-1.json…)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "reps")
			if tt.files != nil {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := PrepareDir(dir)
			if tt.wantErr == "" {
				if st, serr := os.Stat(dir); err != nil || serr != nil || !st.IsDir() {
					t.Errorf("PrepareDir: %v (stat: %v)", err, serr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("PrepareDir: %v; want %q", err, tt.wantErr)
			}
		})
	}
}

func TestReadSide(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.json")
	write(t, one, report(t, time.Millisecond, 0, reports.Meta{Seed: 1}))
	reps := filepath.Join(dir, "reps")
	empty := filepath.Join(dir, "empty")
	bad := filepath.Join(dir, "bad")
	for _, d := range []string{reps, empty, bad} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{10, 2, 1} {
		write(t, File(reps, "run", i), report(t, time.Millisecond, 0, reports.Meta{Seed: uint64(i)}))
	}
	if err := os.WriteFile(File(bad, "run", 1), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		seeds   []uint64
		wantErr string
	}{
		{name: "file", path: one, seeds: []uint64{1}},
		{name: "directory", path: reps, seeds: []uint64{1, 2, 10}},
		{name: "empty directory", path: empty, wantErr: "no report (*.json) in the directory"},
		{name: "bad report", path: bad, wantErr: File(bad, "run", 1) + ": decode report"},
		{name: "missing", path: filepath.Join(dir, "missing"), wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadSide(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadSide: %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var seeds []uint64
			for i, r := range s.Reports {
				seeds = append(seeds, r.Meta.Seed)
				if want := tt.path; s.Paths[i] != want && filepath.Dir(s.Paths[i]) != want {
					t.Errorf("path %q is not in %q", s.Paths[i], want)
				}
			}
			if s.Path != tt.path || !slices.Equal(seeds, tt.seeds) || len(s.Paths) != len(s.Reports) {
				t.Errorf("side %q: paths %q, seeds %v; want seeds %v", s.Path, s.Paths, seeds, tt.seeds)
			}
		})
	}
}

// TestReadSides: both sides are read; the first that cannot be is the error. IsSide tells a side from
// a flag's value.
func TestReadSides(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.json")
	write(t, one, report(t, time.Millisecond, 0, reports.Meta{Seed: 1}))
	if b, c, err := ReadSides(one, one); err != nil || len(b.Reports) != 1 || len(c.Reports) != 1 {
		t.Errorf("ReadSides(one, one) = %v, %v, %v", b, c, err)
	}
	for _, args := range [][2]string{{"missing.json", one}, {one, "missing.json"}} {
		if _, _, err := ReadSides(args[0], args[1]); err == nil || !strings.Contains(err.Error(), "missing.json") {
			t.Errorf("ReadSides(%q, %q) error = %v; want the missing side's", args[0], args[1], err)
		}
	}
	for path, want := range map[string]bool{one: true, dir: true, "later.json": true, "out.md": false, filepath.Join(dir, "none"): false} {
		if got := IsSide(path); got != want {
			t.Errorf("IsSide(%q) = %v; want %v", path, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	ms := time.Millisecond
	def := func() *reports.Report { return report(t, ms, 0, reports.Meta{}) }
	smoke := func() *reports.Report { return report(t, ms, 0, reports.Meta{Scenario: "smoke"}) }
	tests := []struct {
		name      string
		base, cur *Side
		force     bool
		ok        bool
		lines     []string // prefixes of the lines, in order
	}{
		{name: "same experiment", base: side("a", def(), def()), cur: side("b", def(), def()), ok: true},
		{name: "a replicate of another", base: side("a", def(), smoke()), cur: side("b", def()), ok: false,
			lines: []string{"a/run-1.json and a/run-2.json ran different experiments; -force compares them anyway:", `  scenario: "default" vs "smoke"`, "  not compared"}},
		{name: "forced", base: side("a", def(), smoke()), cur: side("b", def()), force: true, ok: true,
			lines: []string{"-force: a/run-1.json vs a/run-2.json: different experiments, compared anyway: [scenario"}},
		{name: "forced single reports", base: side("a", def()), cur: side("b", smoke()), force: true, ok: true},
		{name: "single reports", base: side("a", def()), cur: side("b", smoke()), ok: false,
			lines: []string{"a/run-1.json and b/run-1.json ran different experiments", `  scenario: "default" vs "smoke"`, "  not compared"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, ok := Check(tt.base, tt.cur, tt.force)
			if ok != tt.ok || len(lines) != len(tt.lines) {
				t.Fatalf("Check = %v, %q; want %v and %d lines", ok, lines, tt.ok, len(tt.lines))
			}
			for i, want := range tt.lines {
				if want = filepath.FromSlash(want); !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d: %q; want it to start with %q", i, lines[i], want)
				}
			}
		})
	}
}

func TestCompare(t *testing.T) {
	ms := time.Millisecond
	reps := func(latency time.Duration, jitters ...int) []*reports.Report {
		var out []*reports.Report
		for _, j := range jitters {
			out = append(out, report(t, latency, j, reports.Meta{}))
		}
		return out
	}
	interrupted := report(t, ms, 0, reports.Meta{Interrupted: true})
	tests := []struct {
		name      string
		base, cur []*reports.Report
		margins   abtest.Margins
		regressed bool
		signal    bool // the replicates' regression signal, not the point comparison
		wantErr   string
		unknown   bool
	}{
		{name: "single, same", base: reps(ms, 0), cur: reps(ms, 0), margins: abtest.Margins{All: 0.05}},
		{name: "single, slower", base: reps(ms, 0), cur: reps(3*ms, 0), margins: abtest.Margins{All: 0.05}, regressed: true},
		{name: "single, slower within the margin", base: reps(ms, 0), cur: reps(3*ms, 0), margins: abtest.Margins{All: 3}},
		{name: "replicates, same", base: reps(ms, 0, 1, -1), cur: reps(ms, 1, 0, -1), margins: abtest.Margins{All: 0.05}, signal: true},
		{name: "replicates, slower", base: reps(ms, 0, 1, -1), cur: reps(2*ms, 1, 0, -1), margins: abtest.Margins{All: 0.05}, signal: true, regressed: true},
		{name: "replicates, slower within a per-metric margin", base: reps(ms, 0, 1, -1), cur: reps(2*ms, 1, 0, -1),
			margins: abtest.Margins{All: 0.05, Per: map[string]float64{"e2e.p99": 2, "e2e.p50": 2, "e2e.p99.9": 2}}, signal: true},
		{name: "replicates, one side single", base: reps(ms, 0), cur: reps(2*ms, 1, 0, -1), margins: abtest.Margins{All: 0.05}, signal: true},
		{name: "unknown metric", base: reps(ms, 0, 1), cur: reps(ms, 1, 0), margins: abtest.Margins{All: 0.05, Per: map[string]float64{"e2e.p98": 1}},
			wantErr: "e2e.p98: no such metric", unknown: true},
		{name: "single reports, per-metric margin", base: reps(ms, 0), cur: reps(ms, 0), margins: abtest.Margins{All: 0.05, Per: map[string]float64{"e2e.p99": 1}},
			wantErr: ErrPerMetricMargin.Error()},
		{name: "interrupted replicate", base: reps(ms, 0, 1), cur: []*reports.Report{interrupted, interrupted}, margins: abtest.Margins{All: 0.05},
			wantErr: filepath.Join("b", "run-1.json") + " is an interrupted run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Compare(side("a", tt.base...), side("b", tt.cur...), tt.margins)
			if tt.wantErr != "" {
				var um *abtest.UnknownMetricError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errors.As(err, &um) != tt.unknown {
					t.Fatalf("Compare: %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Regressed != tt.regressed {
				t.Errorf("Regressed = %v; want %v", res.Regressed, tt.regressed)
			}
			var text, js, md bytes.Buffer
			for _, w := range []struct {
				fn  func(w *bytes.Buffer) error
				buf *bytes.Buffer
			}{{func(b *bytes.Buffer) error { return res.Text(b) }, &text}, {func(b *bytes.Buffer) error { return res.JSON(b) }, &js},
				{func(b *bytes.Buffer) error { return res.Markdown(b) }, &md}} {
				if err := w.fn(w.buf); err != nil || w.buf.Len() == 0 {
					t.Fatalf("render: %v (%d bytes)", err, w.buf.Len())
				}
			}
			var sig struct {
				Schema   string         `json:"schema"`
				Verdict  abtest.Verdict `json:"verdict"`
				ExitCode int            `json:"exitCode"`
			}
			if err := json.Unmarshal(js.Bytes(), &sig); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if got := sig.Schema == abtest.Schema; got != tt.signal {
				t.Errorf("JSON schema %q: signal %v; want %v", sig.Schema, got, tt.signal)
			}
			if tt.signal && (sig.ExitCode == abtest.ExitRegressed) != tt.regressed {
				t.Errorf("signal %s, exit %d; regressed want %v", sig.Verdict, sig.ExitCode, tt.regressed)
			}
		})
	}
}
