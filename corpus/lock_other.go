//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package corpus

import "os"

// tryLock reports false: without file locks a capture file cannot be told stale from in use, so none
// is removed.
func tryLock(*os.File) bool { return false }
