package sink

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/nssbench/nssbench/harness/cef"
)

// FuzzExtract checks Extract against slower references (the CEF parser's full extension split;
// encoding/json), and that it fails only with its three errors, never a panic.
func FuzzExtract(f *testing.F) {
	seeds := []string{
		// an NSS web line with its record id
		"Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked externalId=7379073205867184130",
		// a record id with escapes around it, a duplicate key
		`CEF:0|Z|NSSFWlog|1|a\|b|n|3|cs1=a\=b externalId=12 externalId=13`,
		// not CEF, no id, bad id
		"garbage", "CEF:0|a|b|c|d|e|f|act=x", "CEF:0|a|b|c|d|e|f|externalId=12x",
		// JSON objects
		`{"externalId":"42","name":"RDP Allow"}`, `{"externalId":42}`, `{"externalId":"4\u0032"}`, `[{"externalId":1}]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		x := NewExtractor(Options{})
		for _, format := range []Format{FormatCEF, FormatJSON} {
			got, err := x.Extract(rec, format)
			switch err {
			case nil, ErrUnreadable, ErrNoID, ErrBadID:
			default:
				t.Fatalf("Extract(%q, %s) error %v: not one of the sink's errors", rec, format, err)
			}
			if format == FormatCEF {
				checkCEF(t, rec, got, err)
			} else {
				checkJSON(t, rec, got, err)
			}
		}
	})
}

// checkCEF compares Extract's CEF result with a full split of the extension.
func checkCEF(t *testing.T, rec []byte, got Fields, err error) {
	var p cef.Parser
	r, perr := p.Parse(rec)
	if perr != nil {
		if err != ErrUnreadable {
			t.Fatalf("Extract(%q) = %v; the parser says %v", rec, err, perr)
		}
		return
	}
	pairs, eerr := p.Extensions(r)
	if eerr != nil {
		return // lenient Get may still find the key: no reference
	}
	for i := len(pairs) - 1; i >= 0; i-- { // the last duplicate wins, as in cef.Record.Get
		pair := pairs[i]
		if string(pair.Key) != DefaultIDField {
			continue
		}
		want, werr := strconv.ParseUint(string(pair.Value), 10, 64)
		switch {
		case werr == nil && len(pair.Value) <= 20:
			if err != nil || got.ID != want {
				t.Fatalf("Extract(%q) = %d, %v; the full split says %d", rec, got.ID, err, want)
			}
		case err != ErrBadID:
			t.Fatalf("Extract(%q) = %d, %v; want ErrBadID for %q", rec, got.ID, err, pair.Value)
		}
		return
	}
	if err != ErrNoID {
		t.Fatalf("Extract(%q) = %d, %v; the full split has no %s", rec, got.ID, err, DefaultIDField)
	}
}

// checkJSON compares Extract's JSON result with encoding/json, for objects whose id key occurs once
// (with duplicates, encoding/json keeps the last member and fastjson finds the first).
func checkJSON(t *testing.T, rec []byte, got Fields, err error) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	if dec.Decode(&obj) != nil || dec.More() || bytes.Count(rec, []byte(`"`+DefaultIDField+`"`)) != 1 {
		return
	}
	v, ok := obj[DefaultIDField]
	if !ok {
		return // the literal was inside a value
	}
	var want uint64
	var werr error
	switch v := v.(type) {
	case string:
		want, werr = strconv.ParseUint(v, 10, 64)
		if len(v) > 20 {
			werr = strconv.ErrRange
		}
	case json.Number:
		want, werr = strconv.ParseUint(v.String(), 10, 64)
	default:
		werr = strconv.ErrSyntax
	}
	switch {
	case werr == nil && (err != nil || got.ID != want):
		t.Fatalf("Extract(%q) = %d, %v; encoding/json reads id %d", rec, got.ID, err, want)
	case werr != nil && err != ErrBadID:
		t.Fatalf("Extract(%q) = %d, %v; encoding/json reads %v, not an id: want ErrBadID", rec, got.ID, err, v)
	}
}
