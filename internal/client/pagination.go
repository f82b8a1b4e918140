package client

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// maxPages stops a listing whose server ignores offset or repeats markers.
const maxPages = 1000

// Page is one decoded page of a listing.
type Page[T any] struct {
	Items []T
	// Total is the API's count of all matching items, or -1 when absent.
	Total int
	// Next is the marker of the following page; "" means this was the last.
	Next string
}

// PageDecoder decodes one page's JSON body (never empty).
type PageDecoder[T any] func(body []byte) (Page[T], error)

// ListOffset fetches every page with limit/offset. It stops on an empty
// page, a short page, or when Total items have been read, so a listing
// that fits in the first page costs one GET.
func ListOffset[T any](ctx context.Context, c *Client, req Request, limit int, decode PageDecoder[T]) ([]T, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("ListOffset: limit must be positive, got %d", limit)
	}
	var all []T
	for page, offset := 0, 0; page < maxPages; page++ {
		r := withQuery(req, "limit", strconv.Itoa(limit))
		if offset > 0 {
			r = withQuery(r, "offset", strconv.Itoa(offset))
		}
		p, err := fetchPage(ctx, c, r, decode)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		offset += len(p.Items)
		if len(p.Items) < limit || (p.Total >= 0 && len(all) >= p.Total) {
			return all, nil
		}
	}
	return nil, fmt.Errorf("listing %s stopped after %d pages: the server keeps returning full pages", req.Path, maxPages)
}

// ListMarker fetches every page by following the decoder's Next marker
// (e.g. IMS page_info.next_marker) until it is empty, leaving the page size
// to the server.
func ListMarker[T any](ctx context.Context, c *Client, req Request, decode PageDecoder[T]) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	marker := ""
	for page := 0; page < maxPages; page++ {
		r := req
		if marker != "" {
			r = withQuery(r, "marker", marker)
		}
		p, err := fetchPage(ctx, c, r, decode)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" || len(p.Items) == 0 {
			return all, nil
		}
		if seen[p.Next] {
			return nil, fmt.Errorf("listing %s: the server returned marker %q twice", req.Path, p.Next)
		}
		seen[p.Next] = true
		marker = p.Next
	}
	return nil, fmt.Errorf("listing %s stopped after %d pages", req.Path, maxPages)
}

func fetchPage[T any](ctx context.Context, c *Client, r Request, decode PageDecoder[T]) (Page[T], error) {
	var raw json.RawMessage
	if err := c.Do(ctx, r, &raw); err != nil {
		return Page[T]{}, err
	}
	if len(raw) == 0 {
		return Page[T]{Total: -1}, nil
	}
	p, err := decode(raw)
	if err != nil {
		return Page[T]{}, fmt.Errorf("decoding a page of %s: %w", r.Path, err)
	}
	return p, nil
}

// withQuery copies req with key=value set, leaving the caller's Query intact.
func withQuery(req Request, key, value string) Request {
	q := url.Values{}
	if req.Query != nil {
		q = maps.Clone(req.Query)
	}
	q.Set(key, value)
	req.Query = q
	return req
}

// ListEachStatus lists the objects shared with the caller, once per share status: status alone,
// or each of statuses in turn when status is "". The sharing APIs (CBR ListBackups with
// own_type=shared, IMS ListImages with visibility=shared) filter by member_status but do not say
// which status an object is in, so each listing's status is the objects' status. key returns an
// object's ID and whether to keep it; an ID already kept is skipped, since a status change
// between two listings could list an object twice.
func ListEachStatus[T any](statuses []string, status string, list func(status string) ([]T, error), key func(T) (string, bool)) ([]T, error) {
	if status != "" {
		if !slices.Contains(statuses, status) {
			return nil, fmt.Errorf("member_status must be one of %s, not %q", strings.Join(statuses, ", "), status)
		}
		statuses = []string{status}
	}
	var out []T
	seen := map[string]bool{}
	for _, st := range statuses {
		items, err := list(st)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if id, keep := key(it); keep && !seen[id] {
				seen[id] = true
				out = append(out, it)
			}
		}
	}
	return out, nil
}
