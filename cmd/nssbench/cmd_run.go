package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

func cmdRun(e *env, args []string) int {
	fs := newFlagSet(e, "run", "run [flags]", `  nssbench run                                  # default scenario, ~10 s, text report
  nssbench run -scenario smoke                  # a 2-second run of every class
  nssbench run -rate 50000/s -duration 30s -connections 4 -out report.json
  nssbench run -scenario my-scenario.json -mappings my-mappings.json
`)
	var (
		scenario    = fs.String("scenario", "default", "built-in scenario name or scenario file (see 'nssbench scenarios')")
		duration    = fs.Duration("duration", 0, "run for this long (overrides the scenario)")
		count       = fs.Uint64("count", 0, "send at most this many events (overrides the scenario)")
		seed        = fs.Uint64("seed", 0, "generator seed (overrides the scenario)")
		connections = fs.Int("connections", 0, "spread the load over this many TCP connections (overrides the scenario)")
		framing     = fs.String("framing", "", "syslog framing: lf (NSS's own) or octet (RFC 6587 octet counting)")
		rulesFile   = fs.String("rules", "", "collector and platform rules file (default: the built-in rules)")
		mapsFile    = fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: the built-in mapping)")
		out         = fs.String("out", "", "also write the complete report as JSON to this file")
		md          = fs.String("md", "", "also write the report as Markdown to this file")
		htmlOut     = fs.String("html", "", "also write a self-contained HTML report with charts to this file")
		thresholds  threshold.List
		quiet       = fs.Bool("quiet", false, "no progress lines on stderr")
		rate        rateValue
	)
	fs.Var(&rate, "rate", "constant rate, e.g. 20000/s (overrides the scenario's pacer)")
	fs.Var(&thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'achieved>=0.99*offered', 'mismatches==0'; repeatable")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "run", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}

	scn, err := loadScenario(*scenario)
	if err != nil {
		return usageError(e.stderr, "run", err)
	}
	// Layering, in this order: built-in defaults < scenario file < flags.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["duration"] {
		scn.Duration = *duration
	}
	if set["count"] {
		scn.Count = *count
	}
	if set["seed"] {
		scn.Seed = *seed
	}
	if set["connections"] {
		scn.Connections = *connections
	}
	if set["framing"] {
		scn.Framing = *framing
	}
	if set["rate"] {
		scn.Pacer = scenarios.PacerSpec{Shape: "constant", Rate: rate.perSecond}
	}
	// The scenario's thresholds come first, then the command line's.
	var gates threshold.List
	for _, expr := range scn.Thresholds {
		if err := gates.Set(expr); err != nil {
			return usageError(e.stderr, "run", fmt.Errorf("scenario %s: %w", scn.Name, err))
		}
	}
	gates = append(gates, thresholds...)
	if scn.Duration <= 0 && scn.Count == 0 {
		return usageError(e.stderr, "run", fmt.Errorf("scenario %s is unbounded: give -duration or -count", scn.Name))
	}
	if scn.Framing != "" && scn.Framing != "lf" && scn.Framing != "octet" {
		return usageError(e.stderr, "run", fmt.Errorf("framing %q: want lf or octet", scn.Framing))
	}

	pl, code := loadPipeline(e, "run", *rulesFile, *mapsFile)
	if pl == nil {
		return code
	}
	gen, err := run.GeneratorFor(scn, true)
	if err != nil {
		return usageError(e.stderr, "run", err)
	}
	pc, err := run.PacerFor(scn.Pacer, pacer.Limit{Duration: scn.Duration, Count: scn.Count})
	if err != nil {
		return usageError(e.stderr, "run", err)
	}

	cfg := run.Config{
		Generator:   gen,
		Pacer:       pc,
		Pipeline:    pl,
		Connections: scn.Connections,
		Framing:     scn.Framing,
		Meta: reports.Meta{
			Scenario: scn.Name, Description: scn.Description, Seed: scn.Seed, Pacer: pc.String(),
			OfferedRate: pc.RateAt(0), Version: version(), GoVersion: runtime.Version(), Machine: machine(),
		},
	}
	if !*quiet {
		cfg.Progress = func(p run.Progress) {
			fmt.Fprintf(e.stderr, "nssbench: %5.1fs  offered %d  sent %d  verdicts %d  behind %d\n",
				p.Elapsed.Seconds(), p.Offered, p.Sent, p.Verdicts, p.Behind)
		}
		fmt.Fprintf(e.stderr, "nssbench: scenario %s, %s, %d connection(s)\n", scn.Name, pc, max(scn.Connections, 1))
	}
	rep, err := run.Run(e.ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench run: %v\n", err)
		return exitFailure
	}
	passed := threshold.Apply(rep, gates...)
	if err := reports.Text.Render(e.stdout, rep); err != nil {
		fmt.Fprintf(e.stderr, "nssbench run: write report: %v\n", err)
		return exitFailure
	}
	if *out != "" || *md != "" || *htmlOut != "" {
		if err := writeReports(e, rep, *out, *md, *htmlOut); err != nil {
			fmt.Fprintf(e.stderr, "nssbench run: %v\n", err)
			return exitFailure
		}
	}
	switch {
	case rep.Meta.Interrupted:
		return exitInterrupted
	case rep.Conformance.Mismatches > 0 || !passed:
		return exitConformance
	}
	return exitOK
}

// loadScenario returns a built-in scenario by name, or loads a scenario file.
func loadScenario(name string) (*scenarios.Scenario, error) {
	if _, err := os.Stat(name); err == nil {
		return scenarios.Load(name)
	}
	return scenarios.Builtin(name)
}

// loadPipeline builds the reference pipeline from the built-in or the given rules and mappings. It
// returns nil and an exit code after reporting a bad file.
func loadPipeline(e *env, cmd, rulesFile, mapsFile string) (*pipeline.Pipeline, int) {
	rules := pipeline.DefaultRules()
	if rulesFile != "" {
		r, err := pipeline.LoadRules(rulesFile)
		if err != nil {
			return nil, usageError(e.stderr, cmd, err)
		}
		rules = r
	}
	maps := pipeline.DefaultMappings()
	if mapsFile != "" {
		m, warnings, err := pipeline.LoadMappings(mapsFile)
		if err != nil {
			return nil, usageError(e.stderr, cmd, err)
		}
		for _, w := range warnings {
			fmt.Fprintf(e.stderr, "nssbench %s: warning: %s:%d: %s\n", cmd, w.File, w.Line, w.Msg)
		}
		maps = m
	}
	return pipeline.New(rules, maps, pipeline.Options{}), 0
}

// writeFile creates path and writes it with fn, reporting the first error of writing or closing.
func writeFile(path string, fn func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
