package output

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/render"
)

// text returns a writer function that writes s.
func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

var errWrite = errors.New("disk full")

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.md")
	fail := func(io.Writer) error { return errWrite }
	tests := []struct {
		name           string
		text           func(io.Writer) error
		outs           []Output
		stdout, stderr string
		files          map[string]string
		wantErr        error
	}{
		{name: "text only", text: text("T"), outs: []Output{{"", text("A")}}, stdout: "T"},
		{name: "text and files", text: text("T"), outs: []Output{{a, text("A")}, {b, text("B")}}, stdout: "T",
			stderr: "nssbench x: wrote " + a + "\nnssbench x: wrote " + b + "\n", files: map[string]string{a: "A", b: "B"}},
		{name: "an output on stdout", text: text("T"), outs: []Output{{"-", text("A")}, {b, text("B")}}, stdout: "A",
			stderr: "nssbench x: wrote " + b + "\n", files: map[string]string{b: "B"}},
		{name: "two on stdout", text: text("T"), outs: []Output{{"-", text("A")}, {"-", text("B")}}, wantErr: ErrTwoStdout},
		{name: "text fails", text: fail, outs: []Output{{a, text("A")}}, wantErr: errWrite},
		{name: "file fails", text: text("T"), outs: []Output{{a, fail}}, stdout: "T", wantErr: errWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(a)
			os.Remove(b)
			var stdout, stderr bytes.Buffer
			err := Files{Stdout: &stdout, Stderr: &stderr, Cmd: "nssbench x"}.WriteAll(tt.text, tt.outs...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("WriteAll: %v; want %v", err, tt.wantErr)
			}
			if stdout.String() != tt.stdout || stderr.String() != tt.stderr {
				t.Errorf("stdout %q, stderr %q; want %q, %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
			for path, want := range tt.files {
				if got, err := os.ReadFile(path); err != nil || string(got) != want {
					t.Errorf("%s: %q, %v; want %q", path, got, err, want)
				}
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "a.json")
	var stderr bytes.Buffer
	if err := (Files{Stderr: &stderr, Cmd: "nssbench x"}).Write(path, text("A")); err == nil || stderr.Len() > 0 {
		t.Errorf("Write into a missing directory: %v, stderr %q", err, stderr.String())
	}
}

// report is a small run's report.
func report() *reports.Report {
	r := reports.NewRecorder(reports.RecorderConfig{Start: time.Unix(1_750_000_000, 0)})
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
	for i := int64(0); i < 10; i++ {
		r.Offered(i)
		r.Verdict(0, v, reports.Timing{Scheduled: i, Decided: i + int64(time.Millisecond)})
	}
	return r.Report(reports.Meta{Scenario: "x", Duration: time.Second})
}

func TestReport(t *testing.T) {
	rep := report()
	render := func(r reports.Renderer) string {
		var buf bytes.Buffer
		if err := r.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	dir := t.TempDir()
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name    string
		paths   ReportPaths
		summary bool
		stdout  string
		files   map[string]string // file → its content's start
	}{
		{name: "text", stdout: render(reports.Text)},
		{name: "summary", summary: true, stdout: render(reports.Summary)},
		{name: "files", paths: ReportPaths{JSON: in("r.json"), Markdown: in("r.md"), HTML: in("r.html"), JUnit: in("r.xml")}, stdout: render(reports.Text),
			files: map[string]string{in("r.json"): render(reports.JSON), in("r.md"): render(reports.Markdown), in("r.html"): "<!DOCTYPE html>",
				in("r.xml"): render(reports.JUnit)}},
		{name: "JSON on stdout", paths: ReportPaths{JSON: "-", Markdown: in("s.md")}, stdout: render(reports.JSON),
			files: map[string]string{in("s.md"): render(reports.Markdown)}},
		{name: "JUnit on stdout", paths: ReportPaths{JUnit: "-"}, summary: true, stdout: render(reports.JUnit)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := (Files{Stdout: &stdout, Stderr: &stderr, Cmd: "nssbench run"}).Report(rep, tt.paths.Text(tt.summary), tt.paths); err != nil {
				t.Fatal(err)
			}
			if stdout.String() != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tt.stdout)
			}
			if n := strings.Count(stderr.String(), "nssbench run: wrote "); n != len(tt.files) {
				t.Errorf("stderr %q: %d confirmations; want %d", stderr.String(), n, len(tt.files))
			}
			for path, want := range tt.files {
				if got, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(got), want) {
					t.Errorf("%s: %.60q, %v; want it to start with %.60q", path, got, err, want)
				}
			}
		})
	}
	if (ReportPaths{}).Any() || !(ReportPaths{HTML: "r.html"}).Any() {
		t.Error("Any: want false with no path, true with one")
	}
}

func TestRender(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	// upper renders a string in upper case, lower as it is; fail fails.
	upper := render.Func[string](func(w io.Writer, s string) error { _, err := io.WriteString(w, strings.ToUpper(s)); return err })
	lower := render.Func[string](func(w io.Writer, s string) error { _, err := io.WriteString(w, s); return err })
	fail := render.Func[string](func(io.Writer, string) error { return errWrite })
	tests := []struct {
		name           string
		text           render.Renderer[string]
		formats        []Format[string]
		stdout, stderr string
		file           string // a's content, "" none
		wantErr        string
	}{
		{name: "text only", text: upper, formats: []Format[string]{{"", lower}}, stdout: "V"},
		{name: "no text", formats: []Format[string]{{a, lower}}, stderr: "nssbench x: wrote " + a + "\n", file: "v"},
		{name: "text and a file", text: upper, formats: []Format[string]{{a, lower}}, stdout: "V", stderr: "nssbench x: wrote " + a + "\n", file: "v"},
		{name: "a format on stdout", text: upper, formats: []Format[string]{{"-", lower}, {a, upper}}, stdout: "v",
			stderr: "nssbench x: wrote " + a + "\n", file: "V"},
		{name: "text fails", text: fail, formats: []Format[string]{{a, lower}}, wantErr: "write result: disk full"},
		{name: "file fails", text: upper, formats: []Format[string]{{a, fail}}, stdout: "V", wantErr: "write " + a + ": disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(a)
			var stdout, stderr bytes.Buffer
			err := Render(Files{Stdout: &stdout, Stderr: &stderr, Cmd: "nssbench x"}, "v", tt.text, "result", tt.formats...)
			if (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
				t.Fatalf("Render: %v; want %q", err, tt.wantErr)
			}
			if stdout.String() != tt.stdout || stderr.String() != tt.stderr {
				t.Errorf("stdout %q, stderr %q; want %q, %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
			if got, _ := os.ReadFile(a); string(got) != tt.file && tt.wantErr == "" {
				t.Errorf("%s: %q; want %q", a, got, tt.file)
			}
		})
	}
}
