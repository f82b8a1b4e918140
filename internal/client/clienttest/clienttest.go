// Package clienttest starts a scripted HTTP server and a token-authenticated
// client.Client pointed at it, for the API families' unit tests. (Tests that
// need a faithful cloud use the test endpoint instead.)
package clienttest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// ProjectID is the client's project.
const ProjectID = "0605767b5780d5762fc5c0118072a564"

// Call is one request the server received.
type Call struct {
	Method, Path string
	Query        map[string][]string
	Body         string
	Header       http.Header
}

// Server records calls and answers them with the handler given to New.
type Server struct {
	handler func(w http.ResponseWriter, r *http.Request, body []byte)

	mu    sync.Mutex
	calls []Call
}

// Calls returns the calls so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// New starts a server and returns a client (token auth, project ProjectID,
// fast retries) whose every endpoint is that server.
func New(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte)) (*client.Client, *Server) {
	t.Helper()
	s := &Server{handler: h}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: string(body), Header: r.Header.Clone()})
		s.mu.Unlock()
		s.handler(w, r, body)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(context.Background(), client.Config{
		Region: "cn-north-4", ProjectID: ProjectID, Token: "test-token",
		Endpoints:  client.Endpoints{CBR: srv.URL, VBS: srv.URL, IMS: srv.URL, IAM: srv.URL},
		MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// JSON writes status and body (a string is sent verbatim, anything else is encoded).
func JSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s, ok := body.(string); ok {
		_, _ = io.WriteString(w, s)
		return
	}
	_ = json.NewEncoder(w).Encode(body)
}
