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
		service        Service // default CBR
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
		{name: "cbr code in another shape", status: 404, body: `{"error":{"code":"BackupService.6705","message":"x"}}`, code: "BackupService.6705", msg: "x"},
		{name: "gateway 404 unknown api", status: 404, body: `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment","request_id":"r"}`,
			code: "APIGW.0101", msg: "The API does not exist or has not been published in the environment", rid: "r"},
		{name: "html 404 from a proxy", status: 404, body: "<html><body><h1>404 Not Found</h1></body></html>", msg: "<html><body><h1>404 Not Found</h1></body></html>"},
		{name: "quirk is CBR's only", service: ServiceIMS, status: 401, body: `{"unauthorized":{"code":"401","message":"Malformed request url"}}`, code: "401", msg: "Malformed request url"},
		{name: "vbs share gone", service: ServiceVBS, status: 404, body: `{"error":{"code":"VolumeBackup.0105","message":"share not found"}}`, code: "VolumeBackup.0105", msg: "share not found", notFound: true},
		{name: "vbs cinder fault", service: ServiceVBS, status: 404, body: `{"itemNotFound":{"code":404,"message":"Backup not found"}}`, code: "404", msg: "Backup not found", notFound: true},
		{name: "vbs 400 is not gone", service: ServiceVBS, status: 400, body: `{"error":{"code":"VolumeBackup.0105","message":"x"}}`, code: "VolumeBackup.0105", msg: "x"},
		{name: "vbs gateway 404", service: ServiceVBS, status: 404, body: `{"error_code":"APIGW.0101","error_msg":"no api"}`, code: "APIGW.0101", msg: "no api"},
		{name: "ims member gone", service: ServiceIMS, status: 404, body: `{"error":{"code":"IMG.0114","message":"no such member"}}`, code: "IMG.0114", msg: "no such member", notFound: true},
		{name: "ims html 404", service: ServiceIMS, status: 404, body: "404 page not found", msg: "404 page not found"},
		{name: "ims gateway in nested shape", service: ServiceIMS, status: 404, body: `{"error":{"code":"APIGW.0101","message":"no api"}}`, code: "APIGW.0101", msg: "no api"},
		{name: "iam 404", service: ServiceIAM, status: 404, body: `{"error":{"code":404,"message":"Could not find token"}}`, code: "404", msg: "Could not find token"},
		{name: "openstack fault", status: 404, body: `{"itemNotFound":{"code":404,"message":"Image not found"}}`, code: "404", msg: "Image not found"},
		{name: "other 401 is not not-found", status: 401, body: `{"unauthorized":{"code":"401","message":"The request you have made requires authentication."}}`,
			code: "401", msg: "The request you have made requires authentication."},
		{name: "html", status: 502, body: "<html><body>Bad Gateway</body></html>", msg: "<html><body>Bad Gateway</body></html>",
			wantText: "HTTP 502: <html><body>Bad Gateway</body></html>"},
		{name: "empty 404", status: 404, body: "", wantText: "HTTP 404: Not Found"},
		{name: "unknown json", status: 500, body: `{"foo":1,"bar":2}`, msg: `{"foo":1,"bar":2}`},
		{name: "json array", status: 500, body: `[1,2]`, msg: `[1,2]`},
		{name: "null fields", status: 400, body: `{"error_code":null,"error_msg":null,"error":null}`, msg: `{"error_code":null,"error_msg":null,"error":null}`},
		{name: "error string", status: 400, body: `{"error":"bad thing"}`, msg: "bad thing"},
		{name: "long text truncated", status: 500, body: strings.Repeat("x", 2000), msg: strings.Repeat("x", maxErrorText) + "…(truncated)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseAPIError(tt.status, tt.header, []byte(tt.body))
			e.Service = tt.service
			if e.Service == "" {
				e.Service = ServiceCBR
			}
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

func TestWithoutCanonicalRequest(t *testing.T) {
	for in, want := range map[string]string{
		"Incorrect IAM authentication information: verify aksk signature fail, canonical request: GET|/v3/p/backups|": "Incorrect IAM authentication information: verify aksk signature fail",
		"verify aksk signature fail, canonicalRequest:GET|/":                                                          "verify aksk signature fail",
		"The token must be updated.": "The token must be updated.",
	} {
		if got := withoutCanonicalRequest(in); got != want {
			t.Errorf("withoutCanonicalRequest(%q) = %q, want %q", in, got, want)
		}
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
