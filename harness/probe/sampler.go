// Package probe measures what the collector under test costs: Sampler samples a process and its
// children from /proc (CPU in cores, RSS) several times a second, and Scraper scrapes a Prometheus
// endpoint for named series at the same pace. Both keep bounded memory however long the run, and both
// summarise into the report's target section (reports.TargetUsage, reports.TargetMetrics).
//
// Sampling nssbench's own process (StartSelf) measures the embedded collector the same way, but a Go
// process cannot split its CPU time between goroutines: the figure includes the generator, the sender
// and the recorder running in the same process. Run `nssbench collect` as its own process and sample
// its pid for the collector alone.
package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// Defaults of Options.
const (
	DefaultInterval = 100 * time.Millisecond
	DefaultWindow   = time.Second
	DefaultPoints   = 600
)

// ErrNoProcess is wrapped by Start's error when the process does not exist or has already exited.
var ErrNoProcess = errors.New("no such process")

// Options configure a Sampler or a Scraper. Zero fields take the defaults.
type Options struct {
	// Interval is the time between samples (or scrapes); default 100 ms, 10 a second.
	Interval time.Duration
	// Window is the span of the trailing windows whose CPU rates make the p99 and max (rounded to
	// whole intervals); default 1 s. CPU time comes in ticks of 10 ms, so a 100 ms window would read
	// CPU only to 0.1 core; a 1 s window reads it to 0.01.
	Window time.Duration
	// Points bounds the timeline; default 600.
	Points int
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Points <= 0 {
		o.Points = DefaultPoints
	}
	return o
}

// source reads a process tree: the seam between the sampler and /proc.
type source interface {
	sample() (reading, error)
}

// reading is one sample of a process tree.
type reading struct {
	delta     uint64 // CPU ticks since the previous sample; 0 at the first
	rss       uint64 // bytes, summed over the tree
	procs     int    // processes summed
	exited    bool   // the root has exited
	truncated bool   // the tree had more processes than are summed
}

// Sampler samples one process tree until Stop, its context ends, or the process exits.
type Sampler struct {
	pid     int
	self    bool
	command string
	opt     Options
	src     source
	sum     *summary
	start   time.Time
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	note    string // written by the sampling goroutine before done closes
	partial bool   // sampling ended before Stop: the process exited or could not be read
}

// Start takes a first sample of pid's process tree (the baseline) and samples it every opt.Interval
// until ctx ends or Stop is called. A pid that does not exist, or has already exited, is an error
// wrapping ErrNoProcess. A process that exits later ends sampling, with a note in the summary.
func Start(ctx context.Context, pid int, opt Options) (*Sampler, error) {
	if pid <= 0 {
		return nil, fmt.Errorf("sample pid %d: %w", pid, ErrNoProcess)
	}
	src, command, err := newSource(pid)
	if err != nil {
		return nil, fmt.Errorf("sample %w", err)
	}
	return start(ctx, pid, command, src, clockTick(), opt), nil
}

// StartSelf samples nssbench's own process: the embedded collector, with everything else that runs
// in the process (see the package documentation).
func StartSelf(ctx context.Context, opt Options) (*Sampler, error) {
	s, err := Start(ctx, os.Getpid(), opt)
	if err == nil {
		s.self = true
	}
	return s, err
}

func start(ctx context.Context, pid int, command string, src source, tick float64, opt Options) *Sampler {
	opt = opt.withDefaults()
	s := &Sampler{
		pid: pid, command: command, opt: opt, src: src,
		sum:   newSummary(tick, opt.Interval, opt.Window, opt.Points),
		start: time.Now(),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	if !s.take() {
		close(s.done)
		return s
	}
	go s.loop(ctx)
	return s
}

func (s *Sampler) loop(ctx context.Context) {
	defer close(s.done)
	tick := time.NewTicker(s.opt.Interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if !s.take() {
				return
			}
		case <-ctx.Done():
			s.take() // the last stretch up to the end
			return
		case <-s.stop:
			s.take()
			return
		}
	}
}

// take takes one sample and reports whether sampling goes on.
func (s *Sampler) take() bool {
	r, err := s.src.sample()
	at := time.Since(s.start)
	switch {
	case err != nil:
		s.note = fmt.Sprintf("sampling failed at %s: %v", reports.FormatDuration(at), err)
		s.partial = true
		return false
	case r.exited:
		if r.procs > 0 { // still readable as a zombie: its final figures
			s.sum.add(at, r.delta, r.rss, r.procs)
		}
		s.note = "target exited at " + reports.FormatDuration(at)
		s.partial = true
		return false
	}
	s.sum.add(at, r.delta, r.rss, r.procs)
	if r.truncated && s.note == "" {
		s.note = fmt.Sprintf("the process tree had more than %d processes; the others were not counted", maxTreeSize)
	}
	return true
}

// Done is closed when sampling has ended: Stop, the context, or the process's exit.
func (s *Sampler) Done() <-chan struct{} { return s.done }

// Stop ends sampling after a last sample and returns the summary. It may be called more than once,
// and after the process has exited.
func (s *Sampler) Stop() reports.TargetUsage {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	u := s.sum.usage()
	u.PID, u.Command, u.Self = s.pid, s.command, s.self
	u.Interval = s.opt.Interval
	u.Note, u.Partial = s.note, s.partial
	return u
}

// maxTreeSize bounds the processes a sample sums, so that a fork bomb cannot make sampling unbounded.
const maxTreeSize = 4096
