package globalconf

import "time"

// Status is the health of global configuration on either server: on the
// central server the last generated version, on a security server the last
// applied one. It backs the GraphQL type GlobalConfigurationStatus.
type Status struct {
	Instance string
	// Version is the generation counter (CS) or the count of applied
	// configurations (SS); 0 when there is none yet.
	Version     int
	GeneratedAt time.Time
	ExpiresAt   time.Time
	// LastSuccessAt is the last successful generation (CS) or download (SS).
	LastSuccessAt time.Time
	// Error is empty when healthy.
	Error        string
	FailingSince *time.Time
}
