package testendpoint

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
)

// Fault makes matching API requests fail before authentication.
type Fault struct {
	// Method matches case-insensitively; "" matches any method.
	Method string `json:"method,omitempty"`
	// Path is a pattern over the request path: "*" matches one segment, "**" any rest
	// (zero or more segments), anything else literally. "/**" matches every path.
	Path string `json:"path"`
	// Status answers with this HTTP status (and Body, or a gateway-style body).
	Status int `json:"status,omitempty"`
	// RetryAfter sets a Retry-After header (seconds) on a Status fault.
	RetryAfter int `json:"retry_after,omitempty"`
	// Body replaces the default error body of a Status fault (sent as is).
	Body string `json:"body,omitempty"`
	// Drop closes the connection without a response.
	Drop bool `json:"drop,omitempty"`
	// DelayMS delays the request; alone it delays and then serves it normally.
	DelayMS int `json:"delay_ms,omitempty"`
	// Count limits the fault to the next N matching requests it fires on; 0 = unlimited.
	Count int `json:"count,omitempty"`
	// Probability in (0,1] fires the fault on that share of matching requests, using a
	// deterministic generator seeded by Seed (or the world's seed). 0 = always.
	Probability float64 `json:"probability,omitempty"`
	Seed        int64   `json:"seed,omitempty"`
}

const maxFaultDelayMS = 300_000

// Validate reports what is wrong with a fault.
func (f Fault) Validate() error {
	var errs []error
	if !strings.HasPrefix(f.Path, "/") {
		errs = append(errs, fmt.Errorf("path %q must start with /", f.Path))
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		errs = append(errs, fmt.Errorf("status %d is not an HTTP status", f.Status))
	}
	if f.Drop && f.Status != 0 {
		errs = append(errs, errors.New("drop and status are exclusive"))
	}
	if !f.Drop && f.Status == 0 && f.DelayMS == 0 {
		errs = append(errs, errors.New("a fault needs status, drop or delay_ms"))
	}
	if f.RetryAfter < 0 || (f.RetryAfter > 0 && f.Status == 0) {
		errs = append(errs, errors.New("retry_after needs a status and must not be negative"))
	}
	if f.Body != "" && f.Status == 0 {
		errs = append(errs, errors.New("body needs a status"))
	}
	if f.DelayMS < 0 || f.DelayMS > maxFaultDelayMS {
		errs = append(errs, fmt.Errorf("delay_ms must be from 0 to %d", maxFaultDelayMS))
	}
	if f.Count < 0 {
		errs = append(errs, errors.New("count must not be negative"))
	}
	if f.Probability < 0 || f.Probability > 1 {
		errs = append(errs, errors.New("probability must be from 0 to 1"))
	}
	return errors.Join(errs...)
}

type activeFault struct {
	f         Fault
	pattern   []string
	remaining int // for Count faults
	rng       *rand.Rand
}

// SetFaults replaces the fault list. Faults are tried in order; the first that fires wins.
// Invalid faults are skipped (the control API rejects them with a 400 instead).
func (s *Server) SetFaults(fs []Fault) {
	s.mu.Lock()
	seed := s.w.Seed
	s.mu.Unlock()
	var active []*activeFault
	for _, f := range fs {
		if f.Validate() != nil {
			continue
		}
		sd := f.Seed
		if sd == 0 {
			sd = seed
		}
		active = append(active, &activeFault{
			f: f, pattern: strings.Split(strings.TrimPrefix(f.Path, "/"), "/"), remaining: f.Count,
			rng: rand.New(rand.NewPCG(uint64(sd), uint64(sd)^0x9e3779b97f4a7c15)),
		})
	}
	s.faultMu.Lock()
	s.faults = active
	s.faultMu.Unlock()
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	s.faults = nil
	s.faultMu.Unlock()
}

// Faults returns the faults still active, with Count showing what is left.
func (s *Server) Faults() []Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	out := []Fault{}
	for _, a := range s.faults {
		f := a.f
		if f.Count > 0 {
			f.Count = a.remaining
		}
		out = append(out, f)
	}
	return out
}

func matchPattern(pattern, segs []string) bool {
	for i, p := range pattern {
		if p == "**" {
			return true
		}
		if i >= len(segs) || (p != "*" && p != segs[i]) {
			return false
		}
	}
	return len(pattern) == len(segs)
}

// matchFault picks the fault for a request and consumes one use of it.
func (s *Server) matchFault(method, path string) (Fault, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i, a := range s.faults {
		if a.f.Method != "" && !strings.EqualFold(a.f.Method, method) {
			continue
		}
		if !matchPattern(a.pattern, segs) {
			continue
		}
		if a.f.Probability > 0 && a.rng.Float64() >= a.f.Probability {
			continue
		}
		if a.f.Count > 0 {
			a.remaining--
			if a.remaining <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return a.f, true
	}
	return Fault{}, false
}

// faultResponse builds the injected answer: the fault's body, or a gateway-style one.
func faultResponse(f Fault, reqID string) response {
	var resp response
	if f.Body != "" {
		resp = response{status: f.Status, body: []byte(f.Body)}
	} else {
		code, msg := "APIGW.0201", "Injected fault: "+http.StatusText(f.Status)
		switch f.Status {
		case http.StatusTooManyRequests:
			code, msg = "APIGW.0308", "The throttling threshold has been reached"
		case http.StatusNotFound:
			code, msg = "APIGW.0101", "The API does not exist or has not been published in the environment"
		case http.StatusBadGateway, http.StatusServiceUnavailable:
			msg = "Backend unavailable"
		case http.StatusGatewayTimeout:
			msg = "Backend timeout"
		}
		resp = gatewayError(f.Status, code, msg, reqID)
	}
	if f.RetryAfter > 0 {
		resp = resp.withHeader("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	return resp
}
