package report

import (
	"fmt"
	"math"
	"reflect"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

// assumption is one stated input of the cost model.
type assumption struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// costModel is every price and volume the estimate uses: the one table in
// code, shown verbatim in the report. Prices are AWS list prices for
// us-east-1 / us-west-2 (checked 2026-11); other regions differ.
type costModel struct {
	HoursPerMonth, EndpointAZHour, EndpointDataGB, EndpointGBPerMonth                       assumption
	SubnetsWhenUnknown, KMSKeyMonth, KMSRequests10k, KMSRequestsPerMonth                    assumption
	LogIngestGB, LogStorageGBMonth, LogGBPerGroupMonth, RetentionMonthsWhenUnset            assumption
	AlarmMonth, CustomMetricMonth, DashboardMonth, EmailsPerMonth                           assumption
	CodeBuildMinute, BuildMinutesPerProject, PipelineActionMinute, ActionMinutesPerPipeline assumption
	S3GBMonth, ArtifactGB                                                                   assumption
}

var defaultCostModel = costModel{
	HoursPerMonth:            assumption{"Hours in a month", 730, "h"},
	EndpointAZHour:           assumption{"Interface endpoint, per subnet (AZ) and hour", 0.01, "USD"},
	EndpointDataGB:           assumption{"Interface endpoint data processed", 0.01, "USD/GB"},
	EndpointGBPerMonth:       assumption{"Data through each interface endpoint", 5, "GB/month"},
	SubnetsWhenUnknown:       assumption{"Subnets when read from SSM at preview", 2, "subnets"},
	KMSKeyMonth:              assumption{"KMS customer managed key", 1, "USD/month"},
	KMSRequests10k:           assumption{"KMS requests", 0.03, "USD/10,000"},
	KMSRequestsPerMonth:      assumption{"KMS requests per key", 100000, "requests/month"},
	LogIngestGB:              assumption{"CloudWatch Logs ingestion", 0.50, "USD/GB"},
	LogStorageGBMonth:        assumption{"CloudWatch Logs storage", 0.03, "USD/GB-month"},
	LogGBPerGroupMonth:       assumption{"Log volume per log group", 1, "GB/month"},
	RetentionMonthsWhenUnset: assumption{"Months stored when retention is unset (grows without bound)", 12, "months"},
	AlarmMonth:               assumption{"CloudWatch standard alarm", 0.10, "USD/month"},
	CustomMetricMonth:        assumption{"Custom metric from a metric filter", 0.30, "USD/month"},
	DashboardMonth:           assumption{"CloudWatch dashboard (beyond the 3 free)", 3, "USD/month"},
	EmailsPerMonth:           assumption{"Alert emails", 100, "emails/month"},
	CodeBuildMinute:          assumption{"CodeBuild general1.small", 0.005, "USD/min"},
	BuildMinutesPerProject:   assumption{"Build minutes per CodeBuild project", 150, "min/month"},
	PipelineActionMinute:     assumption{"CodePipeline V2 action execution", 0.002, "USD/min"},
	ActionMinutesPerPipeline: assumption{"Action minutes per pipeline (free 100 min ignored)", 100, "min/month"},
	S3GBMonth:                assumption{"S3 Standard storage", 0.023, "USD/GB-month"},
	ArtifactGB:               assumption{"Artifacts stored", 10, "GB"},
}

// table lists every assumption in declaration order.
func (m costModel) table() []assumption {
	v := reflect.ValueOf(m)
	out := make([]assumption, v.NumField())
	for i := range out {
		out[i] = v.Field(i).Interface().(assumption)
	}
	return out
}

// CostEstimate is the estimated monthly cost of one product.
type CostEstimate struct {
	Currency    string       `json:"currency"`
	Total       float64      `json:"total"`
	Lines       []CostLine   `json:"lines"`
	Assumptions []assumption `json:"assumptions"`
	Note        string       `json:"note"`
}

// CostLine is one priced item.
type CostLine struct {
	Item     string  `json:"item"`
	Quantity string  `json:"quantity"`
	Basis    string  `json:"basis"`
	Monthly  float64 `json:"monthly"`
}

// EstimateMonthlyCost prices what the template creates with the stated
// assumptions. Resources with no standing cost (IAM, SSM standard
// parameters, EventBridge rules on AWS events, the model registry, gateway
// endpoints) are not listed.
func EstimateMonthlyCost(doc *provtemplate.Document) CostEstimate {
	m := defaultCostModel
	e := CostEstimate{Currency: "USD", Lines: []CostLine{}, Assumptions: m.table(),
		Note: "A planning estimate from list prices and the volumes below, not a quote; usage-driven items scale with your traffic."}
	add := func(item, qty, basis string, usd float64) {
		e.Lines = append(e.Lines, CostLine{Item: item, Quantity: qty, Basis: basis, Monthly: cents(usd)})
		e.Total += cents(usd)
	}

	endpoints, azs, guessed := interfaceEndpoints(doc, int(m.SubnetsWhenUnknown.Value))
	if endpoints > 0 {
		basis := fmt.Sprintf("%d endpoint-subnets × %.0f h × $%.2f", azs, m.HoursPerMonth.Value, m.EndpointAZHour.Value)
		if guessed {
			basis += " (subnet count assumed)"
		}
		add("Interface VPC endpoints", fmt.Sprintf("%d endpoints, %d endpoint-subnets", endpoints, azs), basis,
			float64(azs)*m.HoursPerMonth.Value*m.EndpointAZHour.Value)
		add("Endpoint data processed", fmt.Sprintf("%.0f GB", float64(endpoints)*m.EndpointGBPerMonth.Value),
			fmt.Sprintf("%d × %.0f GB × $%.2f", endpoints, m.EndpointGBPerMonth.Value, m.EndpointDataGB.Value),
			float64(endpoints)*m.EndpointGBPerMonth.Value*m.EndpointDataGB.Value)
	}
	if n := len(doc.ByType(typeKMSKey)); n > 0 {
		requests := m.KMSRequestsPerMonth.Value / 10000 * m.KMSRequests10k.Value
		add("KMS customer managed key", count(n, "key"),
			fmt.Sprintf("$%.2f + %.0f requests × $%.2f/10k", m.KMSKeyMonth.Value, m.KMSRequestsPerMonth.Value, m.KMSRequests10k.Value),
			float64(n)*(m.KMSKeyMonth.Value+requests))
	}
	if groups := doc.ByType(typeLogGroup); len(groups) > 0 {
		n := float64(len(groups))
		add("Log ingestion", count(len(groups), "log group"),
			fmt.Sprintf("%.0f × %.0f GB × $%.2f", n, m.LogGBPerGroupMonth.Value, m.LogIngestGB.Value),
			n*m.LogGBPerGroupMonth.Value*m.LogIngestGB.Value)
		months := 0.0
		for _, g := range groups {
			months += retentionMonths(g, m.RetentionMonthsWhenUnset.Value)
		}
		add("Log storage (steady state at the configured retention)", fmt.Sprintf("%.0f GB", months*m.LogGBPerGroupMonth.Value),
			fmt.Sprintf("%.0f GB/month × retention months × $%.2f", m.LogGBPerGroupMonth.Value, m.LogStorageGBMonth.Value),
			months*m.LogGBPerGroupMonth.Value*m.LogStorageGBMonth.Value)
	}
	if n := len(doc.ByType(typeMetricAlarm)); n > 0 {
		add("CloudWatch alarms", count(n, "alarm"), fmt.Sprintf("%d × $%.2f", n, m.AlarmMonth.Value), float64(n)*m.AlarmMonth.Value)
	}
	if n := len(doc.ByType(typeMetricFilter)); n > 0 {
		add("Metric filter metrics", count(n, "metric"), fmt.Sprintf("%d × $%.2f", n, m.CustomMetricMonth.Value), float64(n)*m.CustomMetricMonth.Value)
	}
	if n := len(doc.ByType(typeDashboard)); n > 0 {
		add("CloudWatch dashboard", count(n, "dashboard"), fmt.Sprintf("%d × $%.2f", n, m.DashboardMonth.Value), float64(n)*m.DashboardMonth.Value)
	}
	if n := len(doc.ByType(typeTopic)); n > 0 {
		add("SNS security alerts", count(n, "topic"), fmt.Sprintf("%.0f emails/month, within the 1,000 free", m.EmailsPerMonth.Value), 0)
	}
	if n := len(doc.ByType(typeCodeBuild)); n > 0 {
		add("CodeBuild", count(n, "project"), fmt.Sprintf("%d × %.0f min × $%.3f", n, m.BuildMinutesPerProject.Value, m.CodeBuildMinute.Value),
			float64(n)*m.BuildMinutesPerProject.Value*m.CodeBuildMinute.Value)
	}
	if n := len(doc.ByType(typePipeline)); n > 0 {
		add("CodePipeline V2", count(n, "pipeline"), fmt.Sprintf("%d × %.0f action-min × $%.3f", n, m.ActionMinutesPerPipeline.Value, m.PipelineActionMinute.Value),
			float64(n)*m.ActionMinutesPerPipeline.Value*m.PipelineActionMinute.Value)
	}
	if n := len(doc.ByType(typeBucketV2)) + len(doc.ByType(typeBucket)); n > 0 {
		add("S3 artifact storage", fmt.Sprintf("%.0f GB", m.ArtifactGB.Value), fmt.Sprintf("%.0f GB × $%.3f", m.ArtifactGB.Value, m.S3GBMonth.Value),
			m.ArtifactGB.Value*m.S3GBMonth.Value)
	}
	e.Total = cents(e.Total)
	return e
}

// interfaceEndpoints counts Interface endpoints and endpoint-subnet pairs
// (each is billed per AZ). guessed is true when a subnet list is only known
// at preview and fallback subnets were assumed.
func interfaceEndpoints(doc *provtemplate.Document, fallback int) (endpoints, pairs int, guessed bool) {
	for _, r := range doc.ByType(typeVPCEndpoint) {
		if r.Inputs["vpcEndpointType"] != "Interface" {
			continue
		}
		endpoints++
		subnets := knownStrings(r.Inputs["subnetIds"])
		if subnets == 0 {
			subnets, guessed = fallback, true
		}
		pairs += subnets
	}
	return endpoints, pairs, guessed
}

// knownStrings counts the concrete (non-placeholder) strings of a list input.
func knownStrings(v any) int {
	list, _ := v.([]any)
	n := 0
	for _, s := range list {
		if str, ok := s.(string); ok && str != "" && !provtemplate.IsPlaceholder(str) {
			n++
		}
	}
	return n
}

// retentionMonths is how many months of logs a group keeps at steady state.
func retentionMonths(r provtemplate.Resource, unset float64) float64 {
	days, _ := r.Inputs["retentionInDays"].(float64)
	if days <= 0 {
		return unset
	}
	return days / 30.4
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func cents(v float64) float64 { return math.Round(v*100) / 100 }
