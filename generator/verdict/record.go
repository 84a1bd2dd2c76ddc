package verdict

import "strconv"

// Threat is a MITRE ATT&CK technique an alert type maps to.
type Threat struct {
	ID   string // technique id, e.g. "T1204.002"
	Name string // technique name, e.g. "Malicious File"
}

// Verdict is the one decision the pipeline makes about one input record.
//
// The byte slices (RecordID, AlertType) are the verdict's own buffers, reused by Reset and overwritten by
// the next decision into the same Verdict: copy what must outlive it.
type Verdict struct {
	RecordID  []byte // the record's CEF externalId, empty when it has none
	Line      uint64 // 1-based position of the record in its stream (connection or file)
	Conn      uint64 // the collector's number of that stream (from 1); 0 when there is one stream (a file)
	Feed      Feed
	Stage     Stage
	Kind      Kind
	Reason    Reason // drop reason; ReasonNone for alerts
	Detail    Detail // malformed detail; DetailNone otherwise
	AlertType []byte // the unescaped CEF header name, when the header could be read
	Threat    *Threat
}

// Mapped reports whether the record is an alert whose alert type is in the mapping table.
func (v *Verdict) Mapped() bool { return v.Kind == KindAlert && v.Threat != nil }

// Reset clears v for reuse.
func (v *Verdict) Reset() { *v = Verdict{RecordID: v.RecordID[:0], AlertType: v.AlertType[:0]} }

// AppendJSON appends v as one JSON object in PIPELINE.md's verdict-record shape, without a newline.
// A record is identified by "recordid" when it has one, else by its position: "connection" (when Conn
// is set) and "line". It does not allocate when dst has room.
func (v *Verdict) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	if len(v.RecordID) > 0 {
		dst = append(dst, `"recordid":`...)
		dst = AppendJSONString(dst, v.RecordID)
	} else {
		if v.Conn > 0 {
			dst = append(dst, `"connection":`...)
			dst = strconv.AppendUint(dst, v.Conn, 10)
			dst = append(dst, ',')
		}
		dst = append(dst, `"line":`...)
		dst = strconv.AppendUint(dst, v.Line, 10)
	}
	if v.Feed != FeedUnknown {
		dst = append(dst, `,"feed":"`...)
		dst = append(dst, v.Feed.String()...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"stage":"`...)
	dst = append(dst, v.Stage.String()...)
	dst = append(dst, `","verdict":"`...)
	dst = append(dst, v.Kind.String()...)
	dst = append(dst, '"')
	if v.Reason != ReasonNone {
		dst = append(dst, `,"reason":"`...)
		dst = append(dst, v.Reason.String()...)
		dst = append(dst, '"')
	}
	if v.Detail != DetailNone {
		dst = append(dst, `,"detail":"`...)
		dst = append(dst, v.Detail.String()...)
		dst = append(dst, '"')
	}
	if v.Kind == KindAlert {
		dst = append(dst, `,"alertType":`...)
		dst = AppendJSONString(dst, v.AlertType)
		if v.Threat != nil {
			dst = append(dst, `,"mapped":true,"threatId":`...)
			dst = AppendJSONString(dst, []byte(v.Threat.ID))
			dst = append(dst, `,"threatName":`...)
			dst = AppendJSONString(dst, []byte(v.Threat.Name))
		} else {
			dst = append(dst, `,"mapped":false`...)
		}
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes AppendJSONString copies as they are: all but control characters, '"' and '\'.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendJSONString appends s as a quoted JSON string. Invalid UTF-8 is passed through byte for byte;
// control characters, quotes and backslashes are escaped.
func AppendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if jsonSafe[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
