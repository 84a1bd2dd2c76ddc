package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/pipeline"
)

const parseMaxLine = 64 << 10

func cmdParse(e *env, args []string) int {
	fs := newFlagSet(e, "parse", "parse [flags] [FILE...]", `  nssbench gen -count 3 | nssbench parse
  nssbench parse -json -verdict nss.log
  echo 'Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow' | nssbench parse -verdict
`)
	var (
		asJSON    = fs.Bool("json", false, "one JSON object per line: {\"ok\":…,\"header\":{…},\"extensions\":{…}} or {\"ok\":false,\"error\":…,\"column\":N}")
		withVerd  = fs.Bool("verdict", false, "also show the reference pipeline's verdict")
		strict    = fs.Bool("strict", false, "parse extensions to the letter of the CEF specification (a raw '=' in a value is an error)")
		rulesFile = fs.String("rules", "", "rules file for -verdict (default: built-in)")
		mapsFile  = fs.String("mappings", "", "mapping file for -verdict (default: built-in)")
	)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	pl, code := loadPipeline(e, "parse", *rulesFile, *mapsFile, *strict)
	if pl == nil {
		return code
	}
	p := &parseCmd{out: bufio.NewWriter(e.stdout), json: *asJSON, verdict: *withVerd,
		parser: &cef.Parser{Strict: *strict}, dec: pl.NewDecider()}
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
		if err := p.stream(r); err != nil {
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
	return exitOK
}

type parseCmd struct {
	out           *bufio.Writer
	json, verdict bool
	parser        *cef.Parser
	dec           *pipeline.Decider
	v             verdict.Verdict
	line          uint64
	buf           []byte
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
		b = fmt.Appendf(b, "line %d: ok %s %s %q (%d extensions)\n", p.line, rec.Product, rec.SignatureID, rec.Name, len(pairs))
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
