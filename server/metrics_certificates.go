package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/roadreg/roadreg/internal/security"
)

var certificateNotAfterDesc = prometheus.NewDesc("roadreg_certificate_not_after_timestamp_seconds",
	"When a certificate of this security server expires (Unix time); alert on it minus time().",
	[]string{"certificate_sha256", "usage", "status", "active", "acme"}, nil)

var certificateRenewalFailuresDesc = prometheus.NewDesc("roadreg_certificate_renewal_failures",
	"Automatic renewal attempts of a certificate ordered with ACME that failed in a row (0 after a success); alert when above 0.",
	[]string{"certificate_sha256", "usage"}, nil)

var certificateRenewalDueDesc = prometheus.NewDesc("roadreg_certificate_renewal_due_timestamp_seconds",
	"When the renewal job renews a certificate ordered with ACME (Unix time).",
	[]string{"certificate_sha256", "usage"}, nil)

// certificateExpiryCollector exports the expiry time of each certificate
// of the security server, read from the database at every scrape.
type certificateExpiryCollector struct{ security *security.Service }

func (c certificateExpiryCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- certificateNotAfterDesc
	ch <- certificateRenewalFailuresDesc
	ch <- certificateRenewalDueDesc
}

func (c certificateExpiryCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	certs, err := c.security.CertificateExpiries(ctx)
	if err != nil {
		slog.Warn("certificate metrics not collected", "error", err)
		return
	}
	for _, e := range certs {
		ch <- prometheus.MustNewConstMetric(certificateNotAfterDesc, prometheus.GaugeValue, float64(e.NotAfter.Unix()),
			e.SHA256, string(e.Usage), string(e.Status), strconv.FormatBool(e.Active), strconv.FormatBool(e.ACME))
		if e.ACME {
			ch <- prometheus.MustNewConstMetric(certificateRenewalFailuresDesc, prometheus.GaugeValue, float64(e.RenewalFailures), e.SHA256, string(e.Usage))
		}
		if e.RenewalDue != nil {
			ch <- prometheus.MustNewConstMetric(certificateRenewalDueDesc, prometheus.GaugeValue, float64(e.RenewalDue.Unix()), e.SHA256, string(e.Usage))
		}
	}
}
