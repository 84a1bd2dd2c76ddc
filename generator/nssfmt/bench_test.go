package nssfmt_test

import (
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
)

// BenchmarkRender renders every built-in feed with constant values, with Program (renderer=nssfmt)
// and with the naive fmt.Sprintf + strings.Replacer reference (renderer=naive), reusing the
// output buffer. values=bench are plain values; values=dirty need encoding in most string fields
// and run with the feed escape set `=,"`. Compare runs with benchstat:
//
//	go test -run '^$' -bench Render -benchmem -count 6 ./generator/nssfmt/ | tee new.txt
func BenchmarkRender(b *testing.B) {
	type valueSet struct {
		name   string
		v      *fieldValues
		escape string
	}
	sets := []valueSet{{"bench", benchValues(), ""}, {"dirty", dirtyValues(), `=,"`}}
	for _, name := range feeds.Names() {
		feed, err := feeds.ByName(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, set := range sets {
			if set.name == "dirty" && name != "web" && name != "firewall" {
				continue
			}
			p := nssfmt.MustCompile(feed.Format, nssfmt.Options{Escape: set.escape})
			naive := newNaive(feed.Format, set.escape)
			want := naive.render(set.v)
			if got := string(p.Append(nil, set.v)); got != want {
				b.Fatalf("feed %s: Program and naive disagree:\n%q\n%q", name, got, want)
			}
			prefix := "feed=" + name + "/values=" + set.name
			b.Run(prefix+"/renderer=nssfmt", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(want)))
				dst := make([]byte, 0, 2*len(want))
				for b.Loop() {
					dst = p.Append(dst[:0], set.v)
					if len(dst) != len(want) {
						b.Fatalf("rendered %d bytes; want %d", len(dst), len(want))
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			})
			b.Run(prefix+"/renderer=naive", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(want)))
				for b.Loop() {
					if line := naive.render(set.v); len(line) != len(want) {
						b.Fatalf("rendered %d bytes; want %d", len(line), len(want))
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}

// BenchmarkCompile compiles the longest built-in format, once per feed setup.
func BenchmarkCompile(b *testing.B) {
	feed, err := feeds.ByName("web")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(feed.Format)))
	for b.Loop() {
		p, err := nssfmt.Compile(feed.Format, nssfmt.Options{})
		if err != nil || len(p.Fields()) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderBase64 renders a web record of the fields Zscaler offers as b64 variants, each
// base64-encoded (variant=b64) and as its plain field (variant=plain), so the cost of the encoding
// shows beside the plain render.
func BenchmarkRenderBase64(b *testing.B) {
	v := dirtyValues()
	for _, variant := range []string{"b64", "plain"} {
		var src strings.Builder
		for _, name := range b64Fields {
			if variant == "plain" {
				name = strings.TrimPrefix(name, "b64")
			}
			src.WriteString(name + "=%s{" + name + "} ")
		}
		p := nssfmt.MustCompile(src.String(), nssfmt.Options{})
		want := p.Append(nil, v)
		b.Run("variant="+variant, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(want)))
			dst := make([]byte, 0, 2*len(want))
			for b.Loop() {
				dst = p.Append(dst[:0], v)
				if len(dst) != len(want) {
					b.Fatalf("rendered %d bytes; want %d", len(dst), len(want))
				}
			}
		})
	}
}
