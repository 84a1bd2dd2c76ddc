// Package kubernetes_test checks the Kubernetes manifests of this directory offline, without a
// cluster: every document decodes strictly into the Kubernetes API types (an unknown or misspelt field
// fails), and the invariants a sharded run depends on hold — an Indexed Job whose completions,
// parallelism and --shard n agree, shard reports the merge Job lists one by one, ConfigMap keys that
// the volumes reference and that load as nssbench's scenario, rules and mappings, and container
// arguments that the real nssbench binary accepts.
//
//	go test ./deploy/kubernetes            # check
//	go test ./deploy/kubernetes -update    # regenerate setup/10-config.yaml from the repository's files
package kubernetes_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// namespace is where every namespaced object of the manifests lives.
const namespace = "nssbench"

// indexVar is the variable Kubernetes sets to a pod's completion index in an Indexed Job.
const indexVar = "JOB_COMPLETION_INDEX"

// object is one decoded manifest document.
type object struct {
	file string // relative to this directory
	line int    // of the document's first line
	kind string
	meta metav1.ObjectMeta
	obj  any // *corev1.ConfigMap, *batchv1.Job, ...
}

func (o *object) String() string {
	return fmt.Sprintf("%s:%d: %s %s", o.file, o.line, o.kind, o.meta.Name)
}

// newObject returns an empty value of the API type of apiVersion/kind, and its ObjectMeta.
func newObject(apiVersion, kind string) (any, func() metav1.ObjectMeta, error) {
	switch apiVersion + " " + kind {
	case "v1 Namespace":
		o := new(corev1.Namespace)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	case "v1 ConfigMap":
		o := new(corev1.ConfigMap)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	case "v1 PersistentVolumeClaim":
		o := new(corev1.PersistentVolumeClaim)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	case "v1 Service":
		o := new(corev1.Service)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	case "apps/v1 Deployment":
		o := new(appsv1.Deployment)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	case "batch/v1 Job":
		o := new(batchv1.Job)
		return o, func() metav1.ObjectMeta { return o.ObjectMeta }, nil
	}
	return nil, nil, fmt.Errorf("apiVersion %q kind %q: not a type these manifests use (add it to newObject)", apiVersion, kind)
}

// manifestFiles lists the YAML files of this directory and its subdirectories, sorted.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no manifests found")
	}
	return files
}

// splitDocuments splits a YAML stream at its "---" lines, returning each document with the line it
// starts on. Documents holding only comments are left out.
func splitDocuments(data []byte) (docs [][]byte, lines []int) {
	start, startLine := 0, 1
	flush := func(end int) {
		doc := data[start:end]
		for _, l := range strings.Split(string(doc), "\n") {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "#") {
				docs, lines = append(docs, doc), append(lines, startLine)
				return
			}
		}
	}
	line := 1
	for off := 0; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(data)
		}
		if strings.TrimRight(string(data[off:end]), " \r") == "---" {
			flush(off)
			start, startLine = next, line+1
		}
		off = next
	}
	flush(len(data))
	return docs, lines
}

