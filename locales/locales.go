// Package locales holds every text a worker or staff member reads, in Indonesian (the default)
// and English, embedded in the binary, and the small formatting rules for money and dates.
package locales

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

//go:embed id.yaml en.yaml
var files embed.FS

// Default is the language used when a conversation has none or asks for an unknown one.
const Default = "id"

var (
	loadOnce sync.Once
	catalogs map[string]map[string]string
	plurals  map[string]map[string]map[plural.Form]string // lang -> key -> CLDR form -> text
	loadErr  error
)

// tags are the CLDR languages whose plural rules pick a plural message's form.
var tags = map[string]language.Tag{"id": language.Indonesian, "en": language.English}

// pluralForms are the names a plural message's forms take in the YAML files.
var pluralForms = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other,
}

func load() {
	catalogs = map[string]map[string]string{}
	plurals = map[string]map[string]map[plural.Form]string{}
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
		flat, counted := map[string]string{}, map[string]map[plural.Form]string{}
		flatten("", tree, flat, counted)
		catalogs[lang] = flat
		plurals[lang] = counted
	}
}

// flatten turns nested YAML maps into dotted keys: {signup: {ask_name: "..."}} -> "signup.ask_name".
// A map whose keys are all CLDR plural forms and include "other" is one plural message: its
// "other" text is the key's text, and each form is kept for Text to choose by the {n} argument.
func flatten(prefix string, node map[string]any, out map[string]string, plurals map[string]map[plural.Form]string) {
	for k, v := range node {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch val := v.(type) {
		case map[string]any:
			if forms, ok := pluralMessage(val); ok {
				out[key] = forms[plural.Other]
				plurals[key] = forms
				continue
			}
			flatten(key, val, out, plurals)
		case string:
			out[key] = strings.TrimRight(val, "\n")
		default:
			out[key] = fmt.Sprint(val)
		}
	}
}

// pluralMessage reads a map of plural forms ({one: "...", other: "..."}).
func pluralMessage(node map[string]any) (map[plural.Form]string, bool) {
	if _, ok := node["other"]; !ok {
		return nil, false
	}
	forms := map[plural.Form]string{}
	for k, v := range node {
		form, known := pluralForms[k]
		text, isText := v.(string)
		if !known || !isText {
			return nil, false
		}
		forms[form] = strings.TrimRight(text, "\n")
	}
	return forms, true
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
// A plural message takes the form lang's CLDR rules give for its integer argument "n" ("1 month",
// "3 months"); count words are never pasted together in code.
func Text(lang, key string, args ...any) string {
	if !Supported(lang) {
		lang = Default
	}
	s, ok := catalog(lang)[key]
	if !ok {
		lang = Default
		s, ok = catalog(Default)[key]
		if !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	if forms, ok := plurals[lang][key]; ok {
		s = pluralForm(lang, forms, args)
	}
	return fill(s, args)
}

// pluralForm picks the form of a plural message for the argument "n".
func pluralForm(lang string, forms map[plural.Form]string, args []any) string {
	n, ok := intArg(args, "n")
	if !ok {
		return forms[plural.Other]
	}
	if n < 0 {
		n = -n
	}
	if s, ok := forms[plural.Cardinal.MatchPlural(tags[lang], n, 0, 0, 0, 0)]; ok {
		return s
	}
	return forms[plural.Other]
}

func intArg(args []any, name string) (int, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if asString(args[i]) != name {
			continue
		}
		switch v := args[i+1].(type) {
		case int:
			return v, true
		case int64:
			return int(v), true
		case int32:
			return int(v), true
		}
		return 0, false
	}
	return 0, false
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
