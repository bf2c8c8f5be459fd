package rules

// All returns the catalogue, in report order. Adding a rule means adding its
// file and one line here; the pack test then demands its fixtures.
func All() []Rule {
	return []Rule{
		kms001(), kms002(), kms003(),
		s3001(), s3002(), s3003(), s3004(), s3005(), s3006(),
		iam001(), iam002(), iam003(), iam004(), iam005(), iam006(),
		cb001(), cb002(), cb003(), cb004(),
		cp001(), cp002(), cp003(),
		evt001(),
		log001(), log002(),
		cw001(), cw002(),
		sns001(), sns002(),
		vpc001(), vpc002(),
		sg001(), sg002(),
		ssm001(),
		sm001(),
		tag001(),
		wvr001(), wvr002(),
	}
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
