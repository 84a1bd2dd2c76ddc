package probe

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseStat checks parseStat against a plain reference: the fields after the last ')', split on
// spaces and newlines; a negative field reads as 0.
func FuzzParseStat(f *testing.F) {
	f.Add("42 (bash) S 41 42 42 0 -1 4194560 4129 42595 0 11 7 3 33 5 20 0 4 0 50342 5124096 969 18446744073709551615\n")
	f.Add("42 (a) b)) Z 1 0 0 0 0 0 0 0 0 0 0 0 0 0 -100 0 1 0 9 0 0")
	f.Add("1 ()")
	f.Fuzz(func(t *testing.T, line string) {
		var st stat
		ok := parseStat([]byte(line), &st)
		i := strings.LastIndexByte(line, ')')
		if i < 0 {
			if ok {
				t.Fatalf("parseStat(%q) ok without a ')'", line)
			}
			return
		}
		f := strings.FieldsFunc(line[i+1:], func(r rune) bool { return r == ' ' || r == '\n' })
		var v [22]uint64
		want := len(f) >= len(v)
		for j := 1; want && j < len(v); j++ {
			if strings.HasPrefix(f[j], "-") {
				continue
			}
			n, err := strconv.ParseUint(f[j], 10, 64)
			want = err == nil && len(f[j]) <= 19 && !strings.HasPrefix(f[j], "+")
			v[j] = n
		}
		if ok != want {
			t.Fatalf("parseStat(%q) ok = %v; the reference says %v", line, ok, want)
		}
		if ok && (st.state != f[0][0] || st.ppid != int(v[1]) || st.utime != v[11] || st.cstime != v[14] || st.start != v[19] || st.rss != v[21]) {
			t.Fatalf("parseStat(%q) = %+v; the reference reads %v", line, st, v)
		}
	})
}
