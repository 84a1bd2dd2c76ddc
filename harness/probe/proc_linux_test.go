package probe

import (
	"testing"
)

// TestParseStat parses stat lines whose process names hold spaces and parentheses, and rejects
// truncated or garbled ones.
func TestParseStat(t *testing.T) {
	const tail = " S 41 42 42 0 -1 4194560 4129 42595 0 11 7 3 33 5 20 0 4 0 50342 5124096 969 18446744073709551615 1 2\n"
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{"42 (bash)" + tail, true},
		{"42 (a) b (c))" + tail, true},
		{"42 (syslog-ng)" + tail, true},
		{"42 (bash) S 41 42", false},
		{"42 bash" + tail, false},
		{"42 (bash) S 41 42 42 0 -1 x 4129 42595 0 11 7 3 33 5 20 0 4 0 50342 5124096 969", false},
	} {
		var st stat
		ok := parseStat([]byte(c.line), &st)
		if ok != c.ok {
			t.Errorf("parseStat(%q) ok = %v; want %v", c.line, ok, c.ok)
			continue
		}
		want := stat{state: 'S', ppid: 41, utime: 7, stime: 3, cutime: 33, cstime: 5, threads: 4, start: 50342, rss: 969}
		if ok && st != want {
			t.Errorf("parseStat(%q) = %+v; want %+v", c.line, st, want)
		}
	}
}

// TestAccountReaped replays made-up stats through the tree's accounting: children that exit and are
// reaped move their time into the parent's cutime without counting it twice; a child reaped by a
// grandparent after its parent died too; a child whose parent does not reap it; a reused pid.
func TestAccountReaped(t *testing.T) {
	type proc struct {
		pid, ppid             int
		start                 uint64
		utime, cutime, cstime uint64
	}
	steps := []struct {
		name  string
		procs []proc
		want  uint64
	}{
		{"baseline", []proc{{1, 0, 1, 100, 0, 0}, {2, 1, 5, 50, 0, 0}, {3, 2, 6, 20, 0, 0}}, 0},
		{"all run", []proc{{1, 0, 1, 110, 0, 0}, {2, 1, 5, 60, 0, 0}, {3, 2, 6, 25, 0, 0}}, 10 + 10 + 5},
		// 3 ran 4 more ticks (29 in all) and was reaped by 2: 2's cutime holds 29, 25 of it counted before.
		{"grandchild reaped", []proc{{1, 0, 1, 112, 0, 0}, {2, 1, 5, 61, 29, 0}}, 2 + 1 + 4},
		// 4 is born and runs 7 ticks; 2 (61+29) runs 1 more and dies, reaped by 1 (+91 in cutime).
		{"child reaped, one born", []proc{{1, 0, 1, 113, 91, 0}, {4, 1, 9, 7, 0, 0}}, 1 + 1 + 7},
		// 4 dies unreaped by the tree (its parent ignores SIGCHLD): its last stretch is lost, nothing goes back.
		{"child lost", []proc{{1, 0, 1, 114, 91, 0}}, 1},
		// pid 5 born with a child 6; then both die, 6 reaped by 5 then 5 by 1: 1 gains 5's total with 6's in it.
		{"pair born", []proc{{1, 0, 1, 114, 91, 0}, {5, 1, 10, 3, 0, 0}, {6, 5, 11, 4, 0, 0}}, 3 + 4},
		{"pair reaped", []proc{{1, 0, 1, 114, 91 + 3 + 1 + 4 + 2, 0}}, 1 + 2},
		// pid 7 appears, then pid 7 is another process (a new start time): counted as new.
		{"pid", []proc{{1, 0, 1, 114, 101, 0}, {7, 1, 20, 5, 0, 0}}, 5},
		{"pid reused", []proc{{1, 0, 1, 114, 101, 0}, {7, 1, 21, 2, 0, 0}}, 2},
	}
	tr := &procTree{procs: map[int]procState{}}
	for _, s := range steps {
		tr.epoch++
		var d uint64
		for _, p := range s.procs {
			d += tr.account(p.pid, &stat{ppid: p.ppid, start: p.start, utime: p.utime, cutime: p.cutime, cstime: p.cstime})
		}
		d -= tr.reaped()
		if d != s.want {
			t.Errorf("%s: %d ticks; want %d", s.name, d, s.want)
		}
		if len(tr.procs) != len(s.procs) {
			t.Errorf("%s: %d processes remembered; want %d", s.name, len(tr.procs), len(s.procs))
		}
	}
}
