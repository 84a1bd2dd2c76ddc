package scenarios

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that any input yields a scenario or an Errors whose every entry names a line
// inside the input — never a panic.
func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		data, err := files.ReadFile(name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(``))                                                       // empty
	f.Add([]byte(`{"duration":"1s","pacer":{"rate":"1/s"},"mix":{"*":1}}`)) // minimal valid
	f.Add([]byte(`{"mix":{"alert.*":1,"alert.xss":-1},"classes":[{}]}`))    // bad weights, empty class
	f.Add([]byte("{\"a\":\"\\u00zz\"}"))                                    // bad escape
	f.Add([]byte(`[1,2,{"x":[true,false,null]}]`))                          // not an object
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.json", data)
		if err == nil {
			if s == nil || len(s.Classes) == 0 {
				t.Fatalf("Parse = %v, nil error, without classes", s)
			}
			return
		}
		var list Errors
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty Errors", err, err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range list {
			if e.Line < 1 || e.Line > lines || e.File != "f.json" || e.Msg == "" {
				t.Fatalf("error %q: line %d outside [1, %d] or no message", e, e.Line, lines)
			}
		}
	})
}
