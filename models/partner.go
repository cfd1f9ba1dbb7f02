package models

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

var partnerCode = regexp.MustCompile(`^[a-z0-9_-]{3,40}$`)

// ErrPartnerExists is returned when a partner code is taken.
var ErrPartnerExists = errors.New("partner code already exists")

// AddPartner stores a new partner. Codes are lower-case letters, digits, '_' and '-', 3 to 40
// long, because workers type them and Telegram deep links carry them.
func AddPartner(c Conn, code, name string, sponsored, gov bool, now time.Time) (*Partner, error) {
	db := c.orm()
	code = strings.ToLower(strings.TrimSpace(code))
	if !partnerCode.MatchString(code) {
		return nil, fmt.Errorf("code %q: use 3-40 lower-case letters, digits, '_' or '-'", code)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errors.New("name: required")
	}
	if _, err := FindPartner(c, code); err == nil {
		return nil, ErrPartnerExists
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	p := &Partner{Code: code, Name: name, Sponsored: sponsored || gov, GovSponsored: gov, Active: true, CreatedAt: now}
	if err := db.Create(p).Error; err != nil {
		return nil, err
	}
	return p, nil
}

// Partners lists every partner, by code.
func Partners(c Conn) ([]Partner, error) {
	db := c.orm()
	var out []Partner
	err := db.Order("code").Find(&out).Error
	return out, err
}

// SetPartnerActive turns a partner's code on or off; an inactive code is not accepted.
func SetPartnerActive(c Conn, code string, active bool) error {
	db := c.orm()
	res := db.Model(&Partner{}).Where("LOWER(code) = LOWER(?)", code).Update("active", active)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
