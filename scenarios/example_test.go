package scenarios_test

import (
	"fmt"

	"github.com/nssbench/nssbench/scenarios"
)

// Built-in scenarios are embedded JSON files; Builtin validates one and resolves its class mix.
func ExampleBuiltin() {
	s, err := scenarios.Builtin("alert-storm")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.Pacer, s.Duration, s.Transport, s.Framing)
	fmt.Println(s.Classes[0].Name, s.Classes[0].Expect.AlertType, s.Classes[0].Expect.ThreatID)
	// Output:
	// alert-storm constant 20000/s 10s tcp lf
	// alert.malicious_url Reputation block outbound request: malicious URL T1598.003
}
