package validate

import "strings"

// Name length bounds, in characters after whitespace is collapsed.
const (
	NameMinLen = 3
	NameMaxLen = 80
)

var personName = properName{
	field:    FieldName,
	minLen:   NameMinLen,
	maxLen:   NameMaxLen,
	hyphens:  true,
	short:    CodeNameShort,
	long:     CodeNameLong,
	chars:    CodeNameChars,
	finalize: lowerPatronymic,
}

// ValidateName checks a full name as written on the KTP and returns it
// cleaned: trimmed, single-spaced, typographic apostrophes and dashes turned
// into "'" and "-", and title-cased ("siti nurhaliza" and "SITI NURHALIZA"
// become "Siti Nurhaliza"; "m. rizki" becomes "M. Rizki"; "al-fatih"
// becomes "Al-Fatih"; "d'souza" becomes "D'Souza" but "MA'RUF" becomes
// "Ma'ruf" and "nur'aini" "Nur'aini"). A "bin" or "binti" between two names
// stays lower case. A single name ("Made", "Sukarni") is a full name, as it
// is on many KTPs. The spelling is otherwise kept, since the name must match
// the population register.
//
// Allowed are letters of any script (with combining accents), spaces, dots,
// apostrophes and hyphens inside a word; digits, symbols and emoji give
// name_chars, as does a word made only of punctuation or one starting or
// ending with a hyphen. Under 3 characters or under 2 letters gives
// name_short, over 80 characters name_long. Lead-ins such as "nama saya"
// are the caller's to remove: they are words a name may hold.
func ValidateName(s string) (string, error) {
	return personName.clean(s)
}

// lowerPatronymic writes "bin"/"binti" ("son/daughter of") in lower case
// when it joins two names, as Indonesian usage does.
func lowerPatronymic(words []string) []string {
	for i := 1; i < len(words)-1; i++ {
		switch strings.ToLower(words[i]) {
		case "bin", "binti":
			words[i] = strings.ToLower(words[i])
		}
	}
	return words
}
