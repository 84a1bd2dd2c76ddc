package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/pipeline"
)

const parseMaxLine = 64 << 10

func cmdParse(e *env, args []string) int {
	fs := newFlagSet(e, "parse", "parse [flags] [FILE|-]...", `  nssbench gen -count 3 | nssbench parse
  nssbench parse -json -verdict nss.log
  nssbench parse -check -verdict fw.log.zst - < more.log   # zstd by its magic bytes; exit 3 if any malformed
  echo 'Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow' | nssbench parse -verdict
`)
	var (
		asJSON    = fs.Bool("json", false, "one JSON object per line: {\"ok\":…,\"header\":{…},\"extensions\":{…}} or {\"ok\":false,\"error\":…,\"column\":N}")
		withVerd  = fs.Bool("verdict", false, "also show the reference pipeline's verdict")
		strict    = fs.Bool("strict", false, "parse extensions to the letter of the CEF specification (a raw '=' in a value, or a tab before a key, is an error)")
		rulesFile = fs.String("rules", "", "rules file for -verdict (default: built-in)")
		mapsFile  = fs.String("mappings", "", "mapping file for -verdict (default: built-in)")
		check     = fs.Bool("check", false, "exit 3 if any line is malformed (PIPELINE.md C1), counting them by detail on stderr")
	)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	pl, code := loadPipeline(e, "parse", *rulesFile, *mapsFile, *strict)
	if pl == nil {
		return code
	}
	p := &parseCmd{out: bufio.NewWriter(e.stdout), json: *asJSON, verdict: *withVerd,
		parser: &cef.Parser{Strict: *strict}, dec: pl.NewDecider(), malformed: map[verdict.Detail]uint64{}}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	failed := false
	for _, name := range inputs {
		r := e.stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(e.stderr, "nssbench parse: %v\n", err)
				failed = true
				continue
			}
			r = f
			defer f.Close()
		}
		if err := p.streamInput(r); err != nil {
			fmt.Fprintf(e.stderr, "nssbench parse: %s: %v\n", name, err)
			failed = true
		}
	}
	if err := p.out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "nssbench parse: %v\n", err)
		return exitFailure
	}
	if failed {
		return exitFailure
	}
	if *check {
		fmt.Fprintf(e.stderr, "nssbench parse: %s\n", p.malformedSummary())
		if p.nMalformed > 0 {
			return exitConformance
		}
	}
	return exitOK
}

// zstdMagic starts every zstd frame (RFC 8878).
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// streamInput parses one input, decompressing it first when it starts with zstd's magic bytes,
// whatever its name.
func (p *parseCmd) streamInput(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(len(zstdMagic)); !bytes.Equal(magic, zstdMagic) {
		return p.stream(br)
	}
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	defer zr.Close()
	if err := p.stream(zr); err != nil {
		return fmt.Errorf("zstd input: %w", err)
	}
	return nil
}

// malformedSummary says how many lines were malformed, by detail in the order of PIPELINE.md C1, e.g.
// "2 of 50 lines malformed: bad_version 1, truncated 1".
func (p *parseCmd) malformedSummary() string {
	if p.nMalformed == 0 {
		return fmt.Sprintf("%d lines, none malformed", p.line)
	}
	var parts []string
	for _, d := range verdict.Details() {
		if n := p.malformed[d]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", d, n))
		}
	}
	return fmt.Sprintf("%d of %d lines malformed: %s", p.nMalformed, p.line, strings.Join(parts, ", "))
}

// count tallies the verdict of the current line.
func (p *parseCmd) count() {
	if p.v.Reason == verdict.ReasonMalformed {
		p.malformed[p.v.Detail]++
		p.nMalformed++
	}
}

type parseCmd struct {
	out           *bufio.Writer
	json, verdict bool
	parser        *cef.Parser
	dec           *pipeline.Decider
	v             verdict.Verdict
	line          uint64
	buf           []byte
	malformed     map[verdict.Detail]uint64 // malformed lines by detail, for -check
	nMalformed    uint64
}

func (p *parseCmd) stream(r io.Reader) error {
	fr := framing.NewReader(r, parseMaxLine)
	for {
		rec, err := fr.Next()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, framing.ErrOversize):
			p.line++
			p.v.Reset()
			p.dec.DecideOversize(&p.v)
			p.v.Line = p.line
			p.count()
			p.emitError(fmt.Sprintf("record longer than %d bytes", parseMaxLine), 0)
		case err != nil:
			return err
		default:
			p.line++
			p.one(rec)
		}
	}
}

func (p *parseCmd) one(line []byte) {
	p.v.Reset()
	p.dec.Decide(line, &p.v)
	p.v.Line = p.line
	p.count()
	rec, err := p.parser.Parse(line)
	var pairs []cef.Pair
	if err == nil {
		pairs, err = p.parser.Extensions(rec)
	}
	if err != nil {
		col := 0
		var ce *cef.Error
		if errors.As(err, &ce) {
			col = ce.Column
		}
		p.emitError(err.Error(), col)
		return
	}
	b := p.buf[:0]
	if p.json {
		b = append(b, `{"ok":true,"header":{"version":`...)
		b = appendQuoted(b, rec.Version)
		for _, h := range []struct {
			k string
			v []byte
		}{{"vendor", rec.Vendor}, {"product", rec.Product}, {"device_version", rec.DeviceVersion},
			{"signature_id", rec.SignatureID}, {"name", rec.Name}, {"severity", rec.Severity}} {
			b = append(b, `,"`...)
			b = append(b, h.k...)
			b = append(b, `":`...)
			b = appendQuoted(b, h.v)
		}
		b = append(b, `},"extensions":{`...)
		for i, kv := range pairs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuoted(b, kv.Key)
			b = append(b, ':')
			b = appendQuoted(b, kv.Value)
		}
		b = append(b, '}')
		b = p.appendVerdictJSON(b)
		b = append(b, "}\n"...)
	} else {
		b = fmt.Appendf(b, "line %d: ok CEF:%s %s %s %q (%d extensions)\n", p.line, rec.Version, rec.Product, rec.SignatureID, rec.Name, len(pairs))
		for _, kv := range pairs {
			b = fmt.Appendf(b, "  %s=%s\n", kv.Key, kv.Value)
		}
		b = p.appendVerdictText(b)
	}
	p.buf = b
	p.out.Write(b)
}

func (p *parseCmd) emitError(msg string, col int) {
	b := p.buf[:0]
	if p.json {
		b = append(b, `{"ok":false,"error":`...)
		b = appendQuoted(b, []byte(msg))
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(col), 10)
		b = p.appendVerdictJSON(b)
		b = append(b, "}\n"...)
	} else {
		b = fmt.Appendf(b, "line %d: error: %s\n", p.line, msg)
		b = p.appendVerdictText(b)
	}
	p.buf = b
	p.out.Write(b)
}

func (p *parseCmd) appendVerdictJSON(b []byte) []byte {
	if !p.verdict {
		return b
	}
	b = append(b, `,"verdict":`...)
	return p.v.AppendJSON(b)
}

func (p *parseCmd) appendVerdictText(b []byte) []byte {
	if !p.verdict {
		return b
	}
	b = append(b, "  verdict: "...)
	b = p.v.AppendJSON(b)
	return append(b, '\n')
}

// appendQuoted appends s as a JSON string.
func appendQuoted(b, s []byte) []byte { return verdict.AppendJSONString(b, s) }
