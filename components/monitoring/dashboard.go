package monitoring

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DashboardType is the dashboard component's type token.
const DashboardType = "mlprov:monitoring:Dashboard"

// DashboardArgs configures the dashboard.
type DashboardArgs struct {
	DashboardName string
	Region        string
	// BuildProjects are the CodeBuild projects whose health is shown.
	BuildProjects []string
}

// Dashboard shows pipeline and build health.
type Dashboard struct {
	pulumi.ResourceState

	DashboardName pulumi.StringOutput
}

// NewDashboard creates the CloudWatch dashboard.
func NewDashboard(ctx *pulumi.Context, name string, args DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	c := &Dashboard{}
	if err := ctx.RegisterComponentResource(DashboardType, name, c, opts...); err != nil {
		return nil, err
	}
	d, err := cloudwatch.NewDashboard(ctx, name, &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(args.DashboardName),
		DashboardBody: pulumi.String(DashboardBody(args.Region, args.BuildProjects)),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.DashboardName = d.DashboardName
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"dashboardName": c.DashboardName})
}

// DashboardBody has one widget of build outcomes and one of build duration
// per CodeBuild project (each pipeline runs one project).
func DashboardBody(region string, projects []string) string {
	var widgets []map[string]any
	for i, p := range projects {
		metric := func(m string) []any { return []any{"AWS/CodeBuild", m, "ProjectName", p} }
		widgets = append(widgets,
			widget(0, i*6, region, p+" builds", "Sum", metric("SucceededBuilds"), metric("FailedBuilds")),
			widget(12, i*6, region, p+" duration", "Average", metric("Duration")),
		)
	}
	b, _ := json.Marshal(map[string]any{"widgets": widgets})
	return string(b)
}

func widget(x, y int, region, title, stat string, metrics ...[]any) map[string]any {
	return map[string]any{
		"type": "metric", "x": x, "y": y, "width": 12, "height": 6,
		"properties": map[string]any{
			"title": title, "region": region, "stat": stat, "period": 300, "view": "timeSeries",
			"metrics": metrics,
		},
	}
}
