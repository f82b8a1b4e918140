package testendpoint

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	maxBodyBytes        = 1 << 20 // API request bodies; bigger ones get 413 APIGW.0201
	maxControlBodyBytes = 8 << 20 // worlds can be large
	controlPrefix       = "/_testendpoint/"
)

// Server is the in-memory cloud. All state is guarded by mu; the request log and the
// faults have their own locks so the control API never waits for a slow API call.
type Server struct {
	opts options // fixed by New

	mu     sync.Mutex
	w      World
	tokens map[string]issuedToken
	now    func() time.Time

	jobs     map[string]*imsJob // IMS batch jobs by ID (ims_jobs.go), guarded by mu
	jobOrder []string           // job IDs, oldest first

	reqLog requestLog // the newest API requests (requestlog.go), its own lock

	faultMu sync.Mutex
	faults  []*activeFault

	httpSrv *http.Server
	ln      net.Listener
}

// New builds a server for the world w (validated first), configured by opts.
func New(w World, opts ...Option) (*Server, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	pw, err := prepareWorld(w)
	if err != nil {
		return nil, err
	}
	return &Server{opts: o, w: pw, tokens: map[string]issuedToken{}, now: time.Now, reqLog: requestLog{max: o.maxRequests}}, nil
}

// Start creates a server and serves it on addr (e.g. "127.0.0.1:0") in a goroutine.
func Start(addr string, w World, opts ...Option) (*Server, error) {
	s, err := New(w, opts...)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// URL is "http://HOST:PORT" after Start, "" otherwise.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops a started server; open connections are closed.
func (s *Server) Close() error {
	if s.httpSrv == nil {
		return nil
	}
	err := s.httpSrv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops a started server gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.httpSrv == nil {
		return nil
	}
	return s.httpSrv.Shutdown(ctx)
}

// World returns a deep copy of the live state.
func (s *Server) World() World {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.clone()
}

// SetWorld replaces the whole state. Issued tokens survive but are checked against the
// new world when used (their user and project must still exist).
func (s *Server) SetWorld(w World) error {
	pw, err := prepareWorld(w)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.w = pw
	s.mu.Unlock()
	return nil
}

// SetNow overrides the clock (token expiry, signature skew, timestamps); nil restores time.Now.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// reqCtx carries one API request through auth and the handler.
type reqCtx struct {
	r      *http.Request
	body   []byte
	reqID  string
	params map[string]string
	caller caller
	rec    *RequestRecord
}

// ServeHTTP serves the API and the control API on one mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	w.Header().Set("X-Request-Id", reqID)
	if r.URL.Path == strings.TrimSuffix(controlPrefix, "/") || strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	rec := RequestRecord{
		Time: s.clock(), Service: serviceOf(r.URL.Path), Method: r.Method, Path: r.URL.Path,
		Query: r.URL.RawQuery, AuthKind: presentedAuthKind(r), RequestID: reqID,
	}
	if f, ok := s.matchFault(r.Method, r.URL.Path); ok {
		if f.DelayMS > 0 {
			t := time.NewTimer(time.Duration(f.DelayMS) * time.Millisecond)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
			}
		}
		if f.Drop {
			rec.Status, rec.Fault = 0, true
			s.logRequest(rec)
			dropConnection(w)
			return
		}
		if f.Status != 0 {
			resp := faultResponse(f, reqID)
			rec.Status, rec.Fault = resp.status, true
			s.logRequest(rec)
			writeResponse(w, resp)
			return
		}
	}
	resp := s.handleAPI(r, reqID, &rec)
	rec.Status = resp.status
	s.logRequest(rec)
	writeResponse(w, resp)
}

// dropConnection closes the TCP connection without a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not on a real connection (e.g. a ResponseRecorder): the standard way to abort.
	panic(http.ErrAbortHandler)
}

// handleAPI routes, reads the body, authenticates and runs the handler under the state lock.
func (s *Server) handleAPI(r *http.Request, reqID string, rec *RequestRecord) (resp response) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler { //nolint:errorlint // sentinel panic value
				panic(p)
			}
			// Last resort: tests make sure no input reaches it.
			resp = internalError(rec.Service, reqID, fmt.Sprint(p))
		}
	}()
	rt, params, ok := matchRoute(r.Method, r.URL.EscapedPath())
	if !ok {
		return gatewayError(http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment", reqID)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return gatewayError(http.StatusBadRequest, "APIGW.0201", "Request body could not be read: "+err.Error(), reqID)
	}
	if len(body) > maxBodyBytes {
		return gatewayError(http.StatusRequestEntityTooLarge, "APIGW.0201", "Request entity too large (limit 1 MiB)", reqID)
	}
	rc := &reqCtx{r: r, body: body, reqID: reqID, params: params, rec: rec}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt.auth != authNone {
		c, aerr := s.authenticate(rc, params["project"], rt.auth == authProject)
		if aerr != nil {
			if rt.service == "iam" {
				return iamError(aerr.status, aerr.msg)
			}
			return gatewayError(aerr.status, aerr.code, aerr.msg, reqID)
		}
		rc.caller = c
		rec.Project = c.projectID
	}
	return rt.handler(s, rc)
}
