package pipeline

import (
	"fmt"
	"io"
	"os"
)

// ReadFiles explains the records of each named input in turn (Read), the name "-" reading stdin, and
// only stdin when names is empty. An input that cannot be opened or read does not stop the others: it
// returns their errors, in order, each naming its input.
func (x *Explainer) ReadFiles(names []string, stdin io.Reader) []error {
	if len(names) == 0 {
		names = []string{"-"}
	}
	var errs []error
	for _, name := range names {
		if err := x.readFile(name, stdin); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// readFile explains the records of the input named name ("-": stdin).
func (x *Explainer) readFile(name string, stdin io.Reader) error {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err // names the file
		}
		defer f.Close()
		r = f
	}
	if err := x.Read(r); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
