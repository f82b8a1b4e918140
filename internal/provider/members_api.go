package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// memberFuncs is a memberAPI made of an API family's own functions and record type T, so that
// each resource file only names its calls and how a record maps to a member.
type memberFuncs[T any] struct {
	List     func(ctx context.Context, c *client.Client, parentID string) ([]T, error)
	Add      func(ctx context.Context, c *client.Client, parentID string, projectIDs []string) ([]T, error)
	Remove   func(ctx context.Context, c *client.Client, parentID string, m member) error
	Convert  func(T) member
	Conflict func(err error) bool
}

func (f memberFuncs[T]) list(ctx context.Context, c *client.Client, parentID string) ([]member, error) {
	items, err := f.List(ctx, c, parentID)
	return toMembers(items, f.Convert), err
}

func (f memberFuncs[T]) add(ctx context.Context, c *client.Client, parentID string, projectIDs []string) ([]member, error) {
	items, err := f.Add(ctx, c, parentID, projectIDs)
	return toMembers(items, f.Convert), err
}

func (f memberFuncs[T]) remove(ctx context.Context, c *client.Client, parentID string, m member) error {
	return f.Remove(ctx, c, parentID, m)
}

func (f memberFuncs[T]) isConflict(err error) bool { return f.Conflict(err) }

// toMembers converts an API family's records.
func toMembers[T any](items []T, conv func(T) member) []member {
	out := make([]member, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	return out
}

// oneByOne makes a batch add of an API that takes one member per call. It stops at the first
// failure and returns the members added before it.
func oneByOne[T any](add func(ctx context.Context, c *client.Client, parentID, projectID string) (T, error)) func(context.Context, *client.Client, string, []string) ([]T, error) {
	return func(ctx context.Context, c *client.Client, parentID string, projectIDs []string) ([]T, error) {
		out := make([]T, 0, len(projectIDs))
		for _, p := range projectIDs {
			m, err := add(ctx, c, parentID, p)
			if err != nil {
				return out, err
			}
			out = append(out, m)
		}
		return out, nil
	}
}

// statusIn matches API errors with one of the HTTP statuses (for APIs without a conflict code).
func statusIn(statuses ...int) func(error) bool {
	return func(err error) bool {
		var ae *client.APIError
		return errors.As(err, &ae) && slices.Contains(statuses, ae.StatusCode)
	}
}
