package probe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// atFDCWD is openat's "relative to the working directory", a variable so that it converts to uintptr.
var atFDCWD = -100 // AT_FDCWD

// procTree samples a process tree from /proc with buffers it reuses, so that a sample in steady state
// allocates nothing: files are opened with a raw openat on a reused path buffer and read into a reused
// buffer, directories listed with getdents.
//
// Children are found through /proc/PID/task/TID/children (one file per thread); on kernels without it
// (CONFIG_PROC_CHILDREN off), by scanning every process's stat for its parent.
//
// CPU is utime+stime+cutime+cstime of /proc/PID/stat: a process's own time and that of the children it
// reaped. Summing per-process deltas of that keeps the tree's CPU time from going backwards when a
// child exits: the child's time moves into its parent's cutime when the parent reaps it, and the part
// already counted while the child lived is taken off the parent's increase again. Children that lived
// and died between two samples are counted through their parent's cutime. What a child used after the
// last sample before it exited is lost only when no process of the tree reaps it.
type procTree struct {
	root  int
	scan  bool   // find children by scanning /proc (no children files)
	page  uint64 // bytes per page
	path  []byte // the path being built, NUL-terminated
	buf   []byte // the file being read
	dents []byte // getdents buffer
	queue []int  // the tree's pids, in walk order
	epoch uint64 // samples taken
	procs map[int]procState
	// truncated reports that the last sample left processes out (more than maxTreeSize).
	truncated bool
	// scan mode only: every process's stat, and the tree members found among them
	all     []scanned
	members map[int]struct{}
}

// procState is what the previous sample saw of one process.
type procState struct {
	start  uint64 // start time in ticks since boot: tells a reused pid from the process it was
	cum    uint64 // utime+stime+cutime+cstime
	reap   uint64 // cutime+cstime
	budget uint64 // this sample's increase of reap that may still be taken off (see procTree)
	ppid   int
	epoch  uint64 // the sample that last saw it
}

// stat holds the fields of /proc/PID/stat a sample uses.
type stat struct {
	state                        byte
	ppid                         int
	utime, stime, cutime, cstime uint64
	threads                      int
	start                        uint64
	rss                          uint64 // pages
}

type scanned struct {
	pid int
	st  stat
}

// newSource returns a /proc sampler of pid's tree, or an error wrapping ErrNoProcess when pid does not
// exist or has exited, and the process's name.
func newSource(pid int) (source, string, error) {
	t := &procTree{
		root:  pid,
		page:  uint64(os.Getpagesize()),
		path:  make([]byte, 0, 64),
		buf:   make([]byte, 4096),
		dents: make([]byte, 8192),
		queue: make([]int, 0, 64),
		procs: make(map[int]procState),
	}
	var st stat
	ok, err := t.readStat(pid, &st)
	switch {
	case err != nil:
		return nil, "", fmt.Errorf("pid %d: %w", pid, err)
	case !ok:
		return nil, "", fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	case st.state == 'Z' || st.state == 'X':
		return nil, "", fmt.Errorf("pid %d has exited (a zombie): %w", pid, ErrNoProcess)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)); errors.Is(err, os.ErrNotExist) {
		t.scan = true
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return nil, "", fmt.Errorf("pid %d: %w", pid, err)
	}
	return t, strings.TrimSuffix(string(comm), "\n"), nil
}

// clockTick returns the seconds per CPU tick of /proc/PID/stat: 1/AT_CLKTCK from the auxiliary vector,
// which is sysconf(_SC_CLK_TCK), or 1/100, Linux's USER_HZ on every common architecture.
func clockTick() float64 {
	const atClkTck = 17
	auxv, err := os.ReadFile("/proc/self/auxv")
	if err == nil && unsafe.Sizeof(uintptr(0)) == 8 {
		for i := 0; i+16 <= len(auxv); i += 16 {
			if binary.NativeEndian.Uint64(auxv[i:]) == atClkTck {
				if hz := binary.NativeEndian.Uint64(auxv[i+8:]); hz > 0 {
					return 1 / float64(hz)
				}
			}
		}
	}
	return 1.0 / 100
}

// sample walks the tree. When the root has exited, the reading has its last figures if it was still
// readable as a zombie, none otherwise.
func (t *procTree) sample() (reading, error) {
	t.epoch++
	r := reading{}
	if t.scan {
		if err := t.scanAll(); err != nil {
			return r, err
		}
	}
	t.queue = append(t.queue[:0], t.root)
	t.truncated = false
	var st stat
	for i := 0; i < len(t.queue); i++ {
		pid := t.queue[i]
		ok, err := t.stat(pid, &st)
		if err != nil {
			return reading{}, err
		}
		if !ok {
			if pid == t.root {
				r.exited = true
				break
			}
			continue // exited since its parent listed it
		}
		r.delta += t.account(pid, &st)
		r.rss += st.rss * t.page
		r.procs++
		if st.state == 'Z' || st.state == 'X' {
			r.exited = r.exited || pid == t.root
			continue
		}
		if err := t.children(pid, st.threads); err != nil {
			return reading{}, err
		}
	}
	r.delta -= t.reaped() // at most what the survivors' deltas hold (see reaped)
	r.truncated = t.truncated
	return r, nil
}

