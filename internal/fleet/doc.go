// Package fleet runs one mlprov action over many products at once: it finds
// every config under a folder, keeps this runner's shard of them, runs the
// action per product with bounded parallelism (one product's failure never
// stops the others), shows live progress, and summarises the outcome as a
// text table, a typed JSON document and an HTML report.
//
// The package knows nothing of the actions themselves: the caller (internal/cli)
// runs each product and maps its exit code to a Status.
package fleet
