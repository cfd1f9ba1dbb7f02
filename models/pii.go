package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Sealer encrypts personal data at rest (AES-256-GCM) and makes keyed hashes for look-ups, from
// one 32-byte secret. The encryption and hashing keys are derived separately so a leaked hash
// says nothing about the ciphertexts.
type Sealer struct {
	aead    cipher.AEAD
	hashKey []byte
}

// ErrKeyLength is returned for a secret that is not 32 bytes (64 hex characters).
var ErrKeyLength = errors.New("secret key must be 32 bytes, given as 64 hex characters")

// NewSealer builds a Sealer from a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, ErrKeyLength
	}
	encKey := derive(key, "bpubot/nik-encryption")
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, hashKey: derive(key, "bpubot/nik-lookup")}, nil
}

// ParseKey reads a key given as 64 hex characters.
func ParseKey(s string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != 32 {
		return nil, ErrKeyLength
	}
	return key, nil
}

// NewKey makes a random key in its hex form.
func NewKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return hex.EncodeToString(key)
}

func derive(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Seal encrypts plaintext; the random nonce is stored in front of the ciphertext.
func (s *Sealer) Seal(plaintext string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, []byte(plaintext), nil)
}

// Open decrypts what Seal produced.
func (s *Sealer) Open(sealed []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("sealed value too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	return string(plain), nil
}

// Hash is a keyed hash (HMAC-SHA256, hex) of value for equality look-ups.
func (s *Sealer) Hash(value string) string {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskNIK keeps the first four and last four digits: 3201********0001.
func MaskNIK(nik string) string {
	if len(nik) <= 8 {
		return strings.Repeat("*", len(nik))
	}
	return nik[:4] + strings.Repeat("*", len(nik)-8) + nik[len(nik)-4:]
}

// MaskPhone keeps the country and operator prefix and the last three digits: +62812*****789.
func MaskPhone(phone string) string {
	if len(phone) < 10 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:6] + strings.Repeat("*", len(phone)-9) + phone[len(phone)-3:]
}