// loadObjects decodes every document of every manifest strictly into its API type.
func loadObjects(t *testing.T) []*object {
	t.Helper()
	var objs []*object
	for _, file := range manifestFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs, lines := splitDocuments(data)
		for i, doc := range docs {
			var tm metav1.TypeMeta
			if err := yaml.Unmarshal(doc, &tm); err != nil {
				t.Errorf("%s:%d: %v", file, lines[i], err)
				continue
			}
			obj, meta, err := newObject(tm.APIVersion, tm.Kind)
			if err != nil {
				t.Errorf("%s:%d: %v", file, lines[i], err)
				continue
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Errorf("%s:%d: %s: %v", file, lines[i], tm.Kind, err)
				continue
			}
			objs = append(objs, &object{file: file, line: lines[i], kind: tm.Kind, meta: meta(), obj: obj})
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return objs
}

// find returns the objects of type T.
func find[T any](objs []*object) []*T {
	var out []*T
	for _, o := range objs {
		if v, ok := o.obj.(*T); ok {
			out = append(out, v)
		}
	}
	return out
}

// one returns the object of type T with the given name, failing the test when there is not exactly one.
func one[T any](t *testing.T, objs []*object, name string) (*T, *object) {
	t.Helper()
	var found []*object
	for _, o := range objs {
		if _, ok := o.obj.(*T); ok && o.meta.Name == name {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %T named %q, found %d", new(T), name, len(found))
	}
	return found[0].obj.(*T), found[0]
}

func TestManifestsDecodeStrictly(t *testing.T) {
	objs := loadObjects(t)
	seen := map[string]string{}
	for _, o := range objs {
		if o.meta.Name == "" {
			t.Errorf("%s: no metadata.name", o)
		}
		ns := o.meta.Namespace
		if o.kind == "Namespace" {
			ns = o.meta.Name
		}
		if ns != namespace {
			t.Errorf("%s: namespace %q; want %q", o, ns, namespace)
		}
		key := o.kind + "/" + o.meta.Name
		if prev, dup := seen[key]; dup {
			t.Errorf("%s: %s already defined at %s", o, key, prev)
		}
		seen[key] = fmt.Sprintf("%s:%d", o.file, o.line)
	}
	// The walk-through applies setup/ first: nothing there may start load before the collector is ready.
	for _, o := range objs {
		if _, isJob := o.obj.(*batchv1.Job); isJob && strings.HasPrefix(o.file, "setup"+string(filepath.Separator)) {
			t.Errorf("%s: a Job in setup/ would start with `kubectl apply -f setup/`, before the collector is ready", o)
		}
	}
}

func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	// The check above is only worth something if a misspelt field fails.
	doc := []byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  completionsMode: Indexed\n")
	if err := yaml.UnmarshalStrict(doc, new(batchv1.Job)); err == nil || !strings.Contains(err.Error(), "completionsMode") {
		t.Fatalf("UnmarshalStrict(misspelt field) = %v; want an unknown-field error naming it", err)
	}
}

func TestSplitDocuments(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		lines []int
	}{
		{"one", "a: 1\n", []int{1}},
		{"two", "a: 1\n---\nb: 2\n", []int{1, 3}},
		{"leading separator", "---\na: 1\n", []int{2}},
		{"comment-only document dropped", "# just a comment\n---\na: 1\n---\n", []int{3}},
		{"separator with trailing space", "a: 1\n--- \nb: 2", []int{1, 3}},
		{"not a separator inside a block", "a: |\n  ---x\n", []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, lines := splitDocuments([]byte(tt.in))
			if !slices.Equal(lines, tt.lines) {
				t.Fatalf("splitDocuments(%q) lines = %v; want %v", tt.in, lines, tt.lines)
			}
		})
	}
}

// shardJob returns the Indexed Job of the shards, its container and its shard count n.
func shardJob(t *testing.T, objs []*object) (*batchv1.Job, *corev1.Container, int) {
	t.Helper()
	var shards []*batchv1.Job
	for _, j := range find[batchv1.Job](objs) {
		if c := j.Spec.Template.Spec.Containers; len(c) > 0 && len(c[0].Args) > 0 && c[0].Args[0] == "run" {
			shards = append(shards, j)
		}
	}
	if len(shards) != 1 {
		t.Fatalf("want one Job running `nssbench run`, found %d", len(shards))
	}
	j := shards[0]
	if n := len(j.Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("Job %s: %d containers; want 1", j.Name, n)
	}
	if j.Spec.Completions == nil {
		t.Fatalf("Job %s: no completions", j.Name)
	}
	return j, &j.Spec.Template.Spec.Containers[0], int(*j.Spec.Completions)
}

// deref returns *p, or -1 when p is nil.
func deref(p *int32) int {
	if p == nil {
		return -1
	}
	return int(*p)
}

