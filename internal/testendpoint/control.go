package testendpoint

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Control API under /_testendpoint/ (no auth): world, request log, faults.

func controlError(w http.ResponseWriter, status int, msg string) {
	writeResponse(w, jsonResponse(status, map[string]string{"error": msg}))
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
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
			writeResponse(w, jsonResponse(http.StatusOK, s.Requests()))
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
