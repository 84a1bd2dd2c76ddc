package verdict

import (
	"encoding/json"
	"testing"
)

// TestAppendJSONStringBytes checks every byte alone and between others: an ASCII byte round-trips
// through encoding/json, control characters, '"' and '\' are escaped, and the others (UTF-8 or not) are
// copied as they are.
func TestAppendJSONStringBytes(t *testing.T) {
	for c := range 256 {
		s := []byte{'a', byte(c), 'b'}
		out := AppendJSONString(nil, s)
		escaped := c < 0x20 || c == '"' || c == '\\'
		if !escaped && string(out) != `"`+string(s)+`"` {
			t.Errorf("AppendJSONString(%q) = %s; want the bytes copied", s, out)
		}
		if escaped && len(out) <= len(s)+2 {
			t.Errorf("AppendJSONString(%q) = %q; want %#x escaped", s, out, c)
		}
		if c < 0x80 {
			var got string
			if err := json.Unmarshal(out, &got); err != nil || got != string(s) {
				t.Errorf("AppendJSONString(%q) = %s, which decodes to %q (%v)", s, out, got, err)
			}
		}
	}
}
