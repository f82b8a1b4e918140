package testendpoint

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestRequestLogBounded(t *testing.T) {
	s := startServerWith(t, WithMaxRequests(3))
	for i := range 5 {
		call(t, s, "GET", fmt.Sprintf("%s?limit=%d", membersPath(OwnerProjectID, ServerBackupID), i+1), ownerTok, nil)
	}
	recs := s.Requests()
	if len(recs) != 3 || recs[0].Query != "limit=3" || recs[1].Query != "limit=4" || recs[2].Query != "limit=5" {
		t.Fatalf("records = %+v, want the newest 3, oldest first", recs)
	}
	if n := s.DroppedRequests(); n != 2 {
		t.Fatalf("DroppedRequests = %d, want 2", n)
	}
	st, h, b := control(t, s, "GET", "requests", "")
	var wire []RequestRecord
	if err := json.Unmarshal(b, &wire); err != nil || st != 200 || len(wire) != 3 || wire[2].Query != "limit=5" {
		t.Fatalf("GET requests = %d %s (the body stays a JSON array)", st, b)
	}
	if got := h.Get("X-Testendpoint-Dropped-Requests"); got != "2" {
		t.Fatalf("X-Testendpoint-Dropped-Requests = %q, want 2", got)
	}
	// Wrapping around more than once keeps the order.
	for i := range 7 {
		call(t, s, "GET", fmt.Sprintf("%s?limit=%d", membersPath(OwnerProjectID, ServerBackupID), 10+i), ownerTok, nil)
	}
	recs = s.Requests()
	if len(recs) != 3 || recs[0].Query != "limit=14" || recs[2].Query != "limit=16" || s.DroppedRequests() != 9 {
		t.Fatalf("after wrapping: %+v, dropped %d", recs, s.DroppedRequests())
	}
	// DELETE empties the log and resets the count.
	if st, _, _ := control(t, s, "DELETE", "requests", ""); st != 204 {
		t.Fatalf("DELETE requests = %d", st)
	}
	st, h, b = control(t, s, "GET", "requests", "")
	if st != 200 || strings.TrimSpace(string(b)) != "[]" || h.Get("X-Testendpoint-Dropped-Requests") != "0" || s.DroppedRequests() != 0 {
		t.Fatalf("after DELETE: %d %s, header %q", st, b, h.Get("X-Testendpoint-Dropped-Requests"))
	}
	call(t, s, "GET", membersPath(OwnerProjectID, ServerBackupID), ownerTok, nil)
	if recs := s.Requests(); len(recs) != 1 || s.DroppedRequests() != 0 {
		t.Fatalf("after DELETE and one call: %+v", recs)
	}
}

func TestRequestLogDefaultAndInvalid(t *testing.T) {
	s := newServer(t)
	if s.opts.maxRequests != DefaultMaxRequests || DefaultMaxRequests != 10000 {
		t.Fatalf("default max requests = %d", s.opts.maxRequests)
	}
	st, h, _ := control(t, startServerWith(t), "GET", "requests", "")
	if st != 200 || h.Get("X-Testendpoint-Dropped-Requests") != "0" {
		t.Fatalf("fresh log: %d, header %q", st, h.Get("X-Testendpoint-Dropped-Requests"))
	}
	for _, n := range []int{0, -1} {
		if _, err := New(DefaultWorld(), WithMaxRequests(n)); err == nil || !strings.Contains(err.Error(), "at least 1") {
			t.Errorf("WithMaxRequests(%d): err = %v", n, err)
		}
		if _, err := Start("127.0.0.1:0", DefaultWorld(), WithMaxRequests(n)); err == nil {
			t.Errorf("Start with WithMaxRequests(%d) succeeded", n)
		}
	}
	if _, err := New(DefaultWorld(), nil, WithMaxRequests(1)); err != nil {
		t.Fatalf("a nil option: %v", err)
	}
}

func TestRequestLogConcurrent(t *testing.T) {
	var l requestLog
	l.max = 50
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				l.add(RequestRecord{Path: fmt.Sprint(g, "/", i)})
				if i%10 == 0 {
					_, _ = l.snapshot()
				}
			}
		}()
	}
	wg.Wait()
	recs, dropped := l.snapshot()
	if len(recs) != 50 || dropped != 750 {
		t.Fatalf("kept %d, dropped %d; want 50 and 750", len(recs), dropped)
	}
}
