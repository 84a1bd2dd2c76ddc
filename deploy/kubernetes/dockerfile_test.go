package kubernetes_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfile checks what the manifests assume of the image deploy/Dockerfile builds (docker
// cannot run here): a static build of cmd/nssbench with the Go release go.mod asks for, and an
// entrypoint that is that binary, so that container args start with the nssbench command.
func TestDockerfile(t *testing.T) {
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	text := string(df)
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(mod))
	if goVersion == nil {
		t.Fatal("go.mod: no go directive")
	}
	builder := regexp.MustCompile(`(?m)^FROM golang:(\d+\.\d+)\S* AS build$`).FindStringSubmatch(text)
	if builder == nil || builder[1] != goVersion[1] {
		t.Errorf("Dockerfile builder stage %q; want FROM golang:%s… AS build (go.mod says go %s)", builder, goVersion[1], goVersion[1])
	}
	build := regexp.MustCompile(`(?m)^RUN .*go build .*-o (\S+) \./cmd/nssbench$`).FindStringSubmatch(text)
	if build == nil {
		t.Fatal("Dockerfile: no `go build … -o BIN ./cmd/nssbench`")
	}
	if !strings.Contains(text, "CGO_ENABLED=0") {
		t.Error("Dockerfile: the build must set CGO_ENABLED=0 (the final image has no libc)")
	}
	final := regexp.MustCompile(`(?m)^FROM (\S+)$`).FindAllStringSubmatch(text, -1)
	if len(final) == 0 || !(strings.HasPrefix(final[len(final)-1][1], "gcr.io/distroless/static") || final[len(final)-1][1] == "scratch") {
		t.Errorf("Dockerfile: final stage %q; want distroless static or scratch", final)
	}
	cp := regexp.MustCompile(`(?m)^COPY --from=build ` + regexp.QuoteMeta(build[1]) + ` (\S+)$`).FindStringSubmatch(text)
	if cp == nil {
		t.Fatalf("Dockerfile: %s is not copied from the build stage", build[1])
	}
	if want := `ENTRYPOINT ["` + cp[1] + `"]`; !strings.Contains(text, "\n"+want+"\n") {
		t.Errorf("Dockerfile: want %s", want)
	}
}
