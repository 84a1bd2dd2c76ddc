package main

// Replicates: 'run -repeat N' and 'sweep -replicates DIR' write one report per run into a directory,
// and 'report compare' reads a directory of them on either side and decides with statistics
// (reports.CompareReplicates) instead of one point difference.

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sweep"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/scenarios"
)

// replicateFile is the name of the i-th (1-based) report of a directory of replicates, e.g. run-3.json.
func replicateFile(dir, prefix string, i int) string {
	return filepath.Join(dir, prefix+"-"+strconv.Itoa(i)+".json")
}

// prepareReplicateDir creates dir if needed and refuses one that already holds reports (*.json): a
// later 'report compare' reads every report of the directory, so an old one would pass for a replicate
// of the new runs.
func prepareReplicateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names, err := reportNames(dir)
	if err != nil {
		return err
	}
	if len(names) > 0 {
		return fmt.Errorf("%s already holds %d report(s) (%s…): 'report compare' would read them as replicates; remove them or choose another directory",
			dir, len(names), names[0])
	}
	return nil
}

// reportNames returns the names of the *.json files of dir, in replicate order: shorter names first,
// so that run-2.json comes before run-10.json.
func reportNames(dir string) ([]string, error) {
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

// checkRepeat checks the flags that go with -repeat N > 1: a directory for the replicates, and none of
// the outputs or start time that belong to a single run.
func (f *runFlags) checkRepeat() error {
	switch n := *f.repeat; {
	case n < 1:
		return fmt.Errorf("-repeat %d: want 1 or more runs", n)
	case n == 1:
		return nil
	case *f.out == "":
		return errors.New("-repeat N writes run-1.json … run-N.json into a directory: give it with -json DIR (old name -out)")
	case *f.md != "" || *f.htmlOut != "" || *f.junit != "":
		return errors.New("-md, -html and -junit write a single run's report: with -repeat, render a replicate afterwards with 'report render'")
	case !f.startAt.t.IsZero():
		return errors.New("-start-at starts one run at a wall-clock time; it cannot start every replicate")
	}
	return nil
}

// runReplicates runs cfg -repeat times, one after another, each run the whole experiment with the same
// scenario, seed and schedule, so that the replicates differ only by what the machine and the collector
// do; the -json directory is ready (see prepareReplicateDir). Each replicate's report is gated, printed
// and written to DIR/run-i.json. The exit code is the worst of the replicates': an interrupt or a
// failure stops the series (the replicates written stay).
func runReplicates(e *env, f *runFlags, cfg run.Config, scn *scenarios.Scenario) int {
	n, dir := *f.repeat, *f.out
	code := exitOK
	for i := 1; i <= n; i++ {
		if !*f.quiet {
			fmt.Fprintf(e.stderr, "nssbench run: replicate %d of %d\n", i, n)
		}
		rep, err := run.Run(e.ctx, cfg)
		if cfg.Progress != nil {
			endProgress(e, "") // end the refreshing progress line
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "nssbench run: replicate %d of %d: %v\n", i, n, err)
			return exitFailure
		}
		gates, leftOut := scn.Gates(f.thresholds, runVantage(cfg.Target, cfg.Sink))
		rep.ThresholdsLeftOut = leftOut
		path := replicateFile(dir, "run", i)
		fmt.Fprintf(e.stdout, "== replicate %d of %d: %s\n", i, n, path)
		switch c := finishReport(e, "run", rep, gates, *f.summary, path, "", "", ""); c {
		case exitOK:
		case exitConformance:
			code = c
		default:
			return c
		}
	}
	return code
}

// writeStepReports writes the report of every step of res that has one to DIR/step-K.json, K the step's
// number (sweep -replicates).
func writeStepReports(e *env, dir string, res *sweep.Result) error {
	for i := range res.Steps {
		st := &res.Steps[i]
		if st.Report == nil {
			continue
		}
		if err := writeOutput(e, "sweep", replicateFile(dir, "step", st.N), func(w io.Writer) error { return reports.JSON.Render(w, st.Report) }); err != nil {
			return err
		}
	}
	return nil
}

// readSide reads one side of a comparison: a report file, or a directory of replicate reports (every
// *.json file in it, see reportNames). It returns the reports and their paths.
func readSide(path string) ([]*reports.Report, []string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	paths := []string{path}
	if st.IsDir() {
		names, err := reportNames(path)
		if err != nil {
			return nil, nil, err
		}
		if len(names) == 0 {
			return nil, nil, fmt.Errorf("%s: no report (*.json) in the directory", path)
		}
		paths = paths[:0]
		for _, n := range names {
			paths = append(paths, filepath.Join(path, n))
		}
	}
	reps := make([]*reports.Report, len(paths))
	for i, p := range paths {
		if reps[i], err = readReport(p); err != nil {
			return nil, nil, err
		}
	}
	return reps, paths, nil
}

