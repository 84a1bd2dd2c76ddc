package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Bytes is the report's volume section, derived from the classes' byte counts (ClassCounts.SentBytes,
// DeliveredBytes): totals, and one row per feed in the order feeds first appear among the classes.
//
// A record's bytes are its length without framing: the generated line, with no trailing newline and
// no octet-count prefix (a record is the same bytes over any framing). Sent bytes are the records
// the sender wrote; delivered bytes the records the collector decided (embedded: as it read them,
// which are the bytes sent; oversize records the collector cut are not counted) or, against an
// external collector, the records as they arrived at the sink (what the collector forwarded, which
// may differ from what was sent). A standalone sink sees no sends: its sent figures are zero. Against an
// external collector without a sink nobody observed delivery (Report.DeliveryObserved false): the
// delivered figures are unknown, zero here, shown as "not observed" and left out of the JSON (delivered,
// deliveredEvents, deliveredPerSecond and gbPerDay, in the totals and in every feed).
type Bytes struct {
	ByteCounts
	Feeds []ByteCounts `json:"feeds"`
}

// MarshalJSON writes the totals' members, then feeds; Bytes needs its own, or ByteCounts's would be
// promoted and leave the feeds out.
func (b Bytes) MarshalJSON() ([]byte, error) {
	total, err := b.ByteCounts.MarshalJSON()
	if err != nil {
		return nil, err
	}
	feeds, err := json.Marshal(b.Feeds)
	if err != nil {
		return nil, err
	}
	total = bytes.TrimSuffix(total, []byte("}"))
	return append(append(append(total, `,"feeds":`...), feeds...), '}'), nil
}

// MarshalJSON writes b's members, without the delivered figures when delivery was not observed.
func (b ByteCounts) MarshalJSON() ([]byte, error) {
	type plain ByteCounts // without the method
	if !b.unobserved {
		return json.Marshal(plain(b))
	}
	return json.Marshal(struct {
		Feed          string  `json:"feed,omitempty"`
		Sent          uint64  `json:"sent"`
		SentEvents    uint64  `json:"sentEvents"`
		SentPerSecond float64 `json:"sentPerSecond"`
		MeanEventSize float64 `json:"meanEventSize"`
		SentGBPerDay  float64 `json:"sentGBPerDay"`
	}{b.Feed, b.Sent, b.SentEvents, b.SentPerSecond, b.MeanEventSize, b.SentGBPerDay})
}

// withoutDelivered returns a copy of b whose JSON leaves the delivered figures out.
func (b Bytes) withoutDelivered() Bytes {
	b.unobserved = true
	b.Feeds = append([]ByteCounts(nil), b.Feeds...)
	for i := range b.Feeds {
		b.Feeds[i].unobserved = true
	}
	return b
}

// ByteCounts are the volume figures of all records or of one feed. Rates are over Meta.Duration.
// GB are decimal (10⁹ bytes); a day is 86400 s.
type ByteCounts struct {
	Feed               string  `json:"feed,omitempty"` // empty for the totals
	Sent               uint64  `json:"sent"`           // bytes of the records sent
	SentEvents         uint64  `json:"sentEvents"`     // records those bytes belong to
	Delivered          uint64  `json:"delivered"`      // bytes of the records delivered
	DeliveredEvents    uint64  `json:"deliveredEvents"`
	SentPerSecond      float64 `json:"sentPerSecond"`
	DeliveredPerSecond float64 `json:"deliveredPerSecond"`
	// MeanEventSize is sent bytes per sent record, or delivered per delivered when nothing was sent.
	MeanEventSize float64 `json:"meanEventSize"`
	SentGBPerDay  float64 `json:"sentGBPerDay"` // SentPerSecond as GB a day
	GBPerDay      float64 `json:"gbPerDay"`     // DeliveredPerSecond as GB a day: the achieved volume

	unobserved bool // set on the JSON renderer's copy: delivery was not observed
}

// secondsPerDay and bytesPerGB convert bytes per second to GB a day.
const (
	secondsPerDay = 86400
	bytesPerGB    = 1e9
)

// GBPerDay converts bytes per second to decimal gigabytes a day.
func GBPerDay(bytesPerSecond float64) float64 { return bytesPerSecond * secondsPerDay / bytesPerGB }

// newBytes derives the volume section from r's classes and duration.
func newBytes(r *Report) Bytes {
	b := Bytes{Feeds: []ByteCounts{}}
	for i := range r.Classes {
		c := &r.Classes[i]
		b.add(c)
		feed := c.Feed
		if feed == "" {
			feed = "unknown"
		}
		j := 0
		for j < len(b.Feeds) && b.Feeds[j].Feed != feed {
			j++
		}
		if j == len(b.Feeds) {
			b.Feeds = append(b.Feeds, ByteCounts{Feed: feed})
		}
		b.Feeds[j].add(c)
	}
	d := r.Meta.Duration.Seconds()
	b.derive(d)
	for i := range b.Feeds {
		b.Feeds[i].derive(d)
	}
	return b
}

func (b *ByteCounts) add(c *ClassCounts) {
	b.Sent += c.SentBytes
	b.SentEvents += c.Sent
	b.Delivered += c.DeliveredBytes
	b.DeliveredEvents += c.Delivered
}

// derive fills the rates and the mean size over d seconds.
func (b *ByteCounts) derive(d float64) {
	if d > 0 {
		b.SentPerSecond = float64(b.Sent) / d
		b.DeliveredPerSecond = float64(b.Delivered) / d
	}
	b.SentGBPerDay = GBPerDay(b.SentPerSecond)
	b.GBPerDay = GBPerDay(b.DeliveredPerSecond)
	switch {
	case b.SentEvents > 0:
		b.MeanEventSize = float64(b.Sent) / float64(b.SentEvents)
	case b.DeliveredEvents > 0:
		b.MeanEventSize = float64(b.Delivered) / float64(b.DeliveredEvents)
	}
}

// FormatBytes writes a byte count in binary units with three significant digits: "512 B", "45.2 MiB".
func FormatBytes(n float64) string { return iecBytes(n) }

// FormatGB writes decimal gigabytes with three significant digits, or fewer decimals from 1000 up:
// "0.0123 GB", "4.21 GB", "1234 GB".
func FormatGB(gb float64) string {
	if gb > 0 && gb < 1 {
		return strconv.FormatFloat(gb, 'g', 3, 64) + " GB"
	}
	if gb == 0 {
		return "0 GB"
	}
	return sig3(gb) + " GB"
}

// NotObserved is what the volume section shows for delivered bytes nobody observed.
const NotObserved = "not observed"

// bytesLine is one row of the volume section as text: the figures of b; delivered ones "not observed"
// and "-" unless observed.
func bytesLine(b *ByteCounts, observed bool) []string {
	delivered := []string{NotObserved, "-", "-"}
	if observed {
		delivered = []string{iecBytes(float64(b.Delivered)), iecBytes(b.DeliveredPerSecond) + "/s", FormatGB(b.GBPerDay) + "/day"}
	}
	return append([]string{iecBytes(float64(b.Sent)), iecBytes(b.SentPerSecond) + "/s", FormatGB(b.SentGBPerDay) + "/day"},
		append(delivered, fmt.Sprintf("%.1f B", b.MeanEventSize))...)
}
