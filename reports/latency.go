package reports

import (
	"fmt"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// LatencyStage names one leg of an event's journey whose latency a report measures.
type LatencyStage uint8

// Latency stages, in the order an event passes them.
const (
	SendLag  LatencyStage = iota // scheduled → written: how late the sender wrote the event
	Wire                         // written → received: transport plus the collector's read and parse
	Pipeline                     // received → decided: collector filters, platform filters and mapping
	EndToEnd                     // scheduled → decided: what a user of the pipeline sees
	numLatencyStages
)

var latencyStageNames = [numLatencyStages]string{"send", "wire", "pipeline", "e2e"}

// LatencyStages lists the stages in journey order.
func LatencyStages() []LatencyStage { return []LatencyStage{SendLag, Wire, Pipeline, EndToEnd} }

// String returns the stage's short name as reports and thresholds spell it: "send", "wire", "pipeline"
// or "e2e".
func (s LatencyStage) String() string {
	if s < numLatencyStages {
		return latencyStageNames[s]
	}
	return fmt.Sprintf("stage(%d)", uint8(s))
}

// ParseLatencyStage parses a stage name as String writes it.
func ParseLatencyStage(s string) (LatencyStage, error) {
	for st := SendLag; st < numLatencyStages; st++ {
		if s == latencyStageNames[st] {
			return st, nil
		}
	}
	return 0, fmt.Errorf("unknown latency stage %q (want send, wire, pipeline or e2e)", s)
}

// The geometry of every latency histogram: 1 ns to 1 h in nanoseconds, 3 significant digits (a value is
// kept to within 0.1%; about 270 KiB per histogram). Values above the highest are recorded as the highest.
const (
	HistogramLowest  = int64(time.Nanosecond)
	HistogramHighest = int64(time.Hour)
	HistogramDigits  = 3
)

func newLatencyHistogram() *hdr.Histogram {
	return hdr.New(HistogramLowest, HistogramHighest, HistogramDigits)
}

// recordLatency records the duration d (ns), clamped into the histogram's range. It does not allocate.
func recordLatency(h *hdr.Histogram, d int64) {
	if d < 0 {
		d = 0
	} else if d > HistogramHighest {
		d = HistogramHighest
	}
	if err := h.RecordValue(d); err != nil {
		panic("BUG: clamped latency out of range: " + err.Error())
	}
}

// encodeHistogram returns h in the HdrHistogram V2 compressed, base64 encoding.
func encodeHistogram(h *hdr.Histogram) (string, error) {
	b, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		return "", fmt.Errorf("encode histogram: %w", err)
	}
	return string(b), nil
}

// decodeHistogram reads a histogram written by encodeHistogram. The empty string is an empty histogram.
func decodeHistogram(s string) (*hdr.Histogram, error) {
	if s == "" {
		return newLatencyHistogram(), nil
	}
	h, err := hdr.Decode([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("decode histogram: %w", err)
	}
	return h, nil
}