// checkSidesComparable applies checkComparable to the first base report and every other report of
// either side: the replicates of a side must be runs of one experiment too, and since every field must
// be equal, each pair of reports then is. It reports every report that differs and returns false. With
// force it returns true, but still names on stderr every difference a replicate comparison compares
// anyway (the regression signal has no place for them).
func checkSidesComparable(e *env, basePaths, curPaths []string, base, cur []*reports.Report, force bool) bool {
	ok := true
	others := slices.Concat(base[1:], cur)
	paths := slices.Concat(basePaths[1:], curPaths)
	for i, r := range others {
		if force && len(others) > 1 {
			if d := reports.Differences(&base[0].Meta, &r.Meta); len(d) > 0 {
				fmt.Fprintf(e.stderr, "nssbench report compare: -force: %s vs %s: different experiments, compared anyway: %v\n", basePaths[0], paths[i], d)
			}
		}
		ok = checkComparable(e.stderr, basePaths[0], paths[i], base[0], r, force) && ok
	}
	return ok
}

// compareReplicates is 'report compare' of two sides of which one at least has two or more reports: the
// statistical comparison of reports.CompareReplicates. It exits 3 only on a confident regression.
func compareReplicates(e *env, basePath, curPath string, basePaths, curPaths []string, base, cur []*reports.Report,
	margin marginValue, jsonOut, mdOut string) int {
	for i, r := range slices.Concat(base, cur) {
		if r.Meta.Interrupted {
			fmt.Fprintf(e.stderr, "nssbench report compare: %s is an interrupted run, not a replicate of the whole experiment\n",
				slices.Concat(basePaths, curPaths)[i])
			return exitFailure
		}
	}
	opt := abtest.DefaultOptions()
	opt.Margin = margin.all
	s, err := reports.CompareReplicates(basePath, curPath, base, cur, opt)
	if err == nil && len(margin.per) > 0 {
		// Now that the compared metrics are known: check the per-metric margins' names, and compare again
		// with those of the metrics compared (a metric left out is listed in the signal with why).
		if err := checkMarginNames(s, margin.per); err != nil {
			return usageError(e.stderr, "report compare", err)
		}
		opt.Margins = map[string]float64{}
		for _, m := range s.Metrics {
			if v, ok := margin.per[m.Name]; ok {
				opt.Margins[m.Name] = v
			}
		}
		s, err = reports.CompareReplicates(basePath, curPath, base, cur, opt)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
	}
	if code := writeOutputs(e, "report compare", s.WriteText, output{jsonOut, s.WriteJSON}, output{mdOut, s.WriteMarkdown}); code != exitOK {
		return code
	}
	if s.ExitCode == abtest.ExitRegressed {
		return exitConformance
	}
	return exitOK
}

// checkMarginNames fails on a per-metric margin that names no metric of the comparison: a typo would
// otherwise leave the metric at the default margin, silently.
func checkMarginNames(s *abtest.Signal, per map[string]float64) error {
	var known []string
	for _, m := range s.Metrics {
		known = append(known, m.Name)
	}
	for _, n := range s.NotCompared {
		known = append(known, n.Name)
	}
	var bad []string
	for name := range per {
		if !slices.Contains(known, name) {
			bad = append(bad, name)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return fmt.Errorf("-margin %s: no such metric (want one of %s)", strings.Join(bad, ", "), strings.Join(known, ", "))
}

// output is a file a command writes in one format; the path "-" is stdout, in place of the text.
type output struct {
	path  string
	write func(io.Writer) error
}

// writeOutputs writes text on stdout, unless an output's path is "-", and every output that has a path.
// It returns the exit code: a usage error when two outputs ask for stdout, a failure when a write fails.
func writeOutputs(e *env, cmd string, text func(io.Writer) error, outs ...output) int {
	toStdout := 0
	for _, o := range outs {
		if o.path == "-" {
			toStdout++
			text = o.write
		}
	}
	if toStdout > 1 {
		return usageError(e.stderr, cmd, errors.New("only one output can be - (stdout)"))
	}
	if err := text(e.stdout); err != nil {
		fmt.Fprintf(e.stderr, "nssbench %s: %v\n", cmd, err)
		return exitFailure
	}
	for _, o := range outs {
		if o.path == "" || o.path == "-" {
			continue
		}
		if err := writeOutput(e, cmd, o.path, o.write); err != nil {
			return failure(e.stderr, cmd, err)
		}
	}
	return exitOK
}

// marginValue is report compare's -margin: the minimum effect size of every metric ("5%" or "0.05"), or,
// as NAME=VALUE, of one metric ("e2e.p99=10%"); repeatable.
type marginValue struct {
	all float64
	per map[string]float64
}

func (m *marginValue) String() string {
	if m == nil {
		return ""
	}
	parts := []string{formatFraction(m.all)}
	for _, name := range slices.Sorted(maps.Keys(m.per)) {
		parts = append(parts, name+"="+formatFraction(m.per[name]))
	}
	return strings.Join(parts, ",")
}

func (m *marginValue) Set(s string) error {
	name, v, ok := strings.Cut(s, "=")
	if !ok {
		name, v = "", s
	}
	num, pct := strings.CutSuffix(strings.TrimSpace(v), "%")
	f, err := strconv.ParseFloat(num, 64)
	if pct {
		f /= 100
	}
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || (ok && strings.TrimSpace(name) == "") {
		return fmt.Errorf("margin %q: want a fraction of 0 or more, as 5%% or 0.05, or METRIC=5%%", s)
	}
	if !ok {
		m.all = f
		return nil
	}
	if m.per == nil {
		m.per = map[string]float64{}
	}
	m.per[strings.TrimSpace(name)] = f
	return nil
}

func formatFraction(f float64) string { return strconv.FormatFloat(f*100, 'g', -1, 64) + "%" }
