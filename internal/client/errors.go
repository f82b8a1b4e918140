package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNotFound matches (errors.Is) an API error only when the service itself
// says, in its own error shape, that the object does not exist (see
// APIError.NotFound). A 404 from an API gateway (APIGW.*), a proxy's HTML
// page or any other answer never means "gone".
var ErrNotFound = errors.New("not found")

// cbrNotFoundCodes are CBR's documented "does not exist" codes, in its
// {"error_code","error_msg"} shape, whatever the HTTP status.
var cbrNotFoundCodes = map[string]bool{
	"BackupService.6200": true, // backup does not exist
	"BackupService.6705": true, // share member does not exist
	"BackupService.6105": true, // vault does not exist
}

// bodyShape is the error body shape an answer used; not-found depends on it.
type bodyShape int

const (
	shapeNone      bodyShape = iota // not JSON, or JSON of no known shape (a proxy, a wrong host)
	shapeErrorCode                  // {"error_code","error_msg"}: CBR and the API gateway
	shapeCode                       // {"code","message"}
	shapeNested                     // {"error":{"code","message"}}: VBS, IMS, IAM
	shapeFault                      // {"<kind>":{"code","message"}}: OpenStack faults
)

// APIError is a non-success answer from an API. Code and Message come from
// whichever error body shape the service uses; RequestID from the
// X-Request-Id header or the body's request_id.
type APIError struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	Method     string
	URL        string
	// Service is the API family that was called; it decides what not-found means.
	Service Service
	// Credentials lists the provider arguments of the credential kind in use
	// when the answer refused them (HTTP 401 other than CBR's quirk).
	Credentials []string

	shape bodyShape
	fault string // the fault kind of shapeFault, e.g. "itemNotFound"
}

// Error reads e.g. "HTTP 400 BackupService.6700: Only cloud server backups
// can be shared. (request ID abc)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	// IAM's numeric code repeats the status ("HTTP 401 401"); print a code only when it adds one.
	if e.Code != "" && e.Code != strconv.Itoa(e.StatusCode) {
		b.WriteString(" " + e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg == "" {
		msg = "no error message"
	}
	b.WriteString(": " + msg)
	if e.RequestID != "" {
		b.WriteString(" (request ID " + e.RequestID + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) work.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.NotFound()
}

// NotFound reports whether the service said, in its own error shape, that
// the object does not exist:
//   - CBR: BackupService.6200/6705/6105 in {"error_code","error_msg"}, or the
//     401 {"unauthorized":{"message":"Malformed request url"}} that CBR
//     answers for the members of a deleted backup;
//   - VBS: a 404 with a VolumeBackup.* code in {"error":{...}}, or Cinder's
//     own {"itemNotFound":{...}} fault. The VBS docs list no codes, so the
//     documented prefix and status are what identify the service's answer;
//   - IMS: a 404 with an IMG.* code in {"error":{...}}. The IMS docs list no
//     "no such image/member" code either; their sharing codes are all IMG.*.
//
// Gateway codes (APIGW.*, APIG.*, APIC.*) and any other answer are not.
func (e *APIError) NotFound() bool {
	if e.Gateway() {
		return false
	}
	switch e.Service {
	case ServiceCBR:
		return (e.shape == shapeErrorCode && cbrNotFoundCodes[e.Code]) || e.malformedURLQuirk()
	case ServiceVBS:
		return e.StatusCode == http.StatusNotFound &&
			((e.shape == shapeNested && strings.HasPrefix(e.Code, "VolumeBackup.")) || (e.shape == shapeFault && e.fault == "itemNotFound"))
	case ServiceIMS:
		return e.StatusCode == http.StatusNotFound && e.shape == shapeNested && strings.HasPrefix(e.Code, "IMG.")
	}
	return false
}

// Gateway reports whether the API gateway answered instead of the service
// (its codes are APIGW.xxxx; some regions use APIG. or APIC.).
func (e *APIError) Gateway() bool {
	for _, p := range []string{"APIGW.", "APIG.", "APIC."} {
		if strings.HasPrefix(e.Code, p) {
			return true
		}
	}
	return false
}

// ServiceAnswer reports whether the body is in one of the services' own JSON
// error shapes, rather than a gateway's or a proxy's answer.
func (e *APIError) ServiceAnswer() bool {
	return e.shape != shapeNone && !e.Gateway()
}

// malformedURLQuirk: CBR answers 401 "Malformed request url" for members of a
// backup that no longer exists; it is not an authentication failure.
func (e *APIError) malformedURLQuirk() bool {
	return e.StatusCode == http.StatusUnauthorized && e.shape == shapeFault && e.fault == "unauthorized" &&
		strings.EqualFold(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.Message), ".")), "Malformed request url")
}

