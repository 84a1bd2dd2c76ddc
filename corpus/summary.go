package corpus

import (
	"fmt"
	"io"
	"strings"
)

// WriteSummary says what New wrote into the corpus dir made with opts: the records, and whether the
// pipeline's verdicts equal the generator's ground truth, or how many differ with the first examples.
func (st *NewStats) WriteSummary(w io.Writer, dir string, opts NewOptions) error {
	s := fmt.Sprintf("wrote corpus %s: %d records of scenario %s, seed %d\n", dir, st.Records, opts.Scenario, opts.Seed)
	if st.Disagreements == 0 {
		s += "the pipeline's verdicts equal the generator's ground truth on every record\n"
	} else {
		s += fmt.Sprintf("%d records' verdicts differ from the generator's ground truth, e.g.:\n%s", st.Disagreements, strings.Join(st.Examples, ""))
	}
	_, err := io.WriteString(w, s)
	return err
}

// WriteSummary says what Record wrote into the corpus dir: the records and streams, the input's
// framing, and the oversize records it holds placeholders for.
func (st *RecordStats) WriteSummary(w io.Writer, dir string) error {
	s := fmt.Sprintf("wrote corpus %s: %d records from %d streams", dir, st.Records, st.Streams)
	if st.Framing != "" {
		s += fmt.Sprintf(" (%s framing)", st.Framing)
	}
	s += "\n"
	if st.Oversize > 0 {
		s += fmt.Sprintf("%d of them oversize: the collector skips those unread, so the corpus holds a placeholder for each (verdict malformed/oversize)\n", st.Oversize)
	}
	_, err := io.WriteString(w, s)
	return err
}
