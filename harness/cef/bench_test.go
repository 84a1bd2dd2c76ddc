package cef

import (
	"regexp"
	"strings"
	"testing"
)

// The benchmarks compare this parser with a naive baseline (strings.Split on '|' plus a regexp for
// key=value) on the derived NSS lines. For benchstat:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./harness/cef/ | tee new.txt

// benchLines returns the named NSS lines of testdata: web (~3 KB, 137 keys) and fw (~0.9 KB, 45 keys).
func benchLines(b *testing.B) []struct {
	name string
	line []byte
} {
	lines := readLines(b, "derived-cef-from-zscaler-samples.log")
	return []struct {
		name string
		line []byte
	}{{"fw", lines[1]}, {"web", lines[0]}}
}

// naiveKey finds the starts of key= tokens.
var naiveKey = regexp.MustCompile(`(?:^| )([A-Za-z0-9_]+)=`)

// naiveParse splits the header on every '|' (ignoring escapes) and returns the 7 header fields and the
// extension.
func naiveParse(line string) (hdr []string, ext string, ok bool) {
	i := strings.Index(line, "CEF:")
	if i < 0 {
		return nil, "", false
	}
	parts := strings.Split(line[i+4:], "|")
	if len(parts) < 8 {
		return nil, "", false
	}
	return parts[:7], strings.Join(parts[7:], "|"), true
}

// naiveExtensions splits ext into a map with a regexp.
func naiveExtensions(ext string) map[string]string {
	m := map[string]string{}
	locs := naiveKey.FindAllStringSubmatchIndex(ext, -1)
	for n, loc := range locs {
		end := len(ext)
		if n+1 < len(locs) {
			end = locs[n+1][0]
		}
		k := ext[loc[2]:loc[3]]
		if _, dup := m[k]; !dup {
			m[k] = strings.ReplaceAll(ext[loc[1]:end], `\=`, "=")
		}
	}
	return m
}

func BenchmarkParse(b *testing.B) {
	for _, l := range benchLines(b) {
		b.Run("line="+l.name+"/parser=nssbench", func(b *testing.B) {
			var p Parser
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				r, err := p.Parse(l.line)
				if err != nil || string(r.Vendor) != "Zscaler" {
					b.Fatalf("Parse = %v", err)
				}
			}
		})
		b.Run("line="+l.name+"/parser=nssbench-strict", func(b *testing.B) {
			p := Parser{Strict: true}
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				r, err := p.Parse(l.line)
				if err != nil || string(r.Vendor) != "Zscaler" {
					b.Fatalf("Parse = %v", err)
				}
			}
		})
		b.Run("line="+l.name+"/parser=naive", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				hdr, _, ok := naiveParse(string(l.line))
				if !ok || hdr[1] != "Zscaler" {
					b.Fatal("naiveParse failed")
				}
			}
		})
	}
	b.Run("line=truncated/parser=nssbench", func(b *testing.B) {
		var p Parser
		line := []byte("Jun 12 05:02:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|Default Firewall")
		b.ReportAllocs()
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := p.Parse(line); err == nil {
				b.Fatal("Parse accepted a truncated line")
			}
		}
	})
}

func BenchmarkParseGet(b *testing.B) {
	for _, l := range benchLines(b) {
		b.Run("line="+l.name+"/parser=nssbench", func(b *testing.B) {
			var p Parser
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				r, err := p.Parse(l.line)
				if err != nil {
					b.Fatal(err)
				}
				act, ok1 := r.Get("act")
				_, ok2 := r.Get("cs1")
				if !ok1 || !ok2 || len(act) == 0 {
					b.Fatal("Get failed")
				}
			}
		})
		b.Run("line="+l.name+"/parser=naive", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				_, ext, ok := naiveParse(string(l.line))
				m := naiveExtensions(ext)
				if !ok || m["act"] == "" || m["cs1"] == "" {
					b.Fatal("naive Get failed")
				}
			}
		})
	}
}

func BenchmarkExtensions(b *testing.B) {
	for _, l := range benchLines(b) {
		var p Parser
		r, _ := p.Parse(l.line)
		pairs, _ := p.Extensions(r)
		want := len(pairs)
		b.Run("line="+l.name+"/parser=nssbench", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				r, err := p.Parse(l.line)
				if err != nil {
					b.Fatal(err)
				}
				pairs, err := p.Extensions(r)
				if err != nil || len(pairs) != want {
					b.Fatalf("Extensions = %d pairs, %v; want %d", len(pairs), err, want)
				}
			}
		})
		b.Run("line="+l.name+"/parser=naive", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				_, ext, ok := naiveParse(string(l.line))
				if m := naiveExtensions(ext); !ok || len(m) == 0 {
					b.Fatal("naive Extensions failed")
				}
			}
		})
	}
}
