package server

import (
	"io"
	"testing"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// TestDecideDoesNotAllocate: deciding, counting and writing each verdict to a sink allocates nothing per
// record, for every kind of line.
func TestDecideDoesNotAllocate(t *testing.T) {
	s := &Server{cfg: Config{
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Sink:     NewJSONLines(io.Discard),
	}}
	h := s.newHandler(collector.Conn{ID: 1, Transport: "tcp"}).(*handler)
	for _, line := range lines {
		rec := []byte(line)
		h.Record(rec, collector.FormatCEF, 0) // warm up
		if allocs := testing.AllocsPerRun(100, func() { h.Record(rec, collector.FormatCEF, 0) }); allocs > 0 {
			t.Errorf("%v allocations per record deciding %q; want 0", allocs, line)
		}
	}
	if got := s.counters.Received.Load(); got != uint64(len(lines)*102) {
		t.Errorf("counted %d records; want %d", got, len(lines)*102)
	}
}
