package intent

import (
	"errors"
	"fmt"
)

// ErrInvalidThreshold is returned by New when WithThreshold is given a value
// outside [0, 1].
var ErrInvalidThreshold = errors.New("intent: threshold must be between 0 and 1")

// ErrInvalidLabel is returned by New when WithLabelThreshold names a label
// that does not exist, or unknown.
var ErrInvalidLabel = errors.New("intent: no such label, or unknown")

// DataError reports a malformed line in an embedded data file. It can only
// happen when a data file was edited badly; tests load every file.
type DataError struct {
	File string
	Line int
	Msg  string
}

func (e *DataError) Error() string {
	return fmt.Sprintf("intent: %s:%d: %s", e.File, e.Line, e.Msg)
}
