// Package handle lets the test helpers of models/modeltest reach the GORM handle inside a
// models.DB or models.Tx, which no package outside models/ can: the tests of other packages
// check what landed in the database through modeltest, not through SQL of their own.
package handle

import "gorm.io/gorm"

// Gorm returns the GORM handle of a models.DB or models.Tx; models sets it.
var Gorm func(conn any) *gorm.DB