// HasCode reports whether err is (or wraps) an *APIError with one of codes.
func HasCode(err error, codes ...string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.Code == c {
			return true
		}
	}
	return false
}

// RetryError is returned when the retry budget or the context deadline ran
// out while the API kept answering with retryable failures. It wraps the
// last failure (an *APIError or a transport error), so errors.Is/As and
// HasCode still see it.
type RetryError struct {
	Attempts int
	// Deadline is true when the wait before the next attempt would have
	// passed the context deadline (rather than MaxRetries running out).
	Deadline bool
	Err      error
}

// Error implements error.
func (e *RetryError) Error() string {
	unit := "attempts"
	if e.Attempts == 1 {
		unit = "attempt"
	}
	why := ""
	if e.Deadline {
		why = " (the next retry would pass the deadline)"
	}
	return fmt.Sprintf("giving up after %d %s%s: %v", e.Attempts, unit, why, e.Err)
}

// Unwrap returns the last failure.
func (e *RetryError) Unwrap() error { return e.Err }

// maxErrorText bounds how much of a non-JSON body goes into an error.
const maxErrorText = 512

// NewAPIError parses a failed answer of service as the client does (for
// tests and for callers that make their own requests).
func NewAPIError(service Service, status int, header http.Header, body []byte) *APIError {
	e := parseAPIError(status, header, body)
	e.Service = service
	return e
}

// parseAPIError understands every error body shape of the services:
// {"error_code","error_msg"} (CBR, API gateway APIGW.*), {"code","message"},
// {"error":{"code","message"}} (VBS, IMS, IAM with numeric codes), the
// OpenStack fault shape {"<kind>":{"code","message"}} (e.g. "unauthorized",
// "itemNotFound"), and anything else as truncated text.
func parseAPIError(status int, header http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	if header != nil {
		e.RequestID = header.Get("X-Request-Id")
	}
	trimmed := bytes.TrimSpace(body)
	var top map[string]json.RawMessage
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &top) == nil {
		e.Code, e.Message, e.shape = codeMessage(top)
		if e.Code == "" && e.Message == "" {
			if nested := object(top["error"]); nested != nil {
				e.Code, e.Message, _ = codeMessage(nested)
				e.shape = shapeNested
			} else if s := scalar(top["error"]); s != "" {
				e.Message, e.shape = s, shapeNested
			}
		}
		if e.Code == "" && e.Message == "" && len(top) == 1 {
			for k, v := range top {
				if nested := object(v); nested != nil {
					e.Code, e.Message, _ = codeMessage(nested)
					e.shape, e.fault = shapeFault, k
				}
			}
		}
		if e.Code == "" && e.Message == "" {
			e.shape, e.fault = shapeNone, ""
		}
		if e.RequestID == "" {
			e.RequestID = scalar(top["request_id"])
		}
	}
	if e.Code == "" && e.Message == "" && len(trimmed) > 0 {
		e.Message = truncate(string(trimmed), maxErrorText)
	}
	return e
}

func codeMessage(m map[string]json.RawMessage) (code, msg string, shape bodyShape) {
	if code, msg = scalar(m["error_code"]), scalar(m["error_msg"]); code != "" || msg != "" {
		return code, msg, shapeErrorCode
	}
	if code, msg = scalar(m["code"]), scalar(m["message"]); code != "" || msg != "" {
		return code, msg, shapeCode
	}
	return "", "", shapeNone
}

// scalar returns a JSON string's value or a number's text ("" otherwise),
// because IAM sends numeric codes where other services send strings.
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

func object(raw json.RawMessage) map[string]json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(truncated)"
}
