//go:build tools

// Package tools pins the code generators (and, while the code that uses them
// is being written, some runtime modules) so that `go mod tidy` keeps them.
package tools

import (
	_ "entgo.io/contrib/entgql"
	_ "entgo.io/ent/entc"
	_ "github.com/99designs/gqlgen"
	_ "github.com/99designs/gqlgen/graphql/introspection"
	_ "github.com/digitorus/timestamp"
	_ "github.com/gorilla/websocket"
	_ "github.com/lib/pq"
	_ "github.com/miekg/pkcs11"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/ocsp"
	_ "golang.org/x/time/rate"
	_ "modernc.org/sqlite"
)
