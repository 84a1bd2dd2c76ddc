// Package replicates is the directory side of replicated runs: 'run -repeat N' and 'sweep -replicates
// DIR' write one report per run into a directory (File, PrepareDir), and 'report compare' reads a report
// file or such a directory on either side (ReadSide), refuses sides of different experiments (Check) and
// compares them: a point comparison of two single reports (reports.Compare), the statistics of
// reports.CompareReplicates as soon as a side has two or more (Compare).
package replicates

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/output"
)

// File is the name of the i-th (1-based) report of a directory of replicates, e.g. DIR/run-3.json for
// the prefix "run".
func File(dir, prefix string, i int) string {
	return filepath.Join(dir, prefix+"-"+strconv.Itoa(i)+".json")
}

// CheckRepeat checks what goes with run -repeat n: n is 1 or more, and n > 1 needs a directory for the
// replicates (paths.JSON, -json DIR) and refuses the outputs (-md, -html, -junit) and the start time
// (-start-at, startAt not zero) that belong to a single run. Its errors name the flags.
func CheckRepeat(n int, paths output.ReportPaths, startAt time.Time) error {
	switch {
	case n < 1:
		return fmt.Errorf("-repeat %d: want 1 or more runs", n)
	case n == 1:
		return nil
	case paths.JSON == "":
		return errors.New("-repeat N writes run-1.json … run-N.json into a directory: give it with -json DIR (old name -out)")
	case paths.Markdown != "" || paths.HTML != "" || paths.JUnit != "":
		return errors.New("-md, -html and -junit write a single run's report: with -repeat, render a replicate afterwards with 'report render'")
	case !startAt.IsZero():
		return errors.New("-start-at starts one run at a wall-clock time; it cannot start every replicate")
	}
	return nil
}

// PrepareDir creates dir if needed and refuses one that already holds reports (*.json): a later
// comparison reads every report of the directory, so an old one would pass for a replicate of the new
// runs.
func PrepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names, err := Names(dir)
	if err != nil {
		return err
	}
	if len(names) > 0 {
		return fmt.Errorf("%s already holds %d report(s) (%s…): 'report compare' would read them as replicates; remove them or choose another directory",
			dir, len(names), names[0])
	}
	return nil
}

// Names returns the names of the *.json files of dir, in replicate order: shorter names first, so that
// run-2.json comes before run-10.json.
func Names(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, de := range entries {
		if !de.IsDir() && strings.HasSuffix(de.Name(), ".json") {
			names = append(names, de.Name())
		}
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
	return names, nil
}

// Side is one side of a comparison: a report file, or a directory of replicate reports.
type Side struct {
	Path    string            // as given: the file or the directory
	Paths   []string          // each report's file, in replicate order
	Reports []*reports.Report // each report, as Paths
}

// ReadSide reads one side of a comparison: the report file at path, or every report (*.json, see Names)
// of the directory at path.
func ReadSide(path string) (*Side, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	s := &Side{Path: path, Paths: []string{path}}
	if st.IsDir() {
		names, err := Names(path)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: no report (*.json) in the directory", path)
		}
		s.Paths = s.Paths[:0]
		for _, n := range names {
			s.Paths = append(s.Paths, filepath.Join(path, n))
		}
	}
	if s.Reports, err = reports.ReadFiles(s.Paths...); err != nil {
		return nil, err
	}
	return s, nil
}

// IsSide reports whether path may name a side, as an argument of 'report compare' and not the value of
// a flag: a report file (*.json) or a directory.
func IsSide(path string) bool {
	st, err := os.Stat(path)
	return strings.HasSuffix(path, ".json") || err == nil && st.IsDir()
}

// ReadSides reads the two sides of a comparison (ReadSide).
func ReadSides(base, cur string) (*Side, *Side, error) {
	b, err := ReadSide(base)
	if err != nil {
		return nil, nil, err
	}
	c, err := ReadSide(cur)
	return b, c, err
}

