// helmrender renders a Helm chart's own templates the way Helm's engine does
// (Go text/template, the sprig function library, include/tpl/required/toYaml,
// values merged from -f files, missing keys an error as in `helm lint
// --strict`), so that the chart can be checked on a machine without helm.
// It does not render subcharts, run hooks or talk to a cluster; `helm
// template` in a pipeline that has helm remains the reference.
//
//	helmrender -chart helm/dermaflow -f ci/production-values.yaml [-name r] [-namespace ns]
//
// Writes the rendered manifests (like `helm template`) to stdout; NOTES.txt is
// rendered too, and printed to stderr with -notes.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

// normalize turns YAML maps into map[string]interface{} and numbers into
// float64, as Helm's JSON round trip of values does.
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, val := range t {
			m[fmt.Sprint(k)] = normalize(val)
		}
		return m
	case map[string]interface{}:
		for k, val := range t {
			t[k] = normalize(val)
		}
		return t
	case []interface{}:
		for i := range t {
			t[i] = normalize(t[i])
		}
		return t
	case int:
		return float64(t)
	case int64:
		return float64(t)
	}
	return v
}

func loadYAML(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	m, ok := normalize(raw).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: not a map", path)
	}
	return m, nil
}

// merge overlays src on dst like Helm's coalescing of -f files: maps merge,
// null removes the key, everything else is replaced.
func merge(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil { // as Helm: a null value removes the key (e.g. a default label)
			delete(dst, k)
			continue
		}
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				dst[k] = merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

type chartFiles struct{ root string }

func (f chartFiles) Get(name string) string {
	data, err := os.ReadFile(filepath.Join(f.root, name))
	if err != nil {
		return ""
	}
	return string(data)
}

func main() {
	chartDir := flag.String("chart", "", "chart directory")
	name := flag.String("name", "release", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	notes := flag.Bool("notes", false, "print the rendered NOTES.txt to stderr")
	var valueFiles files
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Parse()
	if *chartDir == "" {
		fmt.Fprintln(os.Stderr, "helmrender: -chart is required")
		os.Exit(2)
	}
	if err := run(*chartDir, *name, *namespace, valueFiles, *notes); err != nil {
		fmt.Fprintln(os.Stderr, "helmrender:", err)
		os.Exit(1)
	}
}

func run(chartDir, name, namespace string, valueFiles []string, printNotes bool) error {
	chartMeta, err := loadYAML(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return err
	}
	values, err := loadYAML(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return err
	}
	for _, f := range valueFiles {
		over, err := loadYAML(f)
		if err != nil {
			return err
		}
		values = merge(values, over)
	}
	chartName := fmt.Sprint(chartMeta["name"])
	chart := map[string]interface{}{
		"Name": chartName, "Version": chartMeta["version"], "AppVersion": chartMeta["appVersion"],
		"Description": chartMeta["description"], "Type": chartMeta["type"],
	}
	basePath := chartName + "/templates"

	t := template.New("gotpl").Option("missingkey=error")
	includedDepth := 0
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		var raw interface{}
		if err := yaml.Unmarshal([]byte(s), &raw); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		m, _ := normalize(raw).(map[string]interface{})
		return m
	}
	// Helm's list decoders: a bad document gives a one-element list holding
	// the error, as in Helm.
	funcs["fromYamlArray"] = func(s string) []interface{} {
		var raw interface{}
		if err := yaml.Unmarshal([]byte(s), &raw); err != nil {
			return []interface{}{err.Error()}
		}
		l, _ := normalize(raw).([]interface{})
		return l
	}
	funcs["fromJsonArray"] = func(s string) []interface{} {
		var raw interface{}
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return []interface{}{err.Error()}
		}
		l, _ := raw.([]interface{})
		return l
	}
	funcs["include"] = func(tname string, data interface{}) (string, error) {
		includedDepth++
		defer func() { includedDepth-- }()
		if includedDepth > 100 {
			return "", fmt.Errorf("include %q: recursion too deep", tname)
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tname, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		nt, err := t.Clone()
		if err != nil {
			return "", err
		}
		nt, err = nt.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = nt.Execute(&buf, data)
		return buf.String(), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return v, fmt.Errorf("%s", msg)
		}
		return v, nil
	}
	funcs["lookup"] = func(...interface{}) (map[string]interface{}, error) { return map[string]interface{}{}, nil }
	t.Funcs(funcs)

	var names []string
	err = filepath.Walk(filepath.Join(chartDir, "templates"), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(chartDir, "templates"), path)
		tname := basePath + "/" + filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := t.New(tname).Parse(string(data)); err != nil {
			return err
		}
		names = append(names, tname)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	top := map[string]interface{}{
		"Values":  values,
		"Chart":   chart,
		"Release": map[string]interface{}{"Name": name, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Files":   chartFiles{root: chartDir},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.29.0", "Major": "1", "Minor": "29"},
			"APIVersions": []string{},
		},
	}
	for _, tname := range names {
		base := filepath.Base(tname)
		if strings.HasPrefix(base, "_") {
			continue
		}
		top["Template"] = map[string]interface{}{"Name": tname, "BasePath": basePath}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tname, top); err != nil {
			return err
		}
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			if printNotes {
				fmt.Fprint(os.Stderr, out)
			}
			continue
		}
		if strings.TrimSpace(out) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", tname, strings.TrimSpace(out))
	}
	return nil
}