// account records pid's stat and returns its CPU ticks since the previous sample: all of them for a
// process new since then, none at the first sample (the baseline).
func (t *procTree) account(pid int, st *stat) uint64 {
	cum := st.utime + st.stime + st.cutime + st.cstime
	reap := st.cutime + st.cstime
	var d, budget uint64
	if p, ok := t.procs[pid]; ok && p.start == st.start {
		if cum > p.cum {
			d = cum - p.cum
		}
		if reap > p.reap {
			budget = min(reap-p.reap, d)
		}
	} else if t.epoch > 1 {
		d = cum // born since the previous sample, with its own reaped children
	}
	t.procs[pid] = procState{start: st.start, cum: cum, reap: reap, budget: budget, ppid: st.ppid, epoch: t.epoch}
	return d
}

// reaped forgets the processes this sample did not see and returns the ticks to take off again: for
// each, what the previous sample had counted of it, taken from the reap increase of its nearest
// ancestor still in the tree (whose cutime now holds it), at most that increase.
func (t *procTree) reaped() uint64 {
	var sub uint64
	for _, p := range t.procs {
		if p.epoch == t.epoch {
			continue
		}
		for anc, hops := p.ppid, 0; hops < maxTreeSize; hops++ {
			a, ok := t.procs[anc]
			if !ok {
				break
			}
			if a.epoch == t.epoch {
				s := min(p.cum, a.budget)
				a.budget -= s
				t.procs[anc] = a
				sub += s
				break
			}
			anc = a.ppid // gone too: its own parent reaped both
		}
	}
	for pid, p := range t.procs {
		if p.epoch != t.epoch {
			delete(t.procs, pid)
		}
	}
	return sub
}

// stat reads pid's stat, from the scan in scan mode. ok is false when the process does not exist.
func (t *procTree) stat(pid int, st *stat) (ok bool, err error) {
	if !t.scan {
		return t.readStat(pid, st)
	}
	for i := range t.all {
		if t.all[i].pid == pid {
			*st = t.all[i].st
			return true, nil
		}
	}
	return false, nil
}

// children appends pid's children to the queue, as far as maxTreeSize allows.
func (t *procTree) children(pid, threads int) error {
	if t.scan {
		for i := range t.all {
			if t.all[i].st.ppid == pid {
				t.push(t.all[i].pid)
			}
		}
		return nil
	}
	if threads <= 1 {
		return t.taskChildren(pid, pid)
	}
	t.path = appendProc(t.path[:0], pid, "/task")
	fd, errno := openDir(t.path)
	if errno != 0 {
		return gone(errno, "list threads of", pid)
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.Getdents(fd, t.dents)
		if err != nil {
			return gone(errnoOf(err), "list threads of", pid)
		}
		if n == 0 {
			return nil
		}
		for b := t.dents[:n]; len(b) > 19; {
			reclen := int(binary.NativeEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				return fmt.Errorf("list threads of pid %d: malformed directory entry", pid)
			}
			if tid, ok := atoi(b[19:reclen]); ok {
				if err := t.taskChildren(pid, tid); err != nil {
					return err
				}
			}
			b = b[reclen:]
		}
	}
}

// taskChildren appends the children of thread tid of pid to the queue.
func (t *procTree) taskChildren(pid, tid int) error {
	t.path = appendProc(t.path[:0], pid, "/task/")
	t.path = strconv.AppendInt(t.path, int64(tid), 10)
	t.path = append(t.path, "/children\x00"...)
	n, errno := t.read()
	if errno != 0 {
		return gone(errno, "read children of", pid)
	}
	for b := t.buf[:n]; len(b) > 0; {
		var field []byte
		if i := bytes.IndexByte(b, ' '); i >= 0 {
			field, b = b[:i], b[i+1:]
		} else {
			field, b = b, nil
		}
		if c, ok := atoi(field); ok {
			t.push(c)
		}
	}
	return nil
}

func (t *procTree) push(pid int) {
	if len(t.queue) >= maxTreeSize {
		t.truncated = true
		return
	}
	t.queue = append(t.queue, pid)
}

