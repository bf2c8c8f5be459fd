// Command s3server is the S3-compatible object store the team-state tests
// run mlprov's s3:// backend against: gofakes3's S3 protocol implementation
// (github.com/johannesboyne/gofakes3) with objects kept in memory for the
// life of the process, on a loopback address. Test infrastructure only.
// (gofakes3's bolt backend crashes on CopyObject, which the Pulumi backend
// uses; the memory backend does not.)
//
//	s3server -listen 127.0.0.1:0 -bucket NAME [-addr-file FILE]
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback only)")
	bucket := flag.String("bucket", "", "bucket to create at start (optional)")
	addrFile := flag.String("addr-file", "", "write the listening address here once serving")
	flag.Parse()
	backend := s3mem.New()
	if *bucket != "" {
		if err := backend.CreateBucket(*bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
			log.Fatalf("s3server: create bucket %s: %v", *bucket, err)
		}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "s3server: serving on http://%s\n", ln.Addr())
	faker := gofakes3.New(backend, gofakes3.WithAutoBucket(false))
	log.Fatal(http.Serve(ln, faker.Server()))
}
