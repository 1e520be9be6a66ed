package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxLogValue bounds the log message and every attribute value (bytes).
const maxLogValue = 1024

const redacted = "[REDACTED]"

// redactingHandler is what every log line of a server goes through
// (setupLogging): attributes whose key names a secret — PINs, passwords,
// API and private keys, session tokens, authorization headers, cookies —
// are replaced by [REDACTED], such secrets written inside other text (a
// JSON member, a GraphQL argument, key=value, a bearer token, a password
// in a URL) too, and the message and each value are cut at maxLogValue
// bytes. It is the second line of defence: no code logs request bodies or
// GraphQL variables.
type redactingHandler struct{ next slog.Handler }

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, cleanLogText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = redactAttr(a)
	}
	return redactingHandler{h.next.WithAttrs(out)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	if secretKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, cleanLogText(v.String()))
	case slog.KindGroup:
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = redactAttr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, cleanLogText(x.Error()))
		default:
			// Basic values (named string types too) as text; structured
			// ones stay as they are unless their JSON has a member named
			// like a secret.
			switch rv := reflect.ValueOf(x); rv.Kind() {
			case reflect.String:
				return slog.String(a.Key, cleanLogText(rv.String()))
			case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint,
				reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
				return slog.Attr{Key: a.Key, Value: v}
			}
			b, err := json.Marshal(x)
			if err != nil {
				return slog.String(a.Key, cleanLogText(fmt.Sprint(x)))
			}
			if s := string(b); len(s) > maxLogValue || cleanLogText(s) != s {
				return slog.String(a.Key, cleanLogText(s))
			}
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// secretWords end the names of values that are secrets.
var secretWords = []string{"pin", "pins", "pincode", "password", "passwd", "passphrase", "secret", "apikey", "privatekey",
	"mackey", "sessiontoken", "accesstoken", "refreshtoken", "bearer", "authorization", "cookie", "cookies"}

// secretKey reports whether an attribute key names a secret: pin,
// softTokenPin, old_pin, newPIN, password, X-Api-Key, Set-Cookie, …
func secretKey(key string) bool {
	k := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(key))
	for _, w := range secretWords {
		if strings.HasSuffix(k, w) {
			return true
		}
	}
	return false
}

var (
	// A member, argument or key=value whose name ends in a secret word,
	// its value quoted (also inside an escaped string) or not:
	// "softTokenPin": "…", pin: \"…\", password=….
	secretMember = regexp.MustCompile(`(?i)(\\?"?[a-z_-]*(?:pin|pins|pincode|password|passwd|passphrase|secret|api_?key|private_?key|mac_?key|session_?token|access_?token|refresh_?token|authorization|cookie)\\?"?\s*[:=]\s*)(\\"(?:[^\\]|\\[^"])*(?:\\"|$)|"(?:[^"\\]|\\.)*"?|[^\s,;&}"\\]+)`)
	bearerToken  = regexp.MustCompile(`(?i)\b(bearer\s+)[a-z0-9._~+/=-]+`)
	urlPassword  = regexp.MustCompile(`(://[^/\s:@]*:)[^/\s@]*@`)
)

// cleanLogText redacts secrets written inside s and cuts it at maxLogValue
// bytes.
func cleanLogText(s string) string {
	s = bearerToken.ReplaceAllString(s, "${1}"+redacted)
	s = secretMember.ReplaceAllString(s, `${1}"`+redacted+`"`)
	s = urlPassword.ReplaceAllString(s, "${1}"+redacted+"@")
	if len(s) <= maxLogValue {
		return s
	}
	cut := maxLogValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d bytes cut]", s[:cut], len(s)-cut)
}