// readStat reads /proc/PID/stat. ok is false when the process does not exist (any more).
func (t *procTree) readStat(pid int, st *stat) (ok bool, err error) {
	t.path = appendProc(t.path[:0], pid, "/stat\x00")
	n, errno := t.read()
	if errno == syscall.ENOENT || errno == syscall.ESRCH {
		return false, nil
	}
	if errno != 0 {
		return false, fmt.Errorf("read /proc/%d/stat: %w", pid, errno)
	}
	if !parseStat(t.buf[:n], st) {
		return false, fmt.Errorf("read /proc/%d/stat: unexpected format %q", pid, t.buf[:min(n, 200)])
	}
	return true, nil
}

// scanAll reads the stat of every process in /proc (scan mode).
func (t *procTree) scanAll() error {
	t.all = t.all[:0]
	t.path = append(t.path[:0], "/proc\x00"...)
	fd, errno := openDir(t.path)
	if errno != 0 {
		return fmt.Errorf("list /proc: %w", errno)
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.Getdents(fd, t.dents)
		if err != nil {
			return fmt.Errorf("list /proc: %w", err)
		}
		if n == 0 {
			return nil
		}
		for b := t.dents[:n]; len(b) > 19; {
			reclen := int(binary.NativeEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				return errors.New("list /proc: malformed directory entry")
			}
			if pid, ok := atoi(b[19:reclen]); ok {
				var st stat
				if ok, err := t.readStat(pid, &st); err != nil {
					return err
				} else if ok {
					t.all = append(t.all, scanned{pid: pid, st: st})
				}
			}
			b = b[reclen:]
		}
	}
}

// read reads the file at t.path (NUL-terminated) into t.buf, growing it as needed, and returns its
// length. A read that does not fill the buffer is the whole file: /proc's stat and children files
// produce their content in one read when it fits.
func (t *procTree) read() (int, syscall.Errno) {
	fd, errno := openFile(t.path, syscall.O_RDONLY)
	if errno != 0 {
		return 0, errno
	}
	defer syscall.Close(fd)
	n := 0
	for {
		m, err := syscall.Read(fd, t.buf[n:])
		if err != nil {
			return 0, errnoOf(err)
		}
		n += m
		if n < len(t.buf) {
			return n, 0
		}
		t.buf = append(t.buf, make([]byte, len(t.buf))...)
	}
}

func openDir(path []byte) (int, syscall.Errno) {
	return openFile(path, syscall.O_RDONLY|syscall.O_DIRECTORY)
}

// openFile is openat(AT_FDCWD, path) on a NUL-terminated path without syscall.Open's copy of it.
func openFile(path []byte, flags int) (int, syscall.Errno) {
	fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(&path[0])),
		uintptr(flags|syscall.O_CLOEXEC), 0, 0, 0)
	return int(fd), errno
}

// gone turns the error of a child process's /proc file into nil when the process has exited meanwhile.
func gone(errno syscall.Errno, what string, pid int) error {
	if errno == syscall.ENOENT || errno == syscall.ESRCH {
		return nil
	}
	return fmt.Errorf("%s pid %d: %w", what, pid, errno)
}

func errnoOf(err error) syscall.Errno {
	if e, ok := err.(syscall.Errno); ok {
		return e
	}
	return syscall.EIO
}

// appendProc appends "/proc/PID" and suffix to b.
func appendProc(b []byte, pid int, suffix string) []byte {
	b = append(b, "/proc/"...)
	b = strconv.AppendInt(b, int64(pid), 10)
	return append(b, suffix...)
}

// parseStat parses /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStat(b []byte, st *stat) bool {
	i := len(b) - 1
	for i >= 0 && b[i] != ')' {
		i--
	}
	if i < 0 {
		return false
	}
	b = b[i+1:]
	// Fields after comm, from 0: state 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14,
	// num_threads 17, starttime 19, rss 21.
	var f [22]uint64
	field := -1
	for len(b) > 0 && field < len(f)-1 {
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\n') {
			b = b[1:]
		}
		if len(b) == 0 {
			break
		}
		j := 0
		for j < len(b) && b[j] != ' ' && b[j] != '\n' {
			j++
		}
		tok := b[:j]
		b = b[j:]
		field++
		if field == 0 {
			st.state = tok[0]
			continue
		}
		if tok[0] == '-' { // a negative signed field (priority, nice, tty): none of those used
			continue
		}
		v, ok := atou(tok)
		if !ok {
			return false
		}
		f[field] = v
	}
	if field < len(f)-1 {
		return false
	}
	st.ppid = int(f[1])
	st.utime, st.stime, st.cutime, st.cstime = f[11], f[12], f[13], f[14]
	st.threads = int(f[17])
	st.start = f[19]
	st.rss = f[21]
	return true
}

// atoi parses a decimal pid ending at the end of b or at a NUL; ok is false for anything else.
func atoi(b []byte) (int, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	v, ok := atou(b)
	return int(v), ok && v <= 1<<31
}

func atou(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
