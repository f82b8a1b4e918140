package testendpoint

import (
	"encoding/json"
	"net/http"
)

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

// Error bodies, one shape per service as each documents it: the API gateway's (APIGW codes),
// CBR's, the nested {"error":{"code","message"}} of VBS and IMS, and Keystone's (IAM).

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
