package eventbus

import (
	"slices"
	"testing"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

func TestRouteDeliversToTargetsOfMatchingRules(t *testing.T) {
	cloud := []cloudstate.Resource{
		{Type: typeRule, Inputs: map[string]any{"name": "ec2", "eventPattern": `{"source":["aws.ec2"]}`}},
		{Type: typeRule, Inputs: map[string]any{"name": "s3", "eventPattern": `{"source":["aws.s3"]}`}},
		{Type: typeRule, Inputs: map[string]any{"name": "nightly", "scheduleExpression": "rate(1 day)"}},
		{Type: typeTarget, Inputs: map[string]any{"rule": "ec2", "arn": "arn:a"}},
		{Type: typeTarget, Inputs: map[string]any{"rule": "ec2", "arn": "arn:b"}},
		{Type: typeTarget, Inputs: map[string]any{"rule": "s3", "arn": "arn:c"}},
		{Type: typeTarget, Inputs: map[string]any{"rule": "nightly", "arn": "arn:d"}},
	}
	got, err := Route(cloud, `{"source":"aws.ec2","detail":{}}`)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"arn:a", "arn:b"}) {
		t.Errorf("routed to %v, want the ec2 rule's two targets", got)
	}
	if got, _ := Route(cloud, `{"source":"aws.sns"}`); len(got) != 0 {
		t.Errorf("an event no rule matches reached %v", got)
	}
	bad := append(cloud, cloudstate.Resource{Type: typeRule, Inputs: map[string]any{"name": "bad", "eventPattern": `{"source":"x"}`}})
	if _, err := Route(bad, `{"source":"aws.ec2"}`); err == nil {
		t.Error("an invalid stored pattern was not reported")
	}
}