// flagValue returns the value of --name (or -name) in args, written name=value or name value.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		for _, p := range []string{"--" + name, "-" + name} {
			if v, ok := strings.CutPrefix(a, p+"="); ok {
				return v, true
			}
			if a == p && i+1 < len(args) {
				return args[i+1], true
			}
		}
	}
	return "", false
}

func TestShardJob(t *testing.T) {
	objs := loadObjects(t)
	j, c, n := shardJob(t, objs)
	spec := &j.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("Job %s: completionMode %v; want Indexed (each pod needs its own shard index)", j.Name, spec.CompletionMode)
	}
	if n < 1 {
		t.Fatalf("Job %s: completions %d", j.Name, n)
	}
	if p := deref(spec.Parallelism); p != n {
		t.Errorf("Job %s: parallelism %d; want completions (%d): shards run side by side, or the offered rate is not the sum", j.Name, p, n)
	}
	// A retried shard would send its records twice; one failed shard must not stop the others.
	if spec.BackoffLimitPerIndex == nil || *spec.BackoffLimitPerIndex != 0 {
		t.Errorf("Job %s: backoffLimitPerIndex %d (-1: unset); want 0 (a retry sends a shard's records again)", j.Name, deref(spec.BackoffLimitPerIndex))
	}
	if f := deref(spec.MaxFailedIndexes); f != n {
		t.Errorf("Job %s: maxFailedIndexes %d (-1: unset); want %d, so that the other shards run to their end", j.Name, f, n)
	}
	if p := j.Spec.Template.Spec.RestartPolicy; p != corev1.RestartPolicyNever {
		t.Errorf("Job %s: restartPolicy %q; want Never (required by backoffLimitPerIndex; a restart resends)", j.Name, p)
	}

	shard, ok := flagValue(c.Args, "shard")
	if want := "$(" + indexVar + ")/" + strconv.Itoa(n); !ok || shard != want {
		t.Errorf("Job %s: --shard %q; want %q (the pod's completion index, and n = completions)", j.Name, shard, want)
	}
	for _, e := range c.Env {
		if e.Name != indexVar {
			continue
		}
		want := "metadata.annotations['" + batchv1.JobCompletionIndexAnnotation + "']"
		if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != want {
			t.Errorf("Job %s: env %s must come from the downward API field %s", j.Name, indexVar, want)
		}
	}
	out, ok := flagValue(c.Args, "out")
	if !ok || !strings.Contains(out, "$("+indexVar+")") {
		t.Errorf("Job %s: --out %q; want a path holding $(%s), one report per shard", j.Name, out, indexVar)
	}
	target, ok := flagValue(c.Args, "target")
	if !ok {
		t.Errorf("Job %s: no --target: the shards would each run their own embedded collector", j.Name)
	}
	checkTargetService(t, objs, target)
	checkVariables(t, j.Name, c)
}

