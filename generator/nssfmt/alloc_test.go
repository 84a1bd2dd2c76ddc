package nssfmt_test

import (
	"testing"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
)

func TestAppendDoesNotAllocate(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	extra := `%5d{dd} %-10s{ehost} %s{ologin} %d{ocip} %05x{hh} %s{eurl} %s{b64ua} %-40s{b64url}`
	for _, name := range feeds.Names() {
		feed, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, escape := range []string{"", `=,"`} {
			p := nssfmt.MustCompile(feed.Format+extra, nssfmt.Options{Escape: escape})
			for vname, v := range map[string]*fieldValues{"bench": benchValues(), "dirty": dirtyValues()} {
				dst := make([]byte, 0, 64<<10)
				allocs := testing.AllocsPerRun(100, func() { dst = p.Append(dst[:0], v) })
				if allocs != 0 {
					t.Errorf("feed %s escape %q values %s: Append allocates %.1f times per record; want 0", name, escape, vname, allocs)
				}
			}
		}
	}
}
