// Package globalconf implements X-Road's global configuration as Roadreg
// speaks it on the wire: the configuration anchor, shared parameters (schema
// version 6) and private parameters (schema version 3), the signed
// configuration directory of PR-GCONF, publishing and serving a version on
// the central server, downloading and verifying it on the security server,
// and Roadreg's push channel (GET /internalconf/watch).
//
// The package is free of database code: the central server builds a
// SharedParameters and PrivateParameters value from its database and hands
// the marshalled bytes to a Publisher; the security server stores the raw
// bytes of a Snapshot and re-loads them with SnapshotFromBytes.
//
// Every parser here reads input from outside and is hardened for it: size
// limits, no DOCTYPE or entity declarations, and errors that say what is
// wrong instead of panics.
package globalconf
