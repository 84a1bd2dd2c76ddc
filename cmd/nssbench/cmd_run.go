package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

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

  # An external collector (syslog-ng, a SIEM's relay) instead of the embedded one, and a sink for what it forwards:
  nssbench run -target tcp://127.0.0.1:5514 -sink tcp://127.0.0.1:5515 -sink-wait 5s -expect-forward all
  nssbench run -target tls://siem.example:6514 -ca ca.pem -duplicate-window 5s
  nssbench run -target https://siem.example/nss -gzip -batch-size 512 -sink http://0.0.0.0:8088 -sink-threat-field threatId
`)
	var (
		duration   = fs.Duration("duration", 0, "run for this long (overrides the scenario)")
		count      = fs.Uint64("count", 0, "send at most this many events (overrides the scenario)")
		strict     = fs.Bool("strict", false, "embedded collector: parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed)")
		rulesFile  = fs.String("rules", "", "collector and platform rules file (default: the built-in rules)")
		mapsFile   = fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: the built-in mapping)")
		out        = fs.String("out", "", "also write the complete report as JSON to this file")
		md         = fs.String("md", "", "also write the report as Markdown to this file")
		htmlOut    = fs.String("html", "", "also write a self-contained HTML report with charts to this file")
		thresholds threshold.List
		shard      shardValue
		startAt    timeValue
		quiet      = fs.Bool("quiet", false, "no progress lines on stderr")
		rate       rateValue
		replayFile = fs.String("replay", "", "pace at the original times of these NSS lines (a file or a corpus's input.log[.zst]) instead of the scenario's pacer")
		speed      = fs.Float64("speed", 1, "with -replay: replay this many times faster than recorded")
		drain      = fs.Duration("drain", 10*time.Second, "how long to wait for records in flight after the last send (external: at the sink)")
	)
	scnFlags := addScenarioFlags(fs, "built-in scenario name or scenario file (see 'nssbench scenarios')")
	external := addExternalFlags(fs, "send to an external collector instead of the embedded one")
	fs.Var(&rate, "rate", "constant rate, e.g. 20000/s (overrides the scenario's pacer)")
	fs.Var(&shard, "shard", "send only the i-th of n disjoint parts of the schedule, e.g. 2/16 (see 'report merge')")
	fs.Var(&startAt, "start-at", "set up, then start the schedule at this wall-clock time (RFC 3339, e.g. 2026-11-25T23:30:00Z), so that shards share one t=0; empty: at once")
	fs.Var(&thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'achieved>=0.99*offered', 'mismatches==0'; repeatable")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "run", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	ext, err := external(set)
	if err != nil {
		return usageError(e.stderr, "run", err)
	}

	scn, err := scnFlags.load(set)
	if err != nil {
		return usageError(e.stderr, "run", err)
	}
	if err := checkTransport(scn, ext.Target); err != nil {
		return usageError(e.stderr, "run", err)
	}
	if err := overrideSchedule(scn, set, *duration, *count, rate.perSecond); err != nil {
		return usageError(e.stderr, "run", err)
	}
	if scn.Pacer.Shape == "" && *replayFile == "" {
		return usageError(e.stderr, "run", fmt.Errorf("scenario %s has no pacer: give -rate or -replay", scn.Name))
	}
	gates, leftOut := runGates(scn, thresholds, runVantage(ext.Target, ext.Sink))

	pl, code := loadPipeline(e, "run", *rulesFile, *mapsFile, *strict)
	if pl == nil {
		return code
	}
	if strings.HasPrefix(ext.Target, "http") {
		notes, err := run.ForCloudNSS(scn)
		if err != nil {
			return usageError(e.stderr, "run", err)
		}
		if !*quiet && len(notes) > 0 {
			fmt.Fprintf(e.stderr, "nssbench: Cloud NSS target: %s\n", strings.Join(notes, ", "))
		}
	}
	gen, err := run.GeneratorFor(scn, true)
	if err != nil {
		return usageError(e.stderr, "run", err)
	}
	var pc pacer.Pacer
	if *replayFile != "" {
		if *speed <= 0 {
			return usageError(e.stderr, "run", fmt.Errorf("speed %g must be > 0", *speed))
		}
		offsets, err := run.ReplayOffsets(*replayFile)
		if err != nil {
			return usageError(e.stderr, "run", err)
		}
		// The recording sets the length; -duration and -count still cut it short when given.
		lim := pacer.Limit{Count: scn.Count}
		if set["duration"] {
			lim.Duration = scn.Duration
		}
		pc = pacer.Replay{Offsets: offsets, Speed: *speed, Limit: lim}
	} else if pc, err = run.PacerFor(scn.Pacer, pacer.Limit{Duration: scn.Duration, Count: scn.Count}); err != nil {
		return usageError(e.stderr, "run", err)
	}

	cfg := ext // the external target's settings, if any
	cfg.Generator = gen
	cfg.Pacer = pc
	cfg.Pipeline = pl
	cfg.Connections = scn.Connections
	cfg.Framing = scn.Framing
	cfg.DrainTimeout = *drain
	cfg.Shard = run.Shard{Index: shard.index, Count: shard.count}
	cfg.StartAt = startAt.t
	cfg.Meta = reports.Meta{
		Scenario: scn.Name, Description: scn.Description, Seed: scn.Seed, Pacer: pc.String(),
		// A shard offers its share of the rate, so that merged shards add up to the whole.
		OfferedRate: nominalRate(pc) / float64(max(shard.count, 1)), Version: version(), GoVersion: runtime.Version(), Machine: machine(),
	}
	describeExperiment(&cfg.Meta, scn, pl)
	if !*quiet {
		cfg.Progress = func(p run.Progress) {
			progressLine(e, scn.Duration, p)
		}
		where := "the embedded collector"
		if cfg.Target != "" {
			where = cfg.Target
			if cfg.Sink == "" {
				where += " (no -sink: delivery will not be observed)"
			} else {
				where += ", sink " + cfg.Sink
			}
		}
		fmt.Fprintf(e.stderr, "nssbench: scenario %s, %s, %d connection(s) to %s\n", scn.Name, pc, max(scn.Connections, 1), where)
		if !cfg.StartAt.IsZero() {
			fmt.Fprintf(e.stderr, "nssbench: the schedule starts at %s (-start-at)\n", cfg.StartAt.Format(time.RFC3339Nano))
		}
	}
	rep, err := run.Run(e.ctx, cfg)
	if cfg.Progress != nil && isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr) // end the refreshing progress line
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench run: %v\n", err)
		return exitFailure
	}
	if late := rep.Meta.Started.Sub(cfg.StartAt); !cfg.StartAt.IsZero() && late > time.Second {
		fmt.Fprintf(e.stderr, "nssbench run: -start-at %s had passed when the run was ready: it started %v late\n",
			cfg.StartAt.Format(time.RFC3339), late.Round(time.Millisecond))
	}
	rep.ThresholdsLeftOut = leftOut
	return finishReport(e, "run", rep, gates, *out, *md, *htmlOut)
}

// finishReport applies the gates to rep, prints it, writes the requested files and returns the exit
// code: interrupted, conformance (mismatches or a failed gate), or ok.
func finishReport(e *env, cmd string, rep *reports.Report, gates threshold.List, out, md, htmlOut string) int {
	passed := threshold.Apply(rep, gates...)
	warnNotObserved(e.stderr, cmd, rep)
	if err := reports.Text.Render(e.stdout, rep); err != nil {
		fmt.Fprintf(e.stderr, "nssbench %s: write report: %v\n", cmd, err)
		return exitFailure
	}
	if out != "" || md != "" || htmlOut != "" {
		if err := writeReports(e, rep, out, md, htmlOut); err != nil {
			fmt.Fprintf(e.stderr, "nssbench %s: %v\n", cmd, err)
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
func loadPipeline(e *env, cmd, rulesFile, mapsFile string, strict bool) (*pipeline.Pipeline, int) {
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
	return pipeline.New(rules, maps, pipeline.Options{Strict: strict}), 0
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

// externalFlags are the run flags about an external collector and its sink.
type externalFlags struct {
	target, caFile                       string
	insecure, gzip                       bool
	batchKB                              int
	retryWindow, writeTimeout, dupWindow time.Duration
	headers                              headerList
	sink                                 string
	sinkOptions                          *sinkOptionFlags
	sinkWait                             time.Duration
}

// sinkFlags only mean something with -sink, targetFlags with -target.
var (
	sinkFlags   = []string{"sink-format", "sink-id-field", "sink-alert-field", "sink-threat-field", "expect-forward", "sink-wait"}
	targetFlags = append([]string{"ca", "insecure", "batch-size", "gzip", "retry-window", "write-timeout", "duplicate-window",
		"header", "sink"}, sinkFlags...)
)

// externalConfig turns the external-collector flags into the Config fields they set; it reports every
// problem found.
func externalConfig(set map[string]bool, f externalFlags) (run.Config, error) {
	var cfg run.Config
	var errs []error
	if f.target == "" {
		for _, name := range targetFlags {
			if set[name] {
				errs = append(errs, fmt.Errorf("-%s needs -target (an external collector)", name))
			}
		}
		return cfg, errors.Join(errs...)
	}
	if _, err := run.ParseTarget(f.target); err != nil {
		errs = append(errs, err)
	}
	cfg.Target = f.target
	if f.caFile != "" || f.insecure {
		tc := &tls.Config{InsecureSkipVerify: f.insecure}
		if f.caFile != "" {
			pem, err := os.ReadFile(f.caFile)
			if err != nil {
				errs = append(errs, fmt.Errorf("-ca: %w", err))
			} else {
				tc.RootCAs = x509.NewCertPool()
				if !tc.RootCAs.AppendCertsFromPEM(pem) {
					errs = append(errs, fmt.Errorf("-ca %s: no PEM certificate in it", f.caFile))
				}
			}
		}
		cfg.TLS = tc
	}
	if f.batchKB <= 0 {
		errs = append(errs, fmt.Errorf("-batch-size %d: want a positive number of KB", f.batchKB))
	}
	if f.retryWindow <= 0 {
		errs = append(errs, fmt.Errorf("-retry-window %v: want a positive duration", f.retryWindow))
	}
	if f.dupWindow < 0 {
		errs = append(errs, fmt.Errorf("-duplicate-window %v: want 0 or more", f.dupWindow))
	}
	cfg.HTTP = run.HTTPOptions{BatchSize: f.batchKB << 10, Gzip: f.gzip, RetryWindow: f.retryWindow, Header: f.headers.header}
	cfg.WriteTimeout = f.writeTimeout
	if f.writeTimeout <= 0 {
		cfg.WriteTimeout = -1 // never
	}
	cfg.DuplicateWindow = f.dupWindow
	cfg.Sink = f.sink
	cfg.SinkWait = f.sinkWait
	opts, err := f.sinkOptions.options()
	if err != nil {
		errs = append(errs, err)
	}
	cfg.SinkOptions = opts
	if f.sink == "" {
		for _, name := range sinkFlags {
			if set[name] {
				errs = append(errs, fmt.Errorf("-%s needs -sink", name))
			}
		}
	}
	return cfg, errors.Join(errs...)
}

// headerList is a repeatable flag of "Name: value" request headers.
type headerList struct{ header http.Header }

func (h *headerList) String() string {
	if h == nil || len(h.header) == 0 {
		return ""
	}
	var parts []string
	for k, vs := range h.header {
		for _, v := range vs {
			parts = append(parts, k+": "+v)
		}
	}
	return strings.Join(parts, ", ")
}

func (h *headerList) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("header %q: want 'Name: value'", s)
	}
	if h.header == nil {
		h.header = http.Header{}
	}
	h.header.Add(name, value)
	return nil
}

// nominalRate is the schedule's average rate: the events it schedules over the span from the first to
// the last, or its rate at the start when the schedule is unbounded.
func nominalRate(pc pacer.Pacer) float64 {
	if n, ok := pacer.Count(pc, 1<<40); ok && n > 1 {
		if last, _ := pc.Due(n - 1); last > 0 {
			return float64(n-1) / last.Seconds()
		}
	}
	return pc.RateAt(0)
}
