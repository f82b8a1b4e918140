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

// ErrNotFound matches (errors.Is) any API error that means the object is
// gone: every 404, the codes BackupService.6200/6705/6105 whatever the
// status, and CBR's 401 {"unauthorized":{"message":"Malformed request url"}}
// quirk seen when the backup has been deleted.
var ErrNotFound = errors.New("not found")

// notFoundCodes are "object does not exist" codes, regardless of HTTP status.
var notFoundCodes = map[string]bool{
	"BackupService.6200": true, // backup does not exist
	"BackupService.6705": true, // share member does not exist
	"BackupService.6105": true, // vault does not exist
}

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
	return target == ErrNotFound &&
		(e.StatusCode == http.StatusNotFound || notFoundCodes[e.Code] || e.malformedURLQuirk())
}

// malformedURLQuirk: CBR answers 401 "Malformed request url" for members of a
// backup that no longer exists; it is not an authentication failure.
func (e *APIError) malformedURLQuirk() bool {
	return e.StatusCode == http.StatusUnauthorized &&
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
		e.Code, e.Message = codeMessage(top)
		if e.Code == "" && e.Message == "" {
			if nested := object(top["error"]); nested != nil {
				e.Code, e.Message = codeMessage(nested)
			} else if s := scalar(top["error"]); s != "" {
				e.Message = s
			}
		}
		if e.Code == "" && e.Message == "" && len(top) == 1 {
			for _, v := range top {
				if nested := object(v); nested != nil {
					e.Code, e.Message = codeMessage(nested)
				}
			}
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

func codeMessage(m map[string]json.RawMessage) (code, msg string) {
	code, msg = scalar(m["error_code"]), scalar(m["error_msg"])
	if code == "" && msg == "" {
		code, msg = scalar(m["code"]), scalar(m["message"])
	}
	return code, msg
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
