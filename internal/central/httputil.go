package central

import (
	"encoding/json"
	"net/http"

	"github.com/roadreg/roadreg/internal/xroad"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, err error) {
	code, msg := xroad.CodeInternal, "internal error"
	if c := xroad.CodeOf(err); c != "" {
		code, msg = c, xroad.Message(err)
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
