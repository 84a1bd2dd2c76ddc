package scenarios

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/scenarios/jsonpos"
)

// FieldError is one problem in a scenario or class file: where it is and what is wrong.
type FieldError struct {
	File  string // file name as given to Parse
	Line  int    // 1-based line of the offending value (or of its enclosing object when it is missing)
	Field string // path of the value, e.g. `pacer.rate`, `mix["alert.foo"]`; empty for syntax errors
	Msg   string
}

// Error formats "file:line: field: msg".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// Errors is every problem found in one file, in document order. It implements error.
type Errors []*FieldError

// Error lists the problems, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, for errors.As and errors.Is.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// decoder reads typed values out of a fastjson document and collects every problem with its line.
type decoder struct {
	file string
	pos  *jsonpos.Index
	errs Errors
}

func (d *decoder) errorf(path, format string, args ...any) {
	d.errs = append(d.errs, &FieldError{File: d.file, Line: d.pos.Line(path), Field: path, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected problems sorted by line (stable within a line), or nil.
func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	sort.SliceStable(d.errs, func(i, j int) bool { return d.errs[i].Line < d.errs[j].Line })
	return d.errs
}

// parse checks the syntax of data and returns its fastjson value, or nil after recording the error.
func (d *decoder) parse(data []byte) *fastjson.Value {
	var err error
	if d.pos, err = jsonpos.Scan(data); err != nil {
		var se *jsonpos.SyntaxError
		errors.As(err, &se)
		line, _ := jsonpos.LineCol(data, se.Offset)
		d.errs = append(d.errs, &FieldError{File: d.file, Line: line, Msg: "syntax error: " + se.Msg})
		return nil
	}
	var p fastjson.Parser
	v, err := p.ParseBytes(data)
	if err != nil { // the scanner accepted it; report fastjson's view anyway
		d.errs = append(d.errs, &FieldError{File: d.file, Line: 1, Msg: "syntax error: " + err.Error()})
		return nil
	}
	return v
}

// object returns v as an object and checks its keys: each must be in known, at most once. visit is
// called for the known keys in document order.
func (d *decoder) object(v *fastjson.Value, path string, known []string, visit func(key string, v *fastjson.Value, path string)) bool {
	o, err := v.Object()
	if err != nil {
		d.errorf(path, "want an object, got %s", v.Type())
		return false
	}
	seen := map[string]bool{}
	o.Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		p := pathOf(path, key)
		switch {
		case seen[key]:
			d.errorf(p, "duplicate key")
		case known != nil && !contains(known, key):
			d.errorf(p, "unknown key (known: %s)", strings.Join(known, ", "))
		default:
			seen[key] = true
			visit(key, v, p)
		}
	})
	return true
}

func (d *decoder) str(v *fastjson.Value, path string) (string, bool) {
	b, err := v.StringBytes()
	if err != nil {
		d.errorf(path, "want a string, got %s", v.Type())
		return "", false
	}
	return string(b), true
}

func (d *decoder) number(v *fastjson.Value, path string) (float64, bool) {
	f, err := v.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		d.errorf(path, "want a number, got %s", v.Type())
		return 0, false
	}
	return f, true
}

// uint64Value reads a non-negative integer, as a JSON number or a decimal string (for seeds above 2^53).
func (d *decoder) uint64Value(v *fastjson.Value, path string) (uint64, bool) {
	if v.Type() == fastjson.TypeString {
		s, _ := d.str(v, path)
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			d.errorf(path, "%q is not a non-negative integer", s)
			return 0, false
		}
		return n, true
	}
	n, err := v.Uint64()
	if err != nil {
		d.errorf(path, "want a non-negative integer, got %s", v)
		return 0, false
	}
	return n, true
}

func (d *decoder) intIn(v *fastjson.Value, path string, lo, hi int) (int, bool) {
	n, err := v.Int()
	if err != nil || n < lo || n > hi {
		d.errorf(path, "want an integer in [%d, %d], got %s", lo, hi, v)
		return 0, false
	}
	return n, true
}

// duration reads a Go duration string such as "10s" or "1m30s"; it must be > 0.
func (d *decoder) duration(v *fastjson.Value, path string) (time.Duration, bool) {
	return d.durationMin(v, path, false)
}

// durationZero reads a duration that may be zero ("0s").
func (d *decoder) durationZero(v *fastjson.Value, path string) (time.Duration, bool) {
	return d.durationMin(v, path, true)
}

func (d *decoder) durationMin(v *fastjson.Value, path string, zero bool) (time.Duration, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return 0, false
	}
	t, err := time.ParseDuration(s)
	if err != nil || t < 0 || t == 0 && !zero {
		want := "positive"
		if zero {
			want = "non-negative"
		}
		d.errorf(path, "%q is not a %s duration (e.g. \"10s\", \"1m30s\")", s, want)
		return 0, false
	}
	return t, true
}

// rate reads an event rate in events per second: a number, or a string in pacer.ParseRate's grammar
// ("5000/s", "5k/s", "300000/m", ...).
func (d *decoder) rate(v *fastjson.Value, path string) (float64, bool) {
	if v.Type() == fastjson.TypeNumber {
		f, ok := d.number(v, path)
		if ok && f < 0 {
			d.errorf(path, "rate %v is negative", f)
			return 0, false
		}
		return f, ok
	}
	s, ok := d.str(v, path)
	if !ok {
		return 0, false
	}
	r, err := pacer.ParseRate(s)
	if err != nil {
		d.errorf(path, "%v", err)
		return 0, false
	}
	return r, true
}

// pathOf and indexPath write the paths that errors name, in jsonpos's notation.
func pathOf(parent, key string) string { return jsonpos.Key(parent, key) }

func indexPath(parent string, i int) string { return jsonpos.Elem(parent, i) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
