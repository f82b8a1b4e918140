package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestParseAPIError(t *testing.T) {
	hdr := func(rid string) http.Header {
		h := http.Header{}
		if rid != "" {
			h.Set("X-Request-Id", rid)
		}
		return h
	}
	tests := []struct {
		name           string
		status         int
		header         http.Header
		body           string
		code, msg, rid string
		notFound       bool
		wantText       string
	}{
		{name: "cbr", status: 400, header: hdr("abc"), body: `{"error_code":"BackupService.6700","error_msg":"Only cloud server backups can be shared."}`,
			code: "BackupService.6700", msg: "Only cloud server backups can be shared.", rid: "abc",
			wantText: "HTTP 400 BackupService.6700: Only cloud server backups can be shared. (request ID abc)"},
		{name: "cbr member gone", status: 404, body: `{"error_code":"BackupService.6705","error_msg":"The share member does not exist."}`,
			code: "BackupService.6705", msg: "The share member does not exist.", notFound: true},
		{name: "backup gone with 400", status: 400, body: `{"error_code":"BackupService.6200","error_msg":"The backup does not exist."}`,
			code: "BackupService.6200", msg: "The backup does not exist.", notFound: true},
		{name: "vault gone", status: 400, body: `{"error_code":"BackupService.6105","error_msg":"The vault does not exist."}`,
			code: "BackupService.6105", msg: "The vault does not exist.", notFound: true},
		{name: "code message", status: 409, body: `{"code":"IMG.0112","message":"already a member"}`, code: "IMG.0112", msg: "already a member"},
		{name: "nested error", status: 400, body: `{"error":{"code":"VolumeBackup.0001","message":"already shared"}}`, code: "VolumeBackup.0001", msg: "already shared"},
		{name: "iam numeric code", status: 401, body: `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`,
			code: "401", msg: "The username or password is wrong.",
			wantText: "HTTP 401: The username or password is wrong."},
		{name: "gateway", status: 401, body: `{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"gw-rid"}`,
			code: "APIGW.0301", msg: "Incorrect IAM authentication information: verify aksk signature fail", rid: "gw-rid"},
		{name: "header request id wins", status: 401, header: hdr("hdr-rid"), body: `{"error_code":"APIGW.0301","error_msg":"x","request_id":"body-rid"}`,
			code: "APIGW.0301", msg: "x", rid: "hdr-rid"},
		{name: "malformed url quirk", status: 401, body: `{"unauthorized":{"code":"401","message":"Malformed request url"}}`,
			code: "401", msg: "Malformed request url", notFound: true},
		{name: "openstack fault", status: 404, body: `{"itemNotFound":{"code":404,"message":"Image not found"}}`, code: "404", msg: "Image not found", notFound: true},
		{name: "other 401 is not not-found", status: 401, body: `{"unauthorized":{"code":"401","message":"The request you have made requires authentication."}}`,
			code: "401", msg: "The request you have made requires authentication."},
		{name: "html", status: 502, body: "<html><body>Bad Gateway</body></html>", msg: "<html><body>Bad Gateway</body></html>",
			wantText: "HTTP 502: <html><body>Bad Gateway</body></html>"},
		{name: "empty 404", status: 404, body: "", notFound: true, wantText: "HTTP 404: Not Found"},
		{name: "unknown json", status: 500, body: `{"foo":1,"bar":2}`, msg: `{"foo":1,"bar":2}`},
		{name: "json array", status: 500, body: `[1,2]`, msg: `[1,2]`},
		{name: "null fields", status: 400, body: `{"error_code":null,"error_msg":null,"error":null}`, msg: `{"error_code":null,"error_msg":null,"error":null}`},
		{name: "error string", status: 400, body: `{"error":"bad thing"}`, msg: "bad thing"},
		{name: "long text truncated", status: 500, body: strings.Repeat("x", 2000), msg: strings.Repeat("x", maxErrorText) + "…(truncated)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseAPIError(tt.status, tt.header, []byte(tt.body))
			if e.Code != tt.code || e.Message != tt.msg || e.RequestID != tt.rid {
				t.Fatalf("got code=%q msg=%q rid=%q", e.Code, e.Message, e.RequestID)
			}
			err := fmt.Errorf("wrapped: %w", e)
			if got := errors.Is(err, ErrNotFound); got != tt.notFound {
				t.Fatalf("errors.Is(ErrNotFound) = %v", got)
			}
			if tt.wantText != "" && e.Error() != tt.wantText {
				t.Fatalf("Error() = %q, want %q", e.Error(), tt.wantText)
			}
			if tt.code != "" && !HasCode(err, "nope", tt.code) {
				t.Fatal("HasCode false")
			}
		})
	}
}

func TestParseAPIErrorNeverPanics(t *testing.T) {
	for _, b := range []string{"", "{", "null", `{"error":{"code":{}}}`, `{"a":{"code":[1]}}`, "\xff\xfe", `{"error_code":1e999}`, `"str"`} {
		_ = parseAPIError(500, nil, []byte(b)).Error()
	}
}

func TestHasCodeAndRetryError(t *testing.T) {
	e := &APIError{StatusCode: 503, Code: "X.1", Message: "busy", RequestID: "r1"}
	re := &RetryError{Attempts: 4, Err: e}
	if !HasCode(re, "X.1") || HasCode(re, "X.2") || HasCode(errors.New("x"), "X.1") || HasCode(nil) {
		t.Fatal("HasCode")
	}
	if got := re.Error(); got != "giving up after 4 attempts: HTTP 503 X.1: busy (request ID r1)" {
		t.Fatal(got)
	}
	var ae *APIError
	if !errors.As(re, &ae) || ae != e {
		t.Fatal("errors.As through RetryError")
	}
}
