package naming

// MetricNamespace is the CloudWatch namespace of the product's compliance metrics.
func (n Names) MetricNamespace() string { return "mlprov/" + n.MLName }
