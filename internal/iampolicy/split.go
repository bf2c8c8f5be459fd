package iampolicy

import (
	"encoding/json"
	"fmt"
	"unicode"

	"github.com/mlprov/mlprov/internal/policydoc"
)

// Size is a document's size as AWS counts it against the managed-policy
// limit: characters of its JSON, whitespace excluded.
func Size(d policydoc.Document) int {
	b, _ := json.Marshal(d) // fixed shape of strings, slices and maps
	n := 0
	for _, r := range string(b) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// split packs statements, in order, into as few documents as fit the
// limit; a statement too big on its own is cut into several by resources
// (then by actions), which together grant the same.
func split(statements []policydoc.Statement) ([]policydoc.Document, error) {
	var docs []policydoc.Document
	current := policydoc.New()
	for _, whole := range statements {
		parts, err := fitting(whole)
		if err != nil {
			return nil, err
		}
		for _, s := range parts {
			next := current
			next.Statement = append(append([]policydoc.Statement(nil), current.Statement...), s)
			if Size(next) <= MaxManagedPolicySize {
				current = next
				continue
			}
			docs = append(docs, current)
			current = policydoc.New(s)
		}
	}
	if len(current.Statement) > 0 {
		docs = append(docs, current)
	}
	return docs, nil
}

// fitting cuts s until each part fits a document of its own.
func fitting(s policydoc.Statement) ([]policydoc.Statement, error) {
	if Size(policydoc.New(s)) <= MaxManagedPolicySize {
		return []policydoc.Statement{s}, nil
	}
	a, b := s, s
	switch {
	case len(s.Resource) > 1:
		half := len(s.Resource) / 2
		a.Resource, b.Resource = s.Resource[:half], s.Resource[half:]
	case len(s.Action) > 1:
		half := len(s.Action) / 2
		a.Action, b.Action = s.Action[:half], s.Action[half:]
	default:
		return nil, fmt.Errorf("iampolicy: statement %q alone exceeds the %d-character policy limit", s.Sid, MaxManagedPolicySize)
	}
	b.Sid = s.Sid + "Part2"
	first, err := fitting(a)
	if err != nil {
		return nil, err
	}
	second, err := fitting(b)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}
