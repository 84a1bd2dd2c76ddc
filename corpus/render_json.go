package corpus

import (
	"io"

	"github.com/nssbench/nssbench/reports/render"
)

// jsonSummary is the document JSON writes.
type jsonSummary struct {
	OK      bool         `json:"ok"`
	Total   Totals       `json:"total"`
	Corpora []jsonCorpus `json:"corpora"`
}

// jsonCorpus is one outcome in JSON's document.
type jsonCorpus struct {
	Corpus      string         `json:"corpus"`
	Status      string         `json:"status"` // ok, FAIL or ERROR
	Error       string         `json:"error,omitempty"`
	Update      *UpdateStats   `json:"update,omitempty"`
	Description string         `json:"description,omitempty"`
	Via         string         `json:"via,omitempty"`
	Pipeline    string         `json:"pipeline,omitempty"`
	Warnings    []string       `json:"warnings,omitempty"`
	Records     uint64         `json:"records"`
	Matched     uint64         `json:"matched"`
	Mismatched  uint64         `json:"mismatched"`
	Seconds     float64        `json:"seconds"`
	Fields      []FieldCount   `json:"fields,omitempty"`
	Classes     []ClassSummary `json:"classes,omitempty"`
	Changes     []Change       `json:"changes,omitempty"`
	Mismatches  []Mismatch     `json:"mismatches,omitempty"`
}

// writeJSON renders outcomes for JSON (see there).
func writeJSON(w io.Writer, outs []Outcome) error {
	doc := jsonSummary{OK: true, Total: Total(outs), Corpora: make([]jsonCorpus, 0, len(outs))}
	for i := range outs {
		o := &outs[i]
		jc := jsonCorpus{Corpus: o.Dir, Status: o.Status(), Update: o.Update}
		if o.Err != nil {
			jc.Error = o.Err.Error()
		}
		if r := o.Result; r != nil {
			jc.Description, jc.Via, jc.Pipeline, jc.Warnings = r.Description, r.Via, r.Pipeline, r.Warnings
			jc.Records, jc.Matched, jc.Mismatched = r.Records, r.Matched, r.Mismatched
			jc.Seconds = r.Elapsed.Seconds()
			jc.Fields, jc.Classes, jc.Changes, jc.Mismatches = r.Fields, r.Classes, r.Changes, r.Mismatches
		}
		doc.OK = doc.OK && jc.Status == "ok"
		doc.Corpora = append(doc.Corpora, jc)
	}
	return render.JSON[*jsonSummary]{}.Render(w, &doc)
}
