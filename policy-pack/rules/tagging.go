package rules

import (
	"github.com/mlprov/mlprov/internal/tags"
)

// missingTags returns which of keys the resource does not carry; unknown
// reports tags still computed.
func missingTags(r Resource, keys []string) (missing []string, unknown bool) {
	t, unknown := r.Tags()
	if unknown {
		return nil, true
	}
	for _, k := range keys {
		if t[k] == "" {
			missing = append(missing, k)
		}
	}
	return missing, false
}

// managedByMLProv reports whether mlprov created the resource; rules about
// mlprov's own conventions are advisory for foreign stacks.
func managedByMLProv(r Resource) bool { return r.Tag(tags.ManagedBy) == tags.ManagedByValue }

// taggableTypes are the judged types that accept tags even when a program
// sets none.
var taggableTypes = map[string]bool{
	typeKMSKey: true, typeNativeKMSKey: true, typeBucket: true, typeBucketV2: true, typeNativeBucket: true,
	typeRole: true, typeNativeRole: true, typePolicy: true, typeCodeBuild: true, typePipeline: true,
	typeEventRule: true, typeLogGroup: true, typeNativeLogGroup: true, typeMetricAlarm: true, typeTopic: true,
	typeVPCEndpoint: true, typeSecurityGroup: true, typeSGIngressRule: true, typeSGEgressRule: true,
	typeSSMParameter: true, typeModelPkgGroup: true, typeNativeModelPkg: true,
}

func isTaggable(r Resource) bool {
	return taggableTypes[r.Type] || r.Props.Has("tags")
}
