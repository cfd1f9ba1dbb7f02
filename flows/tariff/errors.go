package tariff

import (
	"errors"
	"fmt"
)

var (
	// ErrIncomeOutOfBounds: the declared income is below the tariff's minimum or above its
	// maximum. The error is an *IncomeError carrying the bounds, for a re-prompt.
	ErrIncomeOutOfBounds = errors.New("tariff: declared income out of bounds")
	// ErrUnknownPackage: the participant's Package is not one ParsePackage accepts.
	ErrUnknownPackage = errors.New("tariff: unknown package")
	// ErrPeriodLength: a period was asked for a number of months other than 1, 3, 6 or 12.
	ErrPeriodLength = errors.New("tariff: period must be 1, 3, 6 or 12 months")
	// ErrSpanLength: a span of months was asked for fewer than 1 or more than MaxSpan months.
	ErrSpanLength = fmt.Errorf("tariff: a span must have 1 to %d months", MaxSpan)
	// ErrInvalidData: a tariff file failed to decode or validate. Validation problems are
	// *FieldError values, joined when there are several.
	ErrInvalidData = errors.New("tariff: invalid tariff data")
)

// IncomeError reports a declared income outside the tariff's bounds.
type IncomeError struct {
	Income   int64
	Min, Max int64
}

func (e *IncomeError) Error() string {
	return fmt.Sprintf("tariff: declared income %d outside %d..%d", e.Income, e.Min, e.Max)
}

func (e *IncomeError) Unwrap() error { return ErrIncomeOutOfBounds }

// FieldError names the key of a tariff file that holds a bad value, in the file's own
// spelling: "income.max", "brackets[3].base", "discounts[0].categories[1]".
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return "tariff: invalid data: " + e.Field + ": " + e.Reason
}

func (e *FieldError) Unwrap() error { return ErrInvalidData }
