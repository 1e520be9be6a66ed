package testca

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Exit codes of RunCLI.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

const usageText = `Usage: roadreg ca <command> [flags]

A test certification authority with OCSP responder and timestamping authority,
for development and test instances (never for production).

Commands:
  init    create a CA in a directory
  sign    issue a certificate for a CSR and print it (PEM)
  revoke  mark an issued certificate revoked
  serve   serve the CA over HTTP: /testca/sign, /testca/ocsp, /testca/tsa, /testca/ca.pem

Run 'roadreg ca <command> --help' for the flags of a command.
`

// RunCLI runs `roadreg ca …`; args excludes the leading "ca". It returns the
// exit code: 0 success, 1 failure, 2 usage error. serve runs until ctx is
// cancelled, then shuts down gracefully.
func RunCLI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "init":
		return runInit(rest, stdout, stderr)
	case "sign":
		return runSign(rest, stdin, stdout, stderr)
	case "revoke":
		return runRevoke(rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "roadreg ca: unknown command %q\n\n%s", cmd, usageText)
	return exitUsage
}

// command is one subcommand's flag set and how to report on it.
type command struct {
	name, synopsis string
	fs             *flag.FlagSet
	stdout, stderr io.Writer
}

func newCommand(name, synopsis string, stdout, stderr io.Writer) *command {
	fs := flag.NewFlagSet("roadreg ca "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by parse
	return &command{name: name, synopsis: synopsis, fs: fs, stdout: stdout, stderr: stderr}
}

// parse parses args; when it returns false, the caller returns code.
func (c *command) parse(args []string, required ...string) (code int, ok bool) {
	err := c.fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.usage(c.stdout)
		return exitOK, false
	case err != nil:
		return c.usageError("%v", err), false
	case c.fs.NArg() > 0:
		return c.usageError("unexpected argument %q", c.fs.Arg(0)), false
	}
	for _, name := range required {
		if c.fs.Lookup(name).Value.String() == "" {
			return c.usageError("--%s is required", name), false
		}
	}
	return exitOK, true
}

func (c *command) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: roadreg ca %s %s\n\nFlags:\n", c.name, c.synopsis)
	c.fs.SetOutput(w)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
}

func (c *command) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "roadreg ca %s: %s\n\n", c.name, fmt.Sprintf(format, args...))
	c.usage(c.stderr)
	return exitUsage
}

// fail reports err (its human message for *xroad.Error) and returns 1.
func (c *command) fail(err error) int {
	fmt.Fprintf(c.stderr, "roadreg ca %s: %s\n", c.name, messageOf(err))
	return exitError
}

func runInit(args []string, stdout, stderr io.Writer) int {
	c := newCommand("init", "--dir DIR [--instance DEV] [--name NAME] [--key-algorithm EC|RSA2048|RSA3072] [--base-url URL]", stdout, stderr)
	dir := c.fs.String("dir", "", "directory for the CA's keys, certificates and index (created if missing)")
	var opts InitOptions
	c.fs.StringVar(&opts.Instance, "instance", DefaultInstance, "X-Road instance identifier the CA serves (C of every subject)")
	c.fs.StringVar(&opts.Name, "name", DefaultName, "name of the CA (CN of its certificate)")
	c.fs.StringVar(&opts.KeyAlgorithm, "key-algorithm", DefaultKeyAlgorithm, "key algorithm: EC (P-256), RSA2048 or RSA3072")
	c.fs.StringVar(&opts.BaseURL, "base-url", DefaultBaseURL, "URL the CA will be served at; issued certificates name <base-url>/testca/ocsp")
	if code, ok := c.parse(args, "dir"); !ok {
		return code
	}
	ca, err := Init(*dir, opts)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(stdout, "Created test CA %q for instance %s in %s\n  CA certificate: %s\n  OCSP responder: %s\n  TSA:            %s\n",
		ca.Name(), ca.Instance(), ca.Dir(), ca.cfg.BaseURL+PathCACert, ca.OCSPURL(), ca.TSAURL())
	return exitOK
}

