package e2e

import (
	"github.com/mlprov/mlprov/components/source"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// SeedSourceBucket gives a product with an S3 source the bucket it reads,
// sending its events to EventBridge when eventBridge is true. Other sources
// need nothing.
func SeedSourceBucket(dir string, cfg *config.Config, eventBridge bool) error {
	if cfg.MLProduct.SourceControl != config.SourceS3 {
		return nil
	}
	bucket, _ := source.SplitS3Prefix(cfg.MLProduct.S3Prefix)
	return control.SeedBucket(dir, bucket, eventBridge)
}
