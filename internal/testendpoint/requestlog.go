package testendpoint

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// RequestRecord is one API request as the endpoint saw it.
type RequestRecord struct {
	Time      time.Time `json:"time"`
	Service   string    `json:"service"` // "iam", "cbr", "vbs", "ims"; "" for unknown paths
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Status    int       `json:"status"`    // 0 when a fault dropped the connection
	AuthKind  string    `json:"auth_kind"` // "token", "aksk", "password" (IAM token creation), "none"
	Project   string    `json:"project"`   // caller's project id, "" when unknown
	RequestID string    `json:"request_id"`
	Fault     bool      `json:"fault,omitempty"` // answered by an injected fault
}

// requestLog keeps the newest API requests, at most max of them: once full, each new
// record replaces the oldest, and dropped counts the records replaced since the last clear.
type requestLog struct {
	mu      sync.Mutex
	max     int
	buf     []RequestRecord // grows to max, then is used as a ring
	oldest  int             // index of the oldest record once buf is full
	dropped int64
}

func (l *requestLog) add(rec RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) < l.max {
		l.buf = append(l.buf, rec)
		return
	}
	l.buf[l.oldest] = rec
	l.oldest = (l.oldest + 1) % len(l.buf)
	l.dropped++
}

// snapshot returns the records, oldest first, and the dropped count, read together.
func (l *requestLog) snapshot() ([]RequestRecord, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]RequestRecord, 0, len(l.buf))
	out = append(out, l.buf[l.oldest:]...)
	out = append(out, l.buf[:l.oldest]...)
	return out, l.dropped
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.buf, l.oldest, l.dropped = nil, 0, 0
	l.mu.Unlock()
}

// Requests returns the API request log, oldest first (control API requests are not
// logged). It holds the newest requests only, at most WithMaxRequests of them.
func (s *Server) Requests() []RequestRecord {
	recs, _ := s.reqLog.snapshot()
	return recs
}

// DroppedRequests is how many records the bounded request log has dropped (the oldest
// first) since the server started or the log was last cleared.
func (s *Server) DroppedRequests() int64 {
	s.reqLog.mu.Lock()
	defer s.reqLog.mu.Unlock()
	return s.reqLog.dropped
}

// ClearRequests empties the request log and resets the dropped count.
func (s *Server) ClearRequests() { s.reqLog.clear() }

func (s *Server) logRequest(rec RequestRecord) { s.reqLog.add(rec) }

func serviceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/v3/auth/") || path == "/v3/projects" || path == "/" || path == "/v3":
		return "iam"
	case strings.HasPrefix(path, "/v1/"), strings.HasPrefix(path, "/v2/schemas/"):
		return "ims"
	case strings.HasPrefix(path, "/v3/"):
		return "cbr"
	case strings.HasPrefix(path, "/v2/images/"), path == "/v2/images", path == "/v2/cloudimages":
		return "ims"
	case strings.HasPrefix(path, "/v2/") && strings.Contains(path, "/os-vendor-backup-sharing"):
		return "vbs"
	}
	return ""
}

// presentedAuthKind is the kind of credential the request carries, verified or not.
func presentedAuthKind(r *http.Request) string {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3/auth/tokens":
		return "password"
	case r.Header.Get("X-Auth-Token") != "":
		return "token"
	case r.Header.Get("Authorization") != "":
		return "aksk"
	}
	return "none"
}
