package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

// The management service takes POST only.
func TestManagementServiceRefusesOtherMethods(t *testing.T) {
	t.Parallel()
	h := managementService(nil, 10)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(m, "/managementservice/", nil))
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost {
			t.Errorf("%s: %d, Allow %q", m, w.Code, w.Header().Get("Allow"))
		}
	}
}

// Each client address has its own budget of requests a minute; past it the
// answer is a SOAP fault with MANAGEMENT_REQUEST_RATE_LIMITED and
// Retry-After, before the request is read.
func TestManagementServiceLimitsEachAddress(t *testing.T) {
	t.Parallel()
	h := managementService(nil, 3)
	post := func(addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/managementservice/", strings.NewReader("not a request"))
		r.Header.Set("Content-Type", "multipart/related; boundary=x")
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range 3 {
		if w := post("192.0.2.1:4000"); w.Code == http.StatusTooManyRequests {
			t.Fatalf("request %d within the budget was limited", i+1)
		}
	}
	w := post("192.0.2.1:4001") // same address, another port
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" ||
		!strings.Contains(w.Body.String(), xroad.CodeManagementRequestRateLimited) || !strings.Contains(w.Body.String(), "192.0.2.1") {
		t.Fatalf("4th request: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if w := post("192.0.2.2:4000"); w.Code == http.StatusTooManyRequests {
		t.Fatal("another address shares the budget")
	}
}

// HTTP serving lives in server/: the domain packages of both roles use
// net/http as clients only (DESIGN-NOTES.md, "Shape").
func TestDomainPackagesServeNoHTTP(t *testing.T) {
	t.Parallel()
	serverSide := map[string]bool{
		"Handler": true, "HandlerFunc": true, "ResponseWriter": true, "ServeMux": true, "NewServeMux": true,
		"Server": true, "ListenAndServe": true, "ListenAndServeTLS": true, "Serve": true, "ServeTLS": true,
		"Error": true, "NotFound": true, "Redirect": true, "MaxBytesReader": true, "ServeContent": true,
		"ServeFile": true, "FileServer": true, "StripPrefix": true, "TimeoutHandler": true,
	}
	for _, dir := range []string{"../internal/central", "../internal/security"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			httpName := ""
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if path == "net/http/httptest" {
					t.Errorf("%s imports net/http/httptest", name)
				}
				if path == "net/http" {
					httpName = "http"
					if imp.Name != nil {
						httpName = imp.Name.Name
					}
				}
			}
			if httpName == "" {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == httpName && serverSide[sel.Sel.Name] {
						t.Errorf("%s uses http.%s: HTTP handlers belong in server/", name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
