package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters for password hashes (RFC 9106's second recommended
// option, scaled for an admin login that happens rarely).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// argonCost is the cost of an argon2id hash.
type argonCost struct {
	time, memoryKiB uint32
	threads         uint8
}

// passwordCost is the cost of new password hashes. Only tests change it
// (UseTestPasswordCost); a hash records its cost, so CheckPassword follows
// the stored one.
var passwordCost = argonCost{time: argonTime, memoryKiB: argonMemory, threads: argonThreads}

// testPasswordCost is argon2id's least cost for two lanes: one pass over
// 16 KiB.
var testPasswordCost = argonCost{time: 1, memoryKiB: 16, threads: argonThreads}

// UseTestPasswordCost makes new password hashes, and the check a login of
// an unknown user spends, cost one pass over 16 KiB instead of RFC 9106's
// recommended 64 MiB: for the tests of packages that create and sign in
// many users, where argon2id would otherwise take most of the time. It
// must run while nothing hashes (from an init function or TestMain); a
// server never calls it, and TestPasswordHashing keeps the real cost.
func UseTestPasswordCost() {
	passwordCost = testPasswordCost
	dummyHash, _ = HashPassword("not a password")
}

// hashSlots bounds the argon2id computations running at once: each holds
// argonMemory KiB, so a flood of concurrent logins queues here instead of
// exhausting the server's memory.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func argonKey(password string, salt []byte, t, mem uint32, p uint8, keyLen uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, t, mem, p, keyLen)
}

// HashPassword returns an argon2id hash in PHC string form.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	c := passwordCost
	key := argonKey(password, salt, c.time, c.memoryKiB, c.threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memoryKiB, c.time, c.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// CheckPassword reports whether password matches the PHC-form hash.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem == 0 || t == 0 || p == 0 || mem > 1<<22 || t > 64 {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argonKey(password, salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
