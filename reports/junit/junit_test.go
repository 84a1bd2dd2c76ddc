package junit_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"testing"

	"github.com/nssbench/nssbench/reports/junit"
)

func TestWrite(t *testing.T) {
	d := junit.Suites{Name: "nssbench verify"}
	s := junit.Suite{Name: "golden/a", Time: 0.25}
	s.Add(junit.Case{Name: "corpus", ClassName: "golden/a"})
	s.Add(junit.Case{Name: "web", ClassName: "golden/a", Failure: &junit.Problem{Message: "1 of 2 records mismatch", Type: "mismatch", Text: `a=<&>"`}})
	d.Add(s)
	broken := junit.Suite{Name: "golden/b"}
	broken.Add(junit.Case{Name: "corpus", ClassName: "golden/b", Error: &junit.Problem{Message: "gone", Type: "error", Text: "gone"}})
	d.Add(broken)
	if d.Tests != 3 || d.Failures != 1 || d.Errors != 1 || s.Tests != 2 || s.Failures != 1 || s.Errors != 0 {
		t.Errorf("counts: document %d/%d/%d, suite %d/%d/%d; want 3/1/1 and 2/1/0", d.Tests, d.Failures, d.Errors, s.Tests, s.Failures, s.Errors)
	}
	var buf bytes.Buffer
	if err := junit.Write(&buf, &d); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nssbench verify" tests="3" failures="1" errors="1">
  <testsuite name="golden/a" tests="2" failures="1" errors="0" time="0.25">
    <testcase name="corpus" classname="golden/a"></testcase>
    <testcase name="web" classname="golden/a">
      <failure message="1 of 2 records mismatch" type="mismatch">a=&lt;&amp;&gt;&#34;</failure>
    </testcase>
  </testsuite>
  <testsuite name="golden/b" tests="1" failures="0" errors="1" time="0">
    <testcase name="corpus" classname="golden/b">
      <error message="gone" type="error">gone</error>
    </testcase>
  </testsuite>
</testsuites>
`
	if buf.String() != want {
		t.Errorf("Write wrote\n%s\nwant\n%s", buf.String(), want)
	}
	var back junit.Suites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("the document does not decode: %v", err)
	}
	if len(back.Suites) != 2 || back.Suites[0].Cases[1].Failure.Text != `a=<&>"` {
		t.Errorf("decoded %+v; want the two suites back", back)
	}
}

var errDisk = errors.New("disk full")

// failAfter fails every write after the first n bytes.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errDisk
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	d := junit.Suites{Name: "x"}
	d.Add(junit.Suite{Name: "s"})
	var full bytes.Buffer
	if err := junit.Write(&full, &d); err != nil {
		t.Fatal(err)
	}
	// In the header, in the elements, and at the final newline.
	for _, n := range []int{0, 60, full.Len() - 1} {
		if err := junit.Write(&failAfter{n}, &d); !errors.Is(err, errDisk) {
			t.Errorf("Write failing after %d bytes: error %v; want the writer's", n, err)
		}
	}
}

// TestSkipped: a skipped case counts in its suite and the document, and a document without one writes
// no skipped attribute (as before skips existed).
func TestSkipped(t *testing.T) {
	d := junit.Suites{Name: "x"}
	s := junit.Suite{Name: "s"}
	s.Add(junit.Case{Name: "judged", ClassName: "s"})
	s.Add(junit.Case{Name: "not judged", ClassName: "s", Skipped: &junit.Problem{Message: "inconclusive", Type: "inconclusive"}})
	d.Add(s)
	if d.Tests != 2 || d.Skipped != 1 || d.Failures != 0 || s.Skipped != 1 {
		t.Errorf("counts: document %d tests %d skipped, suite %d skipped; want 2, 1, 1", d.Tests, d.Skipped, s.Skipped)
	}
	var buf bytes.Buffer
	if err := junit.Write(&buf, &d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<testsuites name="x" tests="2" failures="0" errors="0" skipped="1">`,
		`<skipped message="inconclusive" type="inconclusive"></skipped>`} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("document lacks %s:\n%s", want, buf.String())
		}
	}
	var none bytes.Buffer
	if err := junit.Write(&none, &junit.Suites{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(none.Bytes(), []byte("skipped")) {
		t.Errorf("a document without skips writes a skipped attribute:\n%s", none.String())
	}
}
