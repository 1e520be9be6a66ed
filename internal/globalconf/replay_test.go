package globalconf_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

// publishedFiles copies the current publication's files (directory and
// parts) as a fileServer would serve them.
func publishedFiles(t *testing.T, pub *globalconf.Publisher) map[string][]byte {
	t.Helper()
	cur := pub.Current()
	files := map[string][]byte{"V6/internalconf": cur.Directory}
	for _, f := range cur.Files {
		files["V6/"+cur.ID+"/"+f.Name] = f.Data
	}
	return files
}

// A directory a newer configuration replaced is refused when it is served
// again (an attacker replaying a captured copy, or a stale mirror), even
// while it has not expired; the current one may be downloaded again.
func TestDownloadRefusesReplayedDirectory(t *testing.T) {
	ctx := context.Background()
	cert := testPKI(t).signing.cert
	pub := newPublisher(t)
	live := serve(t, globalconf.NewHandler(pub, nil))
	anchor := anchorFor("DEV", cert, live.URL+"/internalconf")

	publishGen(t, pub, 1, time.Now())
	old := &fileServer{files: publishedFiles(t, pub), hits: map[string]int{}}
	oldShared := "V6/" + pub.Current().ID + "/shared-params.xml"
	s1, err := globalconf.Download(ctx, nil, anchor, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	publishGen(t, pub, 2, time.Now())
	s2, err := globalconf.Download(ctx, nil, anchor, s1, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s3, err := globalconf.Download(ctx, nil, anchor, s2, nil, time.Now())
	if err != nil || s3.DirectoryHash != s2.DirectoryHash {
		t.Fatalf("downloading the current version again: %v", err)
	}

	replay := anchorFor("DEV", cert, serve(t, old).URL+"/internalconf")
	_, err = globalconf.Download(ctx, nil, replay, s3, nil, time.Now())
	var xe *xroad.Error
	if !errors.Is(err, globalconf.ErrReplayed) || !errors.As(err, &xe) || xe.Code != xroad.CodeGlobalConfVerification {
		t.Fatalf("replayed version 1 after version 2: %v, want %s with ErrReplayed", err, xroad.CodeGlobalConfVerification)
	}
	if old.hits[oldShared] != 0 {
		t.Error("the parts of a replayed directory were downloaded")
	}
	// Without history (a server that never saw version 2) the signed,
	// unexpired version 1 is accepted: its Expire-date bounds the replay.
	if _, err := globalconf.Download(ctx, nil, replay, nil, nil, time.Now()); err != nil {
		t.Errorf("version 1 without history: %v", err)
	}
}
