package nssfmt_test

import (
	"strconv"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// fieldValues is a Values backed by per-field slices (newFieldValues). It does not allocate.
type fieldValues struct {
	text [][]byte
	num  []int64
}

// newFieldValues returns fieldValues with room for every field of the table, all empty.
func newFieldValues() *fieldValues {
	n := nssfmt.NumFields()
	return &fieldValues{text: make([][]byte, n), num: make([]int64, n)}
}

// AppendText implements nssfmt.Values.
func (v *fieldValues) AppendText(dst []byte, f nssfmt.Field) []byte { return append(dst, v.text[f]...) }

// Number implements nssfmt.Values.
func (v *fieldValues) Number(f nssfmt.Field) int64 { return v.num[f] }

// vals builds fieldValues from name → string (text) or int (number, and its decimal as text).
// Unset fields print "None" and 0, as NSS prints empty values.
func vals(kv map[string]any) *fieldValues {
	v := newFieldValues()
	for i := range v.text {
		v.text[i] = []byte("None")
	}
	for name, x := range kv {
		f, ok := nssfmt.FieldByName(name)
		if !ok {
			panic("test: unknown field " + name)
		}
		switch x := x.(type) {
		case string:
			v.text[f] = []byte(x)
		case int:
			v.num[f] = int64(x)
			v.text[f] = strconv.AppendInt(nil, int64(x), 10)
		case int64:
			v.num[f] = x
			v.text[f] = strconv.AppendInt(nil, x, 10)
		default:
			panic("test: bad value type for " + name)
		}
	}
	return v
}

// benchValues returns constant, plausible values for every field: URLs and hosts look like
// URLs, numbers are small, other text is the field name with a suffix.
func benchValues() *fieldValues {
	v := newFieldValues()
	for _, f := range nssfmt.Fields() {
		switch name := f.Name(); name {
		case "url", "referer":
			v.text[f] = []byte("www.example.com/path/to/index.html")
		case "host", "refererhost":
			v.text[f] = []byte("www.example.com")
		case "mon":
			v.text[f] = []byte("Jun")
		default:
			v.text[f] = []byte(name + "-value")
		}
		if f.Numeric() {
			v.num[f] = int64(f)%60 + 1
			v.text[f] = strconv.AppendInt(nil, v.num[f], 10)
		}
	}
	return v
}
