package render_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports/render"
)

var errDisk = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	v := struct {
		A int      `json:"a"`
		B []string `json:"b"`
	}{1, []string{"x"}}
	if err := (render.JSON[any]{}).Render(&buf, v); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"a\": 1,\n  \"b\": [\n    \"x\"\n  ]\n}\n"; buf.String() != want {
		t.Errorf("JSON rendered %q; want %q", buf.String(), want)
	}
	if err := (render.JSON[int]{}).Render(failWriter{}, 1); !errors.Is(err, errDisk) {
		t.Errorf("JSON to a failing writer: error %v; want the writer's", err)
	}
	if err := (render.JSON[func()]{}).Render(io.Discard, func() {}); err == nil || !strings.Contains(err.Error(), "write JSON") {
		t.Errorf("JSON of a func: error %v; want one saying write JSON", err)
	}
}

func TestFunc(t *testing.T) {
	var r render.Renderer[string] = render.Func[string](func(w io.Writer, s string) error {
		_, err := io.WriteString(w, strings.ToUpper(s))
		return err
	})
	var buf bytes.Buffer
	if err := r.Render(&buf, "abc"); err != nil || buf.String() != "ABC" {
		t.Errorf("Func.Render = %q, %v; want ABC, nil", buf.String(), err)
	}
}
