package pipeline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/harness/framing"
)

// ExplainOptions say how an Explainer shows records.
type ExplainOptions struct {
	JSON    bool // one JSON object per record instead of text
	Verdict bool // add the pipeline's verdict
}

// Explainer shows what the collector sees in raw records (`nssbench parse`): each record's CEF header
// and extensions as the parser reads them, or its parse error and column, optionally with the
// pipeline's verdict, as text or one JSON object a record. It counts malformed records by detail.
type Explainer struct {
	out        *bufio.Writer
	opts       ExplainOptions
	parser     *cef.Parser
	dec        *Decider
	v          verdict.Verdict
	line       uint64
	buf        []byte
	malformed  map[verdict.Detail]uint64
	nMalformed uint64
}

// NewExplainer returns an Explainer writing to w, parsing as the pipeline does (strict or lenient).
func (p *Pipeline) NewExplainer(w io.Writer, opts ExplainOptions) *Explainer {
	return &Explainer{out: bufio.NewWriter(w), opts: opts, parser: &cef.Parser{Strict: p.opts.Strict},
		dec: p.NewDecider(), malformed: map[verdict.Detail]uint64{}}
}

// Flush writes what is buffered.
func (x *Explainer) Flush() error { return x.out.Flush() }

// Malformed returns how many records so far were malformed.
func (x *Explainer) Malformed() uint64 { return x.nMalformed }

// zstdMagic starts every zstd frame (RFC 8878).
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// Read explains every record of r (LF-framed or octet-counted), decompressing r first when it starts
// with zstd's magic bytes, whatever its name. Records are numbered on from earlier inputs.
func (x *Explainer) Read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(len(zstdMagic)); !bytes.Equal(magic, zstdMagic) {
		return x.stream(br)
	}
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	defer zr.Close()
	if err := x.stream(zr); err != nil {
		return fmt.Errorf("zstd input: %w", err)
	}
	return nil
}

// Summary says how many lines were malformed, by detail in the order of PIPELINE.md C1, e.g.
// "2 of 50 lines malformed: bad_version 1, truncated 1".
func (x *Explainer) Summary() string {
	if x.nMalformed == 0 {
		return fmt.Sprintf("%d lines, none malformed", x.line)
	}
	var parts []string
	for _, d := range verdict.Details() {
		if n := x.malformed[d]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", d, n))
		}
	}
	return fmt.Sprintf("%d of %d lines malformed: %s", x.nMalformed, x.line, strings.Join(parts, ", "))
}

// count tallies the verdict of the current line.
func (x *Explainer) count() {
	if x.v.Reason == verdict.ReasonMalformed {
		x.malformed[x.v.Detail]++
		x.nMalformed++
	}
}

func (x *Explainer) stream(r io.Reader) error {
	limit := x.dec.p.MaxLine()
	fr := framing.NewReader(r, limit)
	for {
		rec, err := fr.Next()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, framing.ErrOversize):
			x.line++
			x.v.Reset()
			x.dec.DecideOversize(&x.v)
			x.v.Line = x.line
			x.count()
			x.emitError(fmt.Sprintf("record longer than %d bytes", limit), 0)
		case err != nil:
			return err
		default:
			x.line++
			x.one(rec)
		}
	}
}

func (x *Explainer) one(line []byte) {
	x.v.Reset()
	x.dec.Decide(line, &x.v)
	x.v.Line = x.line
	x.count()
	rec, err := x.parser.Parse(line)
	var pairs []cef.Pair
	if err == nil {
		pairs, err = x.parser.Extensions(rec)
	}
	if err != nil {
		col := 0
		var ce *cef.Error
		if errors.As(err, &ce) {
			col = ce.Column
		}
		x.emitError(err.Error(), col)
		return
	}
	b := x.buf[:0]
	if x.opts.JSON {
		b = x.appendRecordJSON(b, rec, pairs)
	} else {
		b = fmt.Appendf(b, "line %d: ok CEF:%s %s %s %q (%d extensions)\n", x.line, rec.Version, rec.Product, rec.SignatureID, rec.Name, len(pairs))
		for _, kv := range pairs {
			b = fmt.Appendf(b, "  %s=%s\n", kv.Key, kv.Value)
		}
		b = x.appendVerdictText(b)
	}
	x.buf = b
	x.out.Write(b)
}

// appendRecordJSON appends a parsed record as {"ok":true,"header":{…},"extensions":{…}} and a newline.
func (x *Explainer) appendRecordJSON(b []byte, rec *cef.Record, pairs []cef.Pair) []byte {
	b = append(b, `{"ok":true,"header":{"version":`...)
	b = verdict.AppendJSONString(b, rec.Version)
	for _, h := range []struct {
		k string
		v []byte
	}{{"vendor", rec.Vendor}, {"product", rec.Product}, {"device_version", rec.DeviceVersion},
		{"signature_id", rec.SignatureID}, {"name", rec.Name}, {"severity", rec.Severity}} {
		b = append(b, `,"`...)
		b = append(b, h.k...)
		b = append(b, `":`...)
		b = verdict.AppendJSONString(b, h.v)
	}
	b = append(b, `},"extensions":{`...)
	for i, kv := range pairs {
		if i > 0 {
			b = append(b, ',')
		}
		b = verdict.AppendJSONString(b, kv.Key)
		b = append(b, ':')
		b = verdict.AppendJSONString(b, kv.Value)
	}
	b = append(b, '}')
	b = x.appendVerdictJSON(b)
	return append(b, "}\n"...)
}

func (x *Explainer) emitError(msg string, col int) {
	b := x.buf[:0]
	if x.opts.JSON {
		b = append(b, `{"ok":false,"error":`...)
		b = verdict.AppendJSONString(b, []byte(msg))
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(col), 10)
		b = x.appendVerdictJSON(b)
		b = append(b, "}\n"...)
	} else {
		b = fmt.Appendf(b, "line %d: error: %s\n", x.line, msg)
		b = x.appendVerdictText(b)
	}
	x.buf = b
	x.out.Write(b)
}

func (x *Explainer) appendVerdictJSON(b []byte) []byte {
	if !x.opts.Verdict {
		return b
	}
	b = append(b, `,"verdict":`...)
	return x.v.AppendJSON(b)
}

func (x *Explainer) appendVerdictText(b []byte) []byte {
	if !x.opts.Verdict {
		return b
	}
	b = append(b, "  verdict: "...)
	b = x.v.AppendJSON(b)
	return append(b, '\n')
}
