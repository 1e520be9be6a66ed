package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/privacy"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ErrorPresenter maps domain errors to GraphQL errors with a stable
// extensions.code (docs/DESIGN-NOTES.md, "Errors"). Internal errors are logged with an id
// and shown only as that id.
func ErrorPresenter(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
		return gqlErr // gqlgen's own parse/validation errors
	}
	var (
		xe   *xroad.Error
		nf   *ent.NotFoundError
		ve   *ent.ValidationError
		ce   *ent.ConstraintError
		code string
		msg  string
	)
	ext := map[string]any{}
	switch {
	case errors.As(err, &xe):
		code, msg = xe.Code, xe.Message
		if len(xe.Metadata) > 0 {
			ext["metadata"] = xe.Metadata
		}
		if len(xe.Warnings) > 0 {
			ext["warnings"] = xe.Warnings
		}
		if xe.Field != "" {
			ext["field"] = xe.Field
		}
		if secs := xe.RetryAfterSeconds(); secs > 0 {
			ext["retryAfter"] = secs
		}
		if code == xroad.CodeInternal {
			msg = internal(ctx, err)
		} else if xe.Err != nil {
			slog.DebugContext(ctx, "domain error", "code", code, "err", xe.Err)
		}
	case errors.Is(err, privacy.Deny):
		if viewer.FromContext(ctx) == nil {
			code, msg = xroad.CodeUnauthenticated, "log in first"
		} else {
			code, msg = xroad.CodeForbidden, "your roles do not allow reading this"
		}
	case errors.As(err, &nf):
		code, msg = xroad.CodeNotFound, nf.Error()
	case errors.As(err, &ve):
		code, msg = xroad.CodeBadUserInput, ve.Error()
	case errors.As(err, &ce):
		code, msg = xroad.CodeConflict, "the change conflicts with existing data"
		slog.InfoContext(ctx, "constraint error", "err", err)
	default:
		code, msg = xroad.CodeInternal, internal(ctx, err)
	}
	ext["code"] = code
	gqlErr.Message = msg
	gqlErr.Extensions = ext
	return gqlErr
}

func internal(ctx context.Context, err error) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	slog.ErrorContext(ctx, "internal error", "error_id", id, "err", err)
	return fmt.Sprintf("internal error (id %s); the server log has the details", id)
}

// Recover turns a resolver panic into an INTERNAL error.
func Recover(ctx context.Context, p any) error {
	return xroad.Errorf(xroad.CodeInternal, "panic").Wrap(fmt.Errorf("panic: %v", p))
}
