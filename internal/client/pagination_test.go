package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

type numPage struct {
	Items []int  `json:"items"`
	Count *int   `json:"count"`
	Next  string `json:"next"`
}

func decodeNums(body []byte) (Page[int], error) {
	var p numPage
	if err := json.Unmarshal(body, &p); err != nil {
		return Page[int]{}, err
	}
	out := Page[int]{Items: p.Items, Total: -1, Next: p.Next}
	if p.Count != nil {
		out.Total = *p.Count
	}
	return out, nil
}

// offsetServer serves total items by limit/offset; withCount adds "count".
func offsetServer(t *testing.T, total int, withCount bool) (*Client, *[]string) {
	f := newFakeCloud(t)
	var queries []string
	f.service = func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var p numPage
		for i := off; i < total && i < off+limit; i++ {
			p.Items = append(p.Items, i)
		}
		if withCount {
			p.Count = &total
		}
		b, _ := json.Marshal(p)
		writeJSON(w, 200, string(b))
	}
	return f.tokenClient(t), &queries
}

func TestListOffset(t *testing.T) {
	tests := []struct {
		total, limit int
		count        bool
		gets         int
	}{
		{total: 3, limit: 10, count: true, gets: 1},
		{total: 10, limit: 10, count: true, gets: 1},  // count reached: no empty page fetched
		{total: 10, limit: 10, count: false, gets: 2}, // must confirm with an empty page
		{total: 25, limit: 10, count: true, gets: 3},
		{total: 25, limit: 10, count: false, gets: 3}, // short last page
		{total: 0, limit: 10, count: true, gets: 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt), func(t *testing.T) {
			c, queries := offsetServer(t, tt.total, tt.count)
			req := Request{Service: ServiceCBR, Path: "/list", Query: map[string][]string{"status": {"pending"}}}
			got, err := ListOffset(context.Background(), c, req, tt.limit, decodeNums)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.total || len(*queries) != tt.gets {
				t.Fatalf("%d items in %d GETs (%v)", len(got), len(*queries), *queries)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("item %d = %d", i, v)
				}
			}
			if !strings.Contains((*queries)[0], "status=pending") || strings.Contains((*queries)[0], "offset") {
				t.Fatalf("first query %s", (*queries)[0])
			}
			if len(req.Query) != 1 {
				t.Fatal("caller's query modified")
			}
		})
	}
}

func TestListMarker(t *testing.T) {
	f := newFakeCloud(t)
	pages := map[string]string{
		"":   `{"items":[0,1],"next":"m1"}`,
		"m1": `{"items":[2,3],"next":"m2"}`,
		"m2": `{"items":[4],"next":""}`,
	}
	var markers []string
	f.service = func(w http.ResponseWriter, r *http.Request) {
		m := r.URL.Query().Get("marker")
		markers = append(markers, m)
		writeJSON(w, 200, pages[m])
	}
	c := f.tokenClient(t)
	got, err := ListMarker(context.Background(), c, Request{Service: ServiceIMS, Path: "/l"}, decodeNums)
	if err != nil || len(got) != 5 || strings.Join(markers, ",") != ",m1,m2" {
		t.Fatalf("%v %v %v", got, err, markers)
	}

	// A server that repeats a marker is stopped, not followed forever.
	pages["m2"] = `{"items":[4],"next":"m1"}`
	if _, err := ListMarker(context.Background(), c, Request{Service: ServiceIMS, Path: "/l"}, decodeNums); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("loop not detected: %v", err)
	}
}

func TestListEachStatus(t *testing.T) {
	statuses := []string{"pending", "accepted", "rejected"}
	// "b" changed status between two listings; "own" is not kept.
	byStatus := map[string][]string{"pending": {"a", "b", "own"}, "accepted": {"b", "c"}, "rejected": {"d"}}
	var listed []string
	list := func(status string) ([]string, error) {
		listed = append(listed, status)
		return byStatus[status], nil
	}
	key := func(id string) (string, bool) { return id, id != "own" }

	got, err := ListEachStatus(statuses, "", list, key)
	if err != nil || strings.Join(got, ",") != "a,b,c,d" || strings.Join(listed, ",") != "pending,accepted,rejected" {
		t.Errorf("all statuses: got %v, %v after listing %v; want [a b c d] after pending, accepted, rejected", got, err, listed)
	}

	listed = nil
	got, err = ListEachStatus(statuses, "accepted", list, key)
	if err != nil || strings.Join(got, ",") != "b,c" || strings.Join(listed, ",") != "accepted" {
		t.Errorf("one status: got %v, %v after listing %v; want [b c] after accepted alone", got, err, listed)
	}

	listed = nil
	_, err = ListEachStatus(statuses, "gone", list, key)
	if err == nil || !strings.Contains(err.Error(), `not "gone"`) || len(listed) != 0 {
		t.Errorf("unknown status: got %v after listing %v; want an error naming it and no listing", err, listed)
	}

	failure := errors.New("boom")
	_, err = ListEachStatus(statuses, "", func(string) ([]string, error) { return nil, failure }, key)
	if !errors.Is(err, failure) {
		t.Errorf("failed listing: got %v, want %v", err, failure)
	}
}
