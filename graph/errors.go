package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/privacy"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ErrorPresenter maps errors to GraphQL errors with a stable
// extensions.code (docs/DESIGN-NOTES.md, "Errors") on a server of the given role. Only
// genuine server faults are INTERNAL: they are logged at ERROR with an id
// and shown only as that id. Callers' mistakes are logged at DEBUG.
func ErrorPresenter(role viewer.ServerRole) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if fc, arg := argumentOf(ctx, gqlErr); fc != nil {
			return argumentError(ctx, role, fc, arg, gqlErr)
		}
		if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
			if variable := variableOf(gqlErr); variable != "" {
				gqlErr.Path = nil
				return badInput(ctx, gqlErr, fmt.Sprintf("variable $%s: %s", variable, gqlErr.Message), "")
			}
			return gqlErr // gqlgen's parse and validation errors, the limits
		}
		return present(ctx, gqlErr, err)
	}
}

// codeCancelled answers an operation whose caller went away.
const codeCancelled = "REQUEST_CANCELLED"

func present(ctx context.Context, gqlErr *gqlerror.Error, err error) *gqlerror.Error {
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
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// The caller went away (or its deadline passed): nothing failed.
		code, msg = codeCancelled, "the request ended before it was answered"
		slog.DebugContext(ctx, "request ended", "err", err)
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

// argumentOf tells whether gqlErr arose while gqlgen read the arguments of
// the field being resolved: its path is the field's path followed by one of
// the field's arguments (and where in it). It returns the field and the
// argument ("where.idIn[0]").
func argumentOf(ctx context.Context, gqlErr *gqlerror.Error) (*graphql.FieldContext, string) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args != nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil, ""
	}
	fp := fc.Path()
	if len(gqlErr.Path) <= len(fp) {
		return nil, ""
	}
	for i, e := range fp {
		if gqlErr.Path[i] != e {
			return nil, ""
		}
	}
	name, ok := gqlErr.Path[len(fp)].(ast.PathName)
	if !ok || fc.Field.Definition.Arguments.ForName(string(name)) == nil {
		return nil, ""
	}
	return fc, pathString(gqlErr.Path[len(fp):])
}

// pathString writes a path within an input value: where.idIn[0].
func pathString(path ast.Path) string {
	var b strings.Builder
	for i, e := range path {
		switch e := e.(type) {
		case ast.PathName:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(e))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(e))
		}
	}
	return b.String()
}

// argumentError presents an argument gqlgen could not read. The field's
// @allowed check comes first, as if gqlgen had run it before reading the
// arguments: an anonymous caller gets UNAUTHENTICATED whatever it sent.
func argumentError(ctx context.Context, role viewer.ServerRole, fc *graphql.FieldContext, arg string, gqlErr *gqlerror.Error) *gqlerror.Error {
	gqlErr.Path = fc.Path()
	if err := authorizeField(ctx, role, fc.Field.Definition); err != nil {
		return present(ctx, gqlErr, err)
	}
	return badInput(ctx, gqlErr, fmt.Sprintf("argument %s of %s: %s", arg, fc.Field.Name, gqlErr.Message), arg)
}

// variableOf names the variable (and where in it: v.status[0]) of a
// variable value gqlparser refused: an unknown enum value, a string for an
// Int, a missing required value.
func variableOf(gqlErr *gqlerror.Error) string {
	if code, _ := gqlErr.Extensions["code"].(string); code != errcode.ValidationFailed || len(gqlErr.Path) < 2 {
		return ""
	}
	if first, _ := gqlErr.Path[0].(ast.PathName); first != "variable" {
		return ""
	}
	return pathString(gqlErr.Path[1:])
}

func badInput(ctx context.Context, gqlErr *gqlerror.Error, msg, field string) *gqlerror.Error {
	slog.DebugContext(ctx, "bad input", "reason", msg)
	gqlErr.Message = msg
	gqlErr.Extensions = map[string]any{"code": xroad.CodeBadUserInput}
	if field != "" {
		gqlErr.Extensions["field"] = field
	}
	return gqlErr
}

func internal(ctx context.Context, err error) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	slog.ErrorContext(ctx, "internal error", "error_id", id, "err", err)
	return fmt.Sprintf("internal error (id %s); the server log has the details", id)
}

// recoverPanic turns a resolver panic into an INTERNAL error.
func recoverPanic(ctx context.Context, p any) error {
	return xroad.Errorf(xroad.CodeInternal, "panic").Wrap(fmt.Errorf("panic: %v", p))
}
