// Package signer implements Huawei Cloud's SDK-HMAC-SHA256 request signing
// (the AK/SK scheme of the v3 Go SDK and the API gateway).
//
// The algorithm: a canonical request (method, canonical URI, canonical
// query, canonical headers, signed header names, payload hash) is hashed
// with SHA-256; the string to sign is "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n"
// + that hash; the signature is the hex HMAC-SHA256 of it keyed by the raw
// secret key. There is no key derivation.
package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const (
	// Algorithm is the scheme name in the Authorization header and string to sign.
	Algorithm = "SDK-HMAC-SHA256"
	// HeaderDate carries the signing time; the gateway rejects skew over 15 minutes.
	HeaderDate = "X-Sdk-Date"
	// HeaderContentSHA256, when present, replaces the payload hash (e.g. UNSIGNED-PAYLOAD).
	HeaderContentSHA256 = "X-Sdk-Content-Sha256"
	// DateFormat is the X-Sdk-Date layout (UTC).
	DateFormat = "20060102T150405Z"
)

// Sign signs req for the given credentials: it sets X-Sdk-Date to now (UTC)
// unless the header is already present, then sets Authorization.
//
// Signed headers follow the v3 SDK: every header present in req.Header at
// signing time except names starting with "content-type" or containing "_".
// Unlike the v3 SDK, "host" is always signed (taken from req.Host, else
// req.URL.Host), which binds the signature to the endpoint. Headers the
// caller wants covered (X-Project-Id, X-Security-Token) must therefore be set
// before calling Sign. body must be the exact bytes that will be sent.
func Sign(req *http.Request, body []byte, ak, sk string, now time.Time) error {
	if req == nil || req.URL == nil {
		return errors.New("signer: nil request or URL")
	}
	if ak == "" || sk == "" {
		return errors.New("signer: access key and secret key are required")
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	date := req.Header.Get(HeaderDate)
	if date == "" {
		date = now.UTC().Format(DateFormat)
		req.Header.Set(HeaderDate, date)
	}

	h := req.Header.Clone()
	if h.Get("Host") == "" {
		host := req.Host
		if host == "" {
			host = req.URL.Host
		}
		h.Set("Host", host)
	}
	signed := SignedHeaderNames(h)
	cr := CanonicalRequest(req.Method, req.URL, h, signed, PayloadHash(h, body))
	sig := Signature(sk, StringToSign(cr, date))
	req.Header.Set("Authorization", AuthorizationHeader(ak, signed, sig))
	return nil
}

// SignedHeaderNames returns the lower-cased, sorted names of the headers the
// v3 SDK signs: all of h except content-type* and names containing "_".
func SignedHeaderNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	seen := map[string]bool{}
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(lk, "_") || seen[lk] {
			continue
		}
		seen[lk] = true
		names = append(names, lk)
	}
	sort.Strings(names)
	return names
}

// PayloadHash is the hex SHA-256 of body, or the literal X-Sdk-Content-Sha256
// header value when one is set.
func PayloadHash(h http.Header, body []byte) string {
	if v := h.Get(HeaderContentSHA256); v != "" {
		return v
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest builds the canonical request over the listed (lower-case,
// sorted) signed header names.
func CanonicalRequest(method string, u *url.URL, h http.Header, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(CanonicalURI(u.Path))
	b.WriteByte('\n')
	b.WriteString(CanonicalQueryString(u.Query()))
	b.WriteByte('\n')
	b.WriteString(canonicalHeaders(h, signed))
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// CanonicalURI escapes each segment of the decoded path and guarantees a
// trailing slash, as the SDK does.
func CanonicalURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// CanonicalQueryString sorts keys, and each key's values, and escapes both.
func CanonicalQueryString(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			parts = append(parts, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(parts, "&")
}

func canonicalHeaders(h http.Header, signed []string) string {
	lower := make(map[string][]string, len(h))
	for k, v := range h {
		lk := strings.ToLower(k)
		lower[lk] = append(lower[lk], v...)
	}
	var b strings.Builder
	for _, name := range signed {
		vals := append([]string(nil), lower[name]...)
		sort.Strings(vals)
		for _, v := range vals {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// StringToSign is the string the signature covers.
func StringToSign(canonicalRequest, sdkDate string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

// Signature is hex(HMAC-SHA256(key = secret key, data = string to sign)).
func Signature(sk, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// AuthorizationHeader formats the Authorization header value.
func AuthorizationHeader(ak string, signed []string, signature string) string {
	return Algorithm + " Access=" + ak + ", SignedHeaders=" + strings.Join(signed, ";") + ", Signature=" + signature
}

// escape percent-encodes every byte except A–Z a–z 0–9 - _ . ~ (uppercase hex).
func escape(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}
