package rules

// logGroupTypes are the CloudWatch log group types (pulumi-aws, aws-native).
var logGroupTypes = []string{typeLogGroup, typeNativeLogGroup}