func runSign(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("sign", "--dir DIR --profile auth|sign --csr FILE|- [--days N]", stdout, stderr)
	dir := c.fs.String("dir", "", "directory of the CA")
	profile := c.fs.String("profile", "", "certificate profile: auth (security server authentication) or sign (member signing)")
	csrPath := c.fs.String("csr", "", "file with the CSR in PEM or DER, or - for standard input")
	days := c.fs.Int("days", DefaultDays, "validity in days")
	if code, ok := c.parse(args, "dir", "profile", "csr"); !ok {
		return code
	}
	if _, err := profileUsage(*profile); err != nil {
		return c.usageError("%s", messageOf(err))
	}
	ca, err := Load(*dir)
	if err != nil {
		return c.fail(err)
	}
	var in io.Reader = stdin
	if *csrPath != "-" {
		f, err := os.Open(*csrPath)
		if err != nil {
			return c.fail(err)
		}
		defer f.Close()
		in = f
	}
	csr, err := io.ReadAll(io.LimitReader(in, MaxBodySize+1))
	switch {
	case err != nil:
		return c.fail(err)
	case len(csr) > MaxBodySize:
		return c.fail(fmt.Errorf("the CSR is larger than %d KiB", MaxBodySize>>10))
	}
	der, err := ca.Sign(csr, *profile, *days)
	if err != nil {
		return c.fail(err)
	}
	if _, err := stdout.Write(certPEM(der)); err != nil {
		return c.fail(err)
	}
	return exitOK
}

func runRevoke(args []string, stdout, stderr io.Writer) int {
	c := newCommand("revoke", "--dir DIR --serial S [--reason N]", stdout, stderr)
	dir := c.fs.String("dir", "", "directory of the CA")
	serialText := c.fs.String("serial", "", "serial number: hexadecimal as openssl prints it (colons and 0x allowed) or decimal")
	reason := c.fs.Int("reason", 0, "RFC 5280 revocation reason: 0 unspecified, 1 keyCompromise, 6 certificateHold (suspended), …")
	if code, ok := c.parse(args, "dir", "serial"); !ok {
		return code
	}
	ca, err := Load(*dir)
	if err != nil {
		return c.fail(err)
	}
	serial, err := ca.FindSerial(*serialText)
	if err != nil {
		return c.fail(err)
	}
	if err := ca.Revoke(serial, *reason); err != nil {
		return c.fail(err)
	}
	entry, err := ca.Status(serial)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(stdout, "Revoked certificate %s (%s), reason %d\n", entry.Serial, entry.Subject, entry.Reason)
	return exitOK
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCommand("serve", "--dir DIR [--listen ADDR]", stdout, stderr)
	dir := c.fs.String("dir", "", "directory of the CA")
	listen := c.fs.String("listen", "", "address to listen on (default: host:port of the CA's base URL)")
	if code, ok := c.parse(args, "dir"); !ok {
		return code
	}
	ca, err := Load(*dir)
	if err != nil {
		return c.fail(err)
	}
	addr := *listen
	if addr == "" {
		if addr, err = listenAddress(ca.BaseURL()); err != nil {
			return c.fail(err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return c.fail(err)
	}
	srv := &http.Server{Handler: ca.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "Test CA %q (instance %s) serving on http://%s\n", ca.Name(), ca.Instance(), ln.Addr())

	select {
	case err := <-served:
		return c.fail(err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return c.fail(err)
	}
	<-served
	return exitOK
}

// listenAddress is host:port of a base URL (port 80/443 by scheme if absent).
func listenAddress(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", xroad.BadInput("baseUrl", "The CA's base URL %q is not a URL", baseURL)
	}
	if u.Port() != "" {
		return u.Host, nil
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}
