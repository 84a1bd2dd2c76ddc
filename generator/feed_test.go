package generator

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// ownProfile and ownDraws are the profile and draws of a test feed that keeps them in types of its
// own, as a feed added after web, firewall and DNS does.
type (
	ownProfile struct{ tag []byte }
	ownDraws   struct {
		tag []byte
		n   int64
	}
)

func ownDrawsOf(e *event) *ownDraws { return e.ext[verdict.FeedDNS].(*ownDraws) }

// TestFeedOwnTypes registers, in place of the DNS model, a feed whose class profile lives in
// classModel.ext and whose draws live in event.ext, and checks that its records carry the class's
// profile and the event's draws, that clones draw into storage of their own and render the same
// bytes, folded or not, and that rendering does not allocate.
func TestFeedOwnTypes(t *testing.T) {
	saved := feedModels[verdict.FeedDNS]
	t.Cleanup(func() { feedModels[verdict.FeedDNS] = saved })
	feedModels[verdict.FeedDNS] = feedModel{
		fields: func() map[string]fieldSpec {
			return map[string]fieldSpec{
				"req":        cls(func(cm *classModel) []byte { return cm.ext.(*ownProfile).tag }),
				"res":        txt(func(e *event, dst []byte) []byte { return append(dst, ownDrawsOf(e).tag...) }),
				"durationms": num(func(e *event) int64 { return ownDrawsOf(e).n }),
			}
		},
		compile: func(_ *model, cm *classModel, set func(string) (string, bool)) error {
			tag, ok := set("req")
			if !ok {
				tag = "default.example"
			}
			cm.ext = &ownProfile{tag: []byte(tag)}
			return nil
		},
		draw: func(e *event, r *rng) {
			d := ownDrawsOf(e)
			d.tag, d.n = e.cls.ext.(*ownProfile).tag, int64(r.intn(1000))
		},
		newDraws: func() any { return new(ownDraws) },
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[verdict.FeedDNS] = nssfmt.MustCompile("%s{req} %s{res} %d{durationms} %d{recordid}", nssfmt.Options{})
	g, err := New(Config{Seed: 7, Programs: progs, Classes: []Class{
		{Name: "own.set", Feed: verdict.FeedDNS, Weight: 1, Set: map[string]string{"req": "set.example"}},
		{Name: "own.default", Feed: verdict.FeedDNS, Weight: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := g.Clone()
	if g.ev.ext[verdict.FeedDNS] == c.ev.ext[verdict.FeedDNS] {
		t.Fatal("a clone shares its draws with the original")
	}
	tags := []string{"set.example", "default.example"}
	seenN := map[string]bool{}
	for seq := range uint64(200) {
		line, lbl := g.Append(nil, seq)
		tag := tags[lbl.Class]
		n := ownDrawsOf(&g.ev).n
		seenN[strconv.FormatInt(n, 10)] = true
		want := tag + " " + tag + " " + strconv.FormatInt(n, 10) + " " + strconv.FormatUint(lbl.RecordID, 10)
		if string(line) != want {
			t.Fatalf("Append(%d) = %q; want %q", seq, line, want)
		}
		if got, _ := c.Append(nil, seq); !bytes.Equal(got, line) {
			t.Fatalf("clone Append(%d) = %q; want %q", seq, got, line)
		}
		if got, _ := g.append(nil, seq, false); !bytes.Equal(got, line) {
			t.Fatalf("unfolded Append(%d) = %q; want %q", seq, got, line)
		}
	}
	if len(seenN) < 100 {
		t.Errorf("durationms took %d values in 200 events; want the draws to vary", len(seenN))
	}
	buf := make([]byte, 0, 256)
	seq := uint64(0)
	if allocs := testing.AllocsPerRun(1000, func() { buf, _ = g.Append(buf[:0], seq); seq++ }); allocs != 0 {
		t.Errorf("Append allocates %.2f times per line; want 0", allocs)
	}
}
