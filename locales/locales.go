// Package locales holds every text a worker or staff member reads, in Indonesian (the default)
// and English, embedded in the binary, and the small formatting rules for money and dates.
package locales

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed id.yaml en.yaml
var files embed.FS

// Default is the language used when a conversation has none or asks for an unknown one.
const Default = "id"

var (
	loadOnce sync.Once
	catalogs map[string]map[string]string
	loadErr  error
)

func load() {
	catalogs = map[string]map[string]string{}
	for _, lang := range []string{"id", "en"} {
		raw, err := files.ReadFile(lang + ".yaml")
		if err != nil {
			loadErr = err
			return
		}
		var tree map[string]any
		if err := yaml.Unmarshal(raw, &tree); err != nil {
			loadErr = fmt.Errorf("locales/%s.yaml: %w", lang, err)
			return
		}
		flat := map[string]string{}
		flatten("", tree, flat)
		catalogs[lang] = flat
	}
}

// flatten turns nested YAML maps into dotted keys: {signup: {ask_name: "..."}} -> "signup.ask_name".
func flatten(prefix string, node map[string]any, out map[string]string) {
	for k, v := range node {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch val := v.(type) {
		case map[string]any:
			flatten(key, val, out)
		case string:
			out[key] = strings.TrimRight(val, "\n")
		default:
			out[key] = fmt.Sprint(val)
		}
	}
}

func catalog(lang string) map[string]string {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr) // the embedded files are tested; a broken build must not start
	}
	if c, ok := catalogs[lang]; ok {
		return c
	}
	return catalogs[Default]
}

// Supported reports whether lang has a catalogue.
func Supported(lang string) bool {
	loadOnce.Do(load)
	_, ok := catalogs[lang]
	return ok
}

// Has reports whether key exists in lang.
func Has(lang, key string) bool {
	_, ok := catalog(lang)[key]
	return ok
}

// Keys lists every key of lang, sorted.
func Keys(lang string) []string {
	c := catalog(lang)
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Text returns the text for key in lang with {name} placeholders replaced from args, given as
// alternating name, value pairs. A key missing from lang falls back to Indonesian; a key missing
// everywhere returns the key itself, so a gap shows up in tests instead of as an empty message.
func Text(lang, key string, args ...any) string {
	s, ok := catalog(lang)[key]
	if !ok {
		s, ok = catalog(Default)[key]
		if !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fill(s, args)
}

// fill replaces each {name} in s whose name is among args (name, value, name, value ...)
// with its value; other braces stay as they are. It is on the path of every reply, so it
// scans s once instead of building a strings.Replacer per call.
func fill(s string, args []any) string {
	var b strings.Builder
	b.Grow(len(s) + 32)
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open+1:], '}')
		if end < 0 {
			break
		}
		name := s[open+1 : open+1+end]
		if inner := strings.LastIndexByte(name, '{'); inner >= 0 { // "{a {b}": the name is b
			b.WriteString(s[:open+1+inner])
			s = s[open+1+inner:]
			continue
		}
		b.WriteString(s[:open])
		if v, ok := lookup(args, name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[open : open+end+2])
		}
		s = s[open+end+2:]
	}
	b.WriteString(s)
	return b.String()
}

func lookup(args []any, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if asString(args[i]) == name {
			return asString(args[i+1]), true
		}
	}
	return "", false
}

// asString is fmt.Sprint without its cost for what is already a string.
func asString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