// checkVariables fails on a $(VAR) reference in the container's args that nothing defines: Kubernetes
// leaves those verbatim, so the shard would get the literal text.
func checkVariables(t *testing.T, owner string, c *corev1.Container) {
	t.Helper()
	defined := map[string]bool{indexVar: true} // set by the Job controller in Indexed Jobs
	for _, e := range c.Env {
		defined[e.Name] = true
	}
	for _, a := range append(slices.Clone(c.Command), c.Args...) {
		for _, m := range regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`).FindAllStringSubmatch(a, -1) {
			if !defined[m[1]] {
				t.Errorf("%s: argument %q refers to $(%s), which is not defined", owner, a, m[1])
			}
		}
	}
}

// checkTargetService checks that a tcp://name:port target is a Service of the manifests with that port.
func checkTargetService(t *testing.T, objs []*object, target string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "tcp" || u.Port() == "" {
		t.Errorf("--target %q: want tcp://service:port", target)
		return
	}
	svc, _ := one[corev1.Service](t, objs, u.Hostname())
	port, _ := strconv.Atoi(u.Port())
	for _, p := range svc.Spec.Ports {
		if int(p.Port) == port && (p.Protocol == "" || p.Protocol == corev1.ProtocolTCP) {
			return
		}
	}
	t.Errorf("--target %q: Service %s has no TCP port %d", target, svc.Name, port)
}

func TestMergeJob(t *testing.T) {
	objs := loadObjects(t)
	shards, sc, n := shardJob(t, objs)
	merge, _ := one[batchv1.Job](t, objs, "nssbench-merge")
	if len(merge.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("Job %s: want one container", merge.Name)
	}
	mc := &merge.Spec.Template.Spec.Containers[0]
	if len(mc.Args) < 2 || mc.Args[0] != "report" || mc.Args[1] != "merge" {
		t.Fatalf("Job %s: args %q; want report merge …", merge.Name, mc.Args)
	}
	if mc.Image != sc.Image {
		t.Errorf("Job %s: image %q, shards use %q: merge with the nssbench that wrote the reports", merge.Name, mc.Image, sc.Image)
	}
	out, _ := flagValue(sc.Args, "out")
	var want []string
	for i := range n {
		want = append(want, strings.ReplaceAll(out, "$("+indexVar+")", strconv.Itoa(i)))
	}
	if got := mc.Args[2:]; !slices.Equal(got, want) {
		t.Errorf("Job %s: merges %q;\nwant every shard's report, %q", merge.Name, got, want)
	}
	// Both Jobs must see the same reports: the same claim, mounted where the paths say.
	sclaim := claimAt(t, &shards.Spec.Template.Spec, sc, out, true)
	mclaim := claimAt(t, &merge.Spec.Template.Spec, mc, want[0], false)
	if sclaim == "" || sclaim != mclaim {
		t.Errorf("shards write %s on claim %q, the merge reads it from claim %q", out, sclaim, mclaim)
	}
	if sclaim != "" {
		one[corev1.PersistentVolumeClaim](t, objs, sclaim)
	}
}

// mountFor returns the container's volume mount holding path (the longest matching mount path) and the
// pod volume it mounts.
func mountFor(spec *corev1.PodSpec, c *corev1.Container, path string) (*corev1.VolumeMount, *corev1.Volume) {
	var best *corev1.VolumeMount
	for i := range c.VolumeMounts {
		m := &c.VolumeMounts[i]
		if strings.HasPrefix(path, strings.TrimSuffix(m.MountPath, "/")+"/") && (best == nil || len(m.MountPath) > len(best.MountPath)) {
			best = m
		}
	}
	if best == nil {
		return nil, nil
	}
	for i := range spec.Volumes {
		if spec.Volumes[i].Name == best.Name {
			return best, &spec.Volumes[i]
		}
	}
	return best, nil
}

// claimAt returns the PVC holding path in the container, failing the test when it is not on one (or,
// with write, when it is mounted read-only).
func claimAt(t *testing.T, spec *corev1.PodSpec, c *corev1.Container, path string, write bool) string {
	t.Helper()
	m, v := mountFor(spec, c, path)
	if v == nil || v.PersistentVolumeClaim == nil {
		t.Errorf("container %s: %s is not on a PersistentVolumeClaim", c.Name, path)
		return ""
	}
	if write && m.ReadOnly {
		t.Errorf("container %s: %s is mounted read-only", c.Name, path)
	}
	return v.PersistentVolumeClaim.ClaimName
}

// podSpecs returns every pod template of the manifests by owner name, with its owner's description.
func podSpecs(objs []*object) map[string]*corev1.PodSpec {
	specs := map[string]*corev1.PodSpec{}
	for _, o := range objs {
		switch v := o.obj.(type) {
		case *batchv1.Job:
			specs[o.String()] = &v.Spec.Template.Spec
		case *appsv1.Deployment:
			specs[o.String()] = &v.Spec.Template.Spec
		}
	}
	return specs
}

func TestConfigFilesExist(t *testing.T) {
	objs := loadObjects(t)
	for owner, spec := range podSpecs(objs) {
		for _, v := range spec.Volumes {
			if v.ConfigMap == nil {
				continue
			}
			cm, _ := one[corev1.ConfigMap](t, objs, v.ConfigMap.Name)
			for _, it := range v.ConfigMap.Items {
				if _, ok := cm.Data[it.Key]; !ok {
					t.Errorf("%s: volume %s takes key %q, which ConfigMap %s lacks", owner, v.Name, it.Key, cm.Name)
				}
			}
		}
		// Every absolute file argument must be on a volume, and a ConfigMap file must be one of its items.
		for _, c := range spec.Containers {
			for _, a := range c.Args {
				_, val, _ := strings.Cut(a, "=")
				if !strings.HasPrefix(a, "-") {
					val = a
				}
				if !strings.HasPrefix(val, "/") {
					continue
				}
				m, vol := mountFor(spec, &c, val)
				switch {
				case vol == nil:
					t.Errorf("%s: container %s: %s is on no volume", owner, c.Name, val)
				case vol.ConfigMap != nil:
					rel := strings.TrimPrefix(val, strings.TrimSuffix(m.MountPath, "/")+"/")
					if !slices.ContainsFunc(vol.ConfigMap.Items, func(k corev1.KeyToPath) bool { return k.Path == rel }) {
						t.Errorf("%s: container %s: %s is not an item of ConfigMap volume %s", owner, c.Name, val, vol.Name)
					}
				}
			}
		}
	}
}

func TestImagesAgree(t *testing.T) {
	var images []string
	for owner, spec := range podSpecs(loadObjects(t)) {
		for _, c := range spec.Containers {
			if c.Image == "" {
				t.Errorf("%s: container %s has no image", owner, c.Name)
			}
			if !slices.Contains(images, c.Image) {
				images = append(images, c.Image)
			}
		}
	}
	if len(images) != 1 {
		t.Errorf("containers use images %q; want one nssbench image everywhere (reports are read by the version that wrote them)", images)
	}
}

func TestCollectorBehindService(t *testing.T) {
	// When the manifests carry the reference collector, the Service the shards target must select it and
	// reach the port it listens on, from other pods (0.0.0.0, not loopback).
	objs := loadObjects(t)
	_, c, _ := shardJob(t, objs)
	target, _ := flagValue(c.Args, "target")
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("--target %q: %v", target, err)
	}
	svc, _ := one[corev1.Service](t, objs, u.Hostname())
	var sp *corev1.ServicePort
	for i := range svc.Spec.Ports {
		if strconv.Itoa(int(svc.Spec.Ports[i].Port)) == u.Port() {
			sp = &svc.Spec.Ports[i]
		}
	}
	if sp == nil {
		t.Fatalf("Service %s has no port %s", svc.Name, u.Port())
	}
	var collectors int
	for _, d := range find[appsv1.Deployment](objs) {
		if !selects(svc.Spec.Selector, d.Spec.Template.Labels) {
			continue
		}
		collectors++
		for _, ctr := range d.Spec.Template.Spec.Containers {
			var port int32
			for _, p := range ctr.Ports {
				if p.Name == sp.TargetPort.String() || strconv.Itoa(int(p.ContainerPort)) == sp.TargetPort.String() {
					port = p.ContainerPort
				}
			}
			listen, _ := flagValue(ctr.Args, "listen")
			want := "tcp://0.0.0.0:" + strconv.Itoa(int(port))
			if port == 0 || !slices.Contains(strings.Split(listen, ","), want) {
				t.Errorf("Deployment %s: container %s listens on %q; the Service sends %s to its port %q, so want %s",
					d.Name, ctr.Name, listen, target, sp.TargetPort.String(), want)
			}
		}
	}
	if collectors != 1 {
		t.Errorf("Service %s selects %d Deployments; want the one collector", svc.Name, collectors)
	}
}

// selects reports whether a Service selector matches a pod's labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}
