package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/harness/framing"
)

// ReplayOffsets reads a file of NSS lines (a `.zst` suffix: zstd-compressed; a corpus's input.log
// works) and returns each record's offset from the first, for a pacer.Replay: the records' original
// pace. A record's time is its syslog timestamp (`Jun 11 02:52:44 zscaler-nss …`) or, failing that, its
// `rt` extension (`Jun 11 2024 02:52:44`). NSS stamps whole seconds, so the k records stamped with one
// second are spread evenly over that second, in file order. Times must not go backwards by more than a
// second (NSS writes in order; a larger step back is an error naming the line). A record with no time
// (a malformed line, say) is taken to have come with the record before it.
func ReplayOffsets(path string) ([]time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".zst") {
		zr, err := zstd.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	var (
		st Stamper
		fr = framing.NewReader(r, framing.DefaultMaxLen)
	)
	for line := 1; ; line++ {
		rec, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, framing.ErrOversize) {
			return nil, fmt.Errorf("%s: record %d: %w", path, line, err)
		}
		if err := st.Add(rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	offsets, err := st.Offsets()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return offsets, nil
}

// Stamper collects the times of a recording's records, one record at a time in file order, and gives
// their offsets as ReplayOffsets does (its doc says how a record's time is read). The zero value is
// ready; it keeps 8 bytes per record.
type Stamper struct {
	p       cef.Parser
	stamps  []int64 // Unix seconds, one per record
	untimed int
}

// noTime stamps the leading records that have no time of their own.
const noTime = math.MinInt64

// Add takes the next record. It returns an error when its time goes back more than a second from the
// record before.
func (s *Stamper) Add(rec []byte) error {
	sec, ok := recordSecond(&s.p, rec)
	if !ok {
		s.untimed++
		if len(s.stamps) > 0 { // a record without a time (malformed, say) came with its predecessor
			sec = s.stamps[len(s.stamps)-1]
		} else {
			sec = noTime
		}
	} else if len(s.stamps) > 0 && s.stamps[0] == noTime { // the leading untimed records came with this one
		for i := range s.stamps {
			s.stamps[i] = sec
		}
	}
	if n := len(s.stamps); n > 0 && sec != noTime && sec < s.stamps[n-1]-1 {
		return fmt.Errorf("time goes back %ds from the record before", s.stamps[n-1]-sec)
	}
	s.stamps = append(s.stamps, sec)
	return nil
}

// Offsets returns each record's offset from the first, for a pacer.Replay. It is an error when no
// record was added or none has a time.
func (s *Stamper) Offsets() ([]time.Duration, error) {
	if len(s.stamps) == 0 {
		return nil, errors.New("no records")
	}
	if s.untimed == len(s.stamps) {
		return nil, errors.New("no record has a syslog timestamp or rt= time to replay")
	}
	return spread(s.stamps), nil
}

// spread turns whole-second stamps into offsets from the first, spreading each second's records evenly.
func spread(stamps []int64) []time.Duration {
	offsets := make([]time.Duration, len(stamps))
	for i := 0; i < len(stamps); {
		j := i
		for j < len(stamps) && stamps[j] == stamps[i] {
			j++
		}
		base := time.Duration(stamps[i]-stamps[0]) * time.Second
		for k := i; k < j; k++ {
			offsets[k] = base + time.Duration(k-i)*time.Second/time.Duration(j-i)
		}
		i = j
	}
	// A record stamped a second before its predecessor keeps the predecessor's offset: schedules only
	// move forward.
	for i := 1; i < len(offsets); i++ {
		offsets[i] = max(offsets[i], offsets[i-1])
	}
	return offsets
}

// recordSecond returns the record's time in Unix seconds in year 0 (syslog stamps have no year; only
// differences matter).
func recordSecond(p *cef.Parser, rec []byte) (int64, bool) {
	s := rec
	if len(s) > 0 && s[0] == '<' { // a <PRI> before the timestamp
		if i := bytes.IndexByte(s, '>'); i > 0 {
			s = s[i+1:]
		}
	}
	if len(s) >= len(time.Stamp) {
		if t, err := time.Parse(time.Stamp, string(s[:len(time.Stamp)])); err == nil {
			return t.Unix(), true
		}
	}
	r, err := p.Parse(rec)
	if err != nil && r == nil {
		return 0, false
	}
	if rt, ok := r.Get("rt"); ok {
		if t, err := time.Parse("Jan _2 2006 15:04:05", string(rt)); err == nil {
			// Drop the year, as syslog stamps have none, so both kinds of stamp compare.
			return time.Date(0, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).Unix(), true
		}
	}
	return 0, false
}
