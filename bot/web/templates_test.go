package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"bpubot/locales"
)

// keyUse finds the message keys the templates name: {{t "key"}} and (t "key" ...).
var keyUse = regexp.MustCompile(`[{(]t "([a-z_.]+)"`)

// prefixUse finds keys built from a prefix and a value: tv "prefix." value.
var prefixUse = regexp.MustCompile(`tv "([a-z_.]+\.)"`)

func TestTemplateKeysExist(t *testing.T) {
	found := 0
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			found++
			for _, lang := range langs {
				if !locales.Has(lang, m[1]) {
					t.Errorf("%s: key %q missing from %s.yaml", path, m[1], lang)
				}
			}
		}
		for _, m := range prefixUse.FindAllStringSubmatch(string(src), -1) {
			for _, lang := range langs {
				ok := false
				for _, k := range locales.Keys(lang) {
					ok = ok || strings.HasPrefix(k, m[1])
				}
				if !ok {
					t.Errorf("%s: no %s key starts with %q", path, lang, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("found %d keys in the templates: the pattern no longer matches them", found)
	}
}
