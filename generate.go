// Package roadreg is the root of the Roadreg module. `go generate ./...` here
// rebuilds the ent client (and graph/ent.graphql through entgql) and then
// the gqlgen server code; the output is committed.
package roadreg

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod github.com/99designs/gqlgen generate
