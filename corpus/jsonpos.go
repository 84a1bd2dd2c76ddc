package corpus

import "github.com/nssbench/nssbench/scenarios/jsonpos"

// lineAt returns the 1-based line of byte offset off in data (line 1 for a negative offset).
func lineAt(data []byte, off int) uint64 {
	line, _ := jsonpos.LineCol(data, off)
	return uint64(line)
}
