package testendpoint

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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
	mu     sync.Mutex
	w      World
	tokens map[string]issuedToken
	now    func() time.Time

	logMu sync.Mutex
	log   []RequestRecord

	faultMu sync.Mutex
	faults  []*activeFault

	httpSrv *http.Server
	ln      net.Listener
}

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

// New builds a server for the world w (validated first).
func New(w World) (*Server, error) {
	pw, err := prepareWorld(w)
	if err != nil {
		return nil, err
	}
	return &Server{w: pw, tokens: map[string]issuedToken{}, now: time.Now}, nil
}

// Start creates a server and serves it on addr (e.g. "127.0.0.1:0") in a goroutine.
func Start(addr string, w World) (*Server, error) {
	s, err := New(w)
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

// Requests returns the API request log (control API requests are not logged).
func (s *Server) Requests() []RequestRecord {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]RequestRecord{}, s.log...)
}

// ClearRequests empties the request log.
func (s *Server) ClearRequests() {
	s.logMu.Lock()
	s.log = nil
	s.logMu.Unlock()
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

func (s *Server) logRequest(rec RequestRecord) {
	s.logMu.Lock()
	s.log = append(s.log, rec)
	s.logMu.Unlock()
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

// response is what a handler produces; it is written after the state lock is released.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own wire structs get here; a failure is a bug worth a loud 500.
		return response{status: http.StatusInternalServerError, body: []byte(`{"error_code":"TESTENDPOINT.0500","error_msg":"response encoding failed"}`)}
	}
	return response{status: status, body: b}
}

func (r response) withHeader(k, v string) response {
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set(k, v)
	return r
}

func writeResponse(w http.ResponseWriter, r response) {
	for k, vs := range r.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if r.body != nil {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	}
	w.WriteHeader(r.status)
	if r.body != nil {
		_, _ = w.Write(r.body)
	}
}

// Error bodies, one shape per service (REFERENCE A.1.7, A.2, A.3, A.4.1, A.4.2).

func gatewayError(status int, code, msg, reqID string) response {
	return jsonResponse(status, map[string]string{"error_msg": msg, "error_code": code, "request_id": reqID})
}

func cbrError(status int, code, msg string) response {
	return jsonResponse(status, map[string]string{"error_code": code, "error_msg": msg})
}

func nestedError(status int, code, msg string) response { // VBS and IMS
	return jsonResponse(status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func iamError(status int, msg string) response {
	return jsonResponse(status, map[string]any{"error": map[string]any{"code": status, "message": msg, "title": http.StatusText(status)}})
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

func serviceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/v3/auth/") || path == "/v3/projects":
		return "iam"
	case strings.HasPrefix(path, "/v3/"):
		return "cbr"
	case strings.HasPrefix(path, "/v2/images/"):
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

func internalError(service, reqID, detail string) response {
	msg := "Internal error: " + detail
	switch service {
	case "cbr":
		return cbrError(http.StatusInternalServerError, "BackupService.9910", msg)
	case "vbs":
		return nestedError(http.StatusInternalServerError, "common.0500", msg)
	case "ims":
		return nestedError(http.StatusInternalServerError, "IMG.0500", msg)
	case "iam":
		return iamError(http.StatusInternalServerError, msg)
	}
	return gatewayError(http.StatusInternalServerError, "APIGW.0500", msg, reqID)
}

type authMode int

const (
	authNone    authMode = iota // IAM token creation
	authAny                     // any valid credential, project optional (IAM reads)
	authProject                 // a caller project is needed and must match the path's
)

type route struct {
	service string
	method  string
	pattern []string // literal segments, or {name} placeholders
	auth    authMode
	handler func(*Server, *reqCtx) response
}

var routes []route

func init() {
	add := func(service, method, pattern string, auth authMode, h func(*Server, *reqCtx) response) {
		routes = append(routes, route{service, method, strings.Split(strings.Trim(pattern, "/"), "/"), auth, h})
	}
	add("iam", "POST", "/v3/auth/tokens", authNone, (*Server).iamCreateToken)
	add("iam", "GET", "/v3/auth/tokens", authAny, (*Server).iamValidateToken)
	add("iam", "GET", "/v3/auth/projects", authAny, (*Server).iamListProjects)
	add("iam", "GET", "/v3/projects", authAny, (*Server).iamListProjects)

	add("cbr", "GET", "/v3/{project}/backups/{backup}", authProject, (*Server).cbrShowBackup)
	add("cbr", "DELETE", "/v3/{project}/backups/{backup}", authProject, (*Server).cbrDeleteBackup)
	add("cbr", "POST", "/v3/{project}/backups/{backup}/members", authProject, (*Server).cbrAddMembers)
	add("cbr", "GET", "/v3/{project}/backups/{backup}/members", authProject, (*Server).cbrListMembers)
	add("cbr", "GET", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrShowMember)
	add("cbr", "PUT", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrUpdateMember)
	add("cbr", "DELETE", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrDeleteMember)

	add("vbs", "POST", "/v2/{project}/os-vendor-backup-sharing", authProject, (*Server).vbsCreate)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/detail", authProject, (*Server).vbsList)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/count", authProject, (*Server).vbsCount)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/{share}", authProject, (*Server).vbsShow)
	add("vbs", "DELETE", "/v2/{project}/os-vendor-backup-sharing/{share}", authProject, (*Server).vbsCancel)

	add("ims", "POST", "/v2/images/{image}/members", authProject, (*Server).imsAddMember)
	add("ims", "GET", "/v2/images/{image}/members", authProject, (*Server).imsListMembers)
	add("ims", "GET", "/v2/images/{image}/members/{member}", authProject, (*Server).imsShowMember)
	add("ims", "PUT", "/v2/images/{image}/members/{member}", authProject, (*Server).imsUpdateMember)
	add("ims", "DELETE", "/v2/images/{image}/members/{member}", authProject, (*Server).imsDeleteMember)
}

// matchRoute matches the escaped path segment by segment so an encoded "/" inside an ID
// stays inside its segment. Unknown method+path pairs are unknown APIs, as at the gateway.
func matchRoute(method, escapedPath string) (route, map[string]string, bool) {
	if !strings.HasPrefix(escapedPath, "/") {
		return route{}, nil, false
	}
	raw := strings.Split(escapedPath[1:], "/")
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return route{}, nil, false
		}
		segs[i] = u
	}
next:
	for _, rt := range routes {
		if rt.method != method || len(rt.pattern) != len(segs) {
			continue
		}
		params := map[string]string{}
		for i, p := range rt.pattern {
			if strings.HasPrefix(p, "{") {
				params[strings.Trim(p, "{}")] = segs[i]
			} else if p != segs[i] {
				continue next
			}
		}
		// "images" is a literal IMS segment, never a VBS project.
		if rt.service == "vbs" && params["project"] == "images" {
			continue
		}
		return rt, params, true
	}
	return route{}, nil, false
}
