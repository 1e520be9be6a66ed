package bench

import (
	"bytes"
	"context"
	"crypto/sha512"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
)

// BenchmarkGlobalConf: global configuration for registries of
// -bench.scale members and security servers (seeded directly): generation
// (read the registry, build, marshal, sign, publish, store the version)
// and a security server's download, verification (signature, hashes) and
// parsing of it, with time and peak memory. Targets for 10,000: generate
// and sign < 1 s, verify < 200 ms.
func BenchmarkGlobalConf(b *testing.B) {
	ctx := context.Background()
	t := NewTable("members = servers", "database", "phase", "time", "peak RSS", "heap allocated", "size")
	for _, f := range strings.Split(*flagScale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			b.Fatalf("-bench.scale: %v", err)
		}
		dbase := database(b)
		s, err := StartCentral(ctx, dbase.URL, n)
		if err != nil {
			b.Fatal(err)
		}
		sys := s.System(ctx)
		gen, err := Measure(func() error { return s.Central.Generate(sys) })
		if err != nil {
			b.Fatal(err)
		}
		anchorXML, err := s.Central.ConfigurationAnchor(sys)
		if err != nil {
			b.Fatal(err)
		}
		anchor, err := globalconf.ParseAnchor(anchorXML)
		if err != nil {
			b.Fatal(err)
		}
		var snap *globalconf.Snapshot
		down, err := Measure(func() (err error) {
			snap, err = globalconf.Download(ctx, http.DefaultClient, anchor, nil, nil, time.Now())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if got := len(snap.Shared.SecurityServers); got != n {
			b.Fatalf("the configuration lists %d security servers, want %d", got, n)
		}
		ver, err := Measure(func() error { return verify(anchor, snap) })
		if err != nil {
			b.Fatal(err)
		}
		parse, err := Measure(func() error {
			if _, err := globalconf.ParseSharedParameters(snap.SharedParamsRaw); err != nil {
				return err
			}
			_, err := globalconf.ParsePrivateParameters(snap.PrivateParamsRaw)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		size := fmt.Sprintf("directory %d B, shared %s, private %d B", len(snap.Directory), MiB(int64(len(snap.SharedParamsRaw))), len(snap.PrivateParamsRaw))
		for _, p := range []struct {
			name string
			ph   Phase
		}{{"CS: generate + sign + publish", gen}, {"SS: download + verify + parse (HTTP)", down},
			{"SS: verify (directory signature, part hashes)", ver}, {"SS: parse shared + private parameters (XML)", parse}} {
			t.Row(n, dbase.Name, p.name, p.ph.Elapsed, MiB(p.ph.PeakRSS), MiB(int64(p.ph.Allocated)), size)
			size = ""
		}
		b.ReportMetric(float64(gen.Elapsed.Microseconds())/1000, fmt.Sprintf("gen-ms/%d", n))
		b.ReportMetric(float64(ver.Elapsed.Microseconds())/1000, fmt.Sprintf("verify-ms/%d", n))
		b.ReportMetric(float64(parse.Elapsed.Microseconds())/1000, fmt.Sprintf("parse-ms/%d", n))
		s.Close()
	}
	report(b, "Global configuration at scale", t,
		"Peak RSS is the benchmark process's VmHWM during the phase (reset before it); heap allocated is the Go heap's TotalAlloc growth.")
}

// verify checks downloaded bytes as a security server does, short of
// parsing the parameters: parse the directory, check its signature with
// the anchor's certificates and the parts' SHA-512 hashes.
func verify(anchor *globalconf.Anchor, snap *globalconf.Snapshot) error {
	dir, err := globalconf.VerifyDirectory(snap.Directory, anchor.Instance, anchor.VerificationCerts(), time.Now())
	if err != nil {
		return err
	}
	for id, data := range map[string][]byte{globalconf.ContentSharedParameters: snap.SharedParamsRaw, globalconf.ContentPrivateParameters: snap.PrivateParamsRaw} {
		p, ok := dir.Part(id, snap.Instance)
		if !ok {
			return fmt.Errorf("the directory lists no %s", id)
		}
		if sum := sha512.Sum512(data); !strings.HasSuffix(p.HashAlgorithmID, "sha512") || !bytes.Equal(sum[:], p.Hash) {
			return fmt.Errorf("%s does not match its hash (%s)", id, p.HashAlgorithmID)
		}
	}
	return nil
}
