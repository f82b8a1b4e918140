package testendpoint

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// Control API under /_testendpoint/: world, request log, faults. Loopback clients only
// unless WithRemoteControl; with WithControlToken, a bearer token on every call.

// droppedRequestsHeader carries the request log's dropped count on GET /_testendpoint/requests.
const droppedRequestsHeader = "X-Testendpoint-Dropped-Requests"

func controlError(w http.ResponseWriter, status int, msg string) {
	writeResponse(w, jsonResponse(status, map[string]string{"error": msg}))
}

// controlAllowed answers 403 to a client that is not on a loopback address (unless
// remote control is on) and 401 to a call without the control token (when one is set).
func (s *Server) controlAllowed(w http.ResponseWriter, r *http.Request) bool {
	if !s.opts.remoteControl && !isLoopback(r.RemoteAddr) {
		host := remoteIP(r.RemoteAddr)
		if host == "" {
			host = "an unknown address"
		}
		controlError(w, http.StatusForbidden, "the control API answers loopback clients only, not "+host+
			": start the endpoint with -control-remote (Go: testendpoint.WithRemoteControl(true)), ideally with -control-token")
		return false
	}
	if s.opts.controlToken != "" && !bearerTokenMatches(r.Header.Get("Authorization"), s.opts.controlToken) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="testendpoint control API"`)
		controlError(w, http.StatusUnauthorized, "the control API needs the header \"Authorization: Bearer TOKEN\" "+
			"with the token given by -control-token or TESTENDPOINT_CONTROL_TOKEN (Go: testendpoint.WithControlToken)")
		return false
	}
	return true
}

// isLoopback reports whether a request's remote address ("host:port", as net/http sets
// it) is a loopback IP. Forwarding headers are not looked at; an address that does not
// parse (e.g. a Unix socket's) is not loopback.
func isLoopback(remoteAddr string) bool {
	ip := net.ParseIP(remoteIP(remoteAddr))
	return ip != nil && ip.IsLoopback()
}

// remoteIP is the host part of a remote address, without an IPv6 zone.
func remoteIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	host, _, _ = strings.Cut(host, "%")
	return host
}

// bearerTokenMatches compares in constant time (over hashes, so the length does not
// leak either); the scheme is case-insensitive.
func bearerTokenMatches(header, token string) bool {
	scheme, got, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if !s.controlAllowed(w, r) {
		return
	}
	path := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(controlPrefix, "/")) // "/world", or "" for the bare prefix
	readBody := func() ([]byte, bool) {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxControlBodyBytes+1))
		if err != nil {
			controlError(w, http.StatusBadRequest, "reading the body: "+err.Error())
			return nil, false
		}
		if len(b) > maxControlBodyBytes {
			controlError(w, http.StatusRequestEntityTooLarge, "body larger than 8 MiB")
			return nil, false
		}
		return b, true
	}
	switch path {
	case "/world":
		switch r.Method {
		case http.MethodGet:
			writeResponse(w, jsonResponse(http.StatusOK, s.World()))
		case http.MethodPut:
			b, ok := readBody()
			if !ok {
				return
			}
			wd, err := LoadWorld(bytes.NewReader(b))
			if err != nil {
				controlError(w, http.StatusBadRequest, err.Error())
				return
			}
			if err := s.SetWorld(wd); err != nil {
				controlError(w, http.StatusBadRequest, err.Error())
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			methodNotAllowed(w, "GET, PUT")
		}
	case "/requests":
		switch r.Method {
		case http.MethodGet:
			recs, dropped := s.reqLog.snapshot()
			writeResponse(w, jsonResponse(http.StatusOK, recs).withHeader(droppedRequestsHeader, strconv.FormatInt(dropped, 10)))
		case http.MethodDelete:
			s.ClearRequests()
			w.WriteHeader(http.StatusNoContent)
		default:
			methodNotAllowed(w, "GET, DELETE")
		}
	case "/faults":
		switch r.Method {
		case http.MethodGet:
			writeResponse(w, jsonResponse(http.StatusOK, s.Faults()))
		case http.MethodPut:
			b, ok := readBody()
			if !ok {
				return
			}
			var fs []Fault
			if err := decodeStrict(b, &fs); err != nil {
				controlError(w, http.StatusBadRequest, "faults must be a JSON list of faults: "+err.Error())
				return
			}
			for i, f := range fs {
				if err := f.Validate(); err != nil {
					controlError(w, http.StatusBadRequest, fmt.Sprintf("faults[%d]: %v", i, err))
					return
				}
			}
			s.SetFaults(fs)
			w.WriteHeader(http.StatusNoContent)
		case http.MethodDelete:
			s.ClearFaults()
			w.WriteHeader(http.StatusNoContent)
		default:
			methodNotAllowed(w, "GET, PUT, DELETE")
		}
	case "/health":
		writeResponse(w, jsonResponse(http.StatusOK, map[string]string{"status": "ok"}))
	default:
		controlError(w, http.StatusNotFound, fmt.Sprintf("unknown control path %q (use world, requests, faults, health)", r.URL.Path))
	}
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	controlError(w, http.StatusMethodNotAllowed, "method not allowed; use "+allow)
}