// Replicated reports whether either side has two or more reports, which Compare compares with
// statistics.
func Replicated(base, cur *Side) bool { return len(base.Reports) > 1 || len(cur.Reports) > 1 }

// Check applies reports.Incomparable to the first base report and every other report of either side:
// the replicates of a side must be runs of one experiment too, and since every field must be equal,
// each pair of reports then is. It returns why, one line each (lines that start with two spaces go on
// with the line before), and ok false when a report differs. With force ok is true, but the lines still
// name every difference a replicate comparison compares anyway (its regression signal has no place for
// them).
func Check(base, cur *Side, force bool) (lines []string, ok bool) {
	ok = true
	first, firstPath := base.Reports[0], base.Paths[0]
	others := slices.Concat(base.Reports[1:], cur.Reports)
	paths := slices.Concat(base.Paths[1:], cur.Paths)
	for i, r := range others {
		if force && len(others) > 1 {
			if d := reports.Differences(&first.Meta, &r.Meta); len(d) > 0 {
				lines = append(lines, fmt.Sprintf("-force: %s vs %s: different experiments, compared anyway: %v", firstPath, paths[i], d))
			}
		}
		if l := reports.Incomparable(firstPath, paths[i], first, r); !force && len(l) > 0 {
			lines, ok = append(lines, l...), false
		}
	}
	return lines, ok
}

// Result is the outcome of a comparison in each format it is written in, and whether it regressed.
type Result struct {
	Text, JSON, Markdown func(io.Writer) error
	// Regressed is true on a regression: with replicates a confident one (abtest.ExitRegressed).
	Regressed bool
}

// ErrPerMetricMargin is Compare's error for per-metric margins given to two single reports.
var ErrPerMetricMargin = errors.New("a per-metric -margin needs replicates: a directory of two or more reports on a side")

// Compare compares two sides. Two single reports get the point comparison of reports.Compare with the
// margin m.All (m.Per is for replicates only: ErrPerMetricMargin); otherwise the reports, none of them an
// interrupted run, get the statistics of reports.CompareReplicates with the margins m. A per-metric
// margin that names no metric of the comparison is an *abtest.UnknownMetricError.
func Compare(base, cur *Side, m abtest.Margins) (*Result, error) {
	if !Replicated(base, cur) && len(m.Per) > 0 {
		return nil, ErrPerMetricMargin
	}
	if !Replicated(base, cur) {
		c := reports.Compare(base.Reports[0], cur.Reports[0], m.All)
		rd := func(r reports.ComparisonRenderer) func(io.Writer) error {
			return func(w io.Writer) error { return r.Render(w, c) }
		}
		return &Result{Text: rd(reports.TextComparison), JSON: rd(reports.JSONComparison), Markdown: rd(reports.MarkdownComparison),
			Regressed: c.Regressed()}, nil
	}
	paths := slices.Concat(base.Paths, cur.Paths)
	for i, r := range slices.Concat(base.Reports, cur.Reports) {
		if r.Meta.Interrupted {
			return nil, fmt.Errorf("%s is an interrupted run, not a replicate of the whole experiment", paths[i])
		}
	}
	opt := abtest.DefaultOptions()
	opt.Margin = m.All
	s, err := reports.CompareReplicates(base.Path, cur.Path, base.Reports, cur.Reports, opt)
	if err == nil && len(m.Per) > 0 {
		// Now that the compared metrics are known, compare again with the margins of those (a metric
		// left out is listed in the signal with why).
		if opt.Margins, err = m.For(s); err != nil {
			return nil, err
		}
		s, err = reports.CompareReplicates(base.Path, cur.Path, base.Reports, cur.Reports, opt)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Text: s.WriteText, JSON: s.WriteJSON, Markdown: s.WriteMarkdown, Regressed: s.ExitCode == abtest.ExitRegressed}, nil
}
