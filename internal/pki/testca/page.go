package testca

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/roadreg/roadreg/internal/pki"
)

// PathHome is the test CA's page: what it offers and how to use it.
const PathHome = "/testca/"

// homePage says what the CA offers and how to have a CSR signed. It is a
// page for people; everything on it is public (certificates, URLs).
var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}} – Roadreg test CA</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
pre { background: #f3f3f3; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.warning { border-left: 4px solid #a15c00; padding: .25rem .75rem; background: #fff4e5; }
td, th { text-align: left; padding: .25rem .5rem .25rem 0; vertical-align: top; }
</style>
</head>
<body>
<h1>{{.Name}}</h1>
<p class="warning">A test certification authority for X-Road instance <strong>{{.Instance}}</strong>. It signs whatever it is sent: never use it for production.</p>
<h2>What it offers</h2>
<table>
<tr><th scope="row">Sign a CSR</th><td><code>POST {{.Base}}/testca/sign?profile=auth|sign[&amp;days=N]</code> – a PEM or DER certificate signing request in, a PEM certificate out ({{.Days}} days unless <code>days</code> says otherwise)</td></tr>
<tr><th scope="row">OCSP responder</th><td><code>{{.Base}}/testca/ocsp</code> (RFC 6960, POST or GET)</td></tr>
<tr><th scope="row">Timestamping authority</th><td><code>{{.Base}}/testca/tsa</code> (RFC 3161, POST)</td></tr>
<tr><th scope="row">Certificates</th><td><a href="{{.Base}}/testca/ca.pem">CA</a>, <a href="{{.Base}}/testca/ocsp.pem">OCSP responder</a>, <a href="{{.Base}}/testca/tsa.pem">TSA</a> (PEM)</td></tr>
</table>
<h2>Have a CSR signed</h2>
<p>Download the CSR from the security server's <em>Keys and certificates</em> page (PEM or DER), then send it with the profile of its key: <code>auth</code> for an authentication key, <code>sign</code> for a signing key.</p>
<pre>curl --data-binary @auth_csr.pem '{{.Base}}/testca/sign?profile=auth' &gt; auth.pem
curl --data-binary @sign_csr.pem '{{.Base}}/testca/sign?profile=sign' &gt; sign.pem</pre>
<p>Import the certificates on the same page (<em>Import certificate</em>). The CA answers a CSR it cannot sign with HTTP 400 and the reason.</p>
<h2>CA certificate</h2>
<table>
<tr><th scope="row">Subject</th><td>{{.Subject}}</td></tr>
<tr><th scope="row">Valid until</th><td>{{.NotAfter}}</td></tr>
<tr><th scope="row">SHA-256</th><td><code>{{.SHA256}}</code></td></tr>
</table>
</body>
</html>
`))

// serveHome answers the CA's page.
func (ca *CA) serveHome(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	err := homePage.Execute(&b, map[string]any{
		"Name": ca.cfg.Name, "Instance": ca.cfg.Instance, "Base": ca.cfg.BaseURL, "Days": DefaultDays,
		"Subject": pki.SubjectDN(ca.cert), "NotAfter": ca.cert.NotAfter.UTC().Format("2006-01-02 15:04 MST"),
		"SHA256": pki.SHA256Hex(ca.cert.Raw),
	})
	if err != nil {
		slog.Error("test CA: rendering its page", "err", err)
		textError(w, http.StatusInternalServerError, "The page could not be made; see the CA's log")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write(b.Bytes())
}
