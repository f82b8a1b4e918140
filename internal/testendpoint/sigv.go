package testendpoint

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SDK-HMAC-SHA256 verification, the API gateway's published AK/SK signing. Written
// independently of any client in this repository so a bug in one is caught by the other.

const (
	signAlgorithm   = "SDK-HMAC-SHA256"
	sdkDateLayout   = "20060102T150405Z"
	emptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxClockSkew    = 15 * time.Minute
	headerSDKDate   = "X-Sdk-Date"
	headerSDKSHA256 = "X-Sdk-Content-Sha256"
)

// sigAuth is a parsed Authorization header.
type sigAuth struct {
	AccessKey     string
	SignedHeaders []string // lower-case, in the order the client sent
	Signature     string   // 64 lower-case hex digits
}

// parseSigAuthorization parses
// "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>".
// The three parameters may come in any order but each exactly once.
func parseSigAuthorization(v string) (sigAuth, error) {
	rest, ok := strings.CutPrefix(v, signAlgorithm+" ")
	if !ok {
		alg, _, _ := strings.Cut(v, " ")
		return sigAuth{}, fmt.Errorf("unsupported authorization algorithm %q, want %s", alg, signAlgorithm)
	}
	var a sigAuth
	seen := map[string]bool{}
	parts := strings.Split(rest, ",")
	if len(parts) != 3 {
		return sigAuth{}, errors.New("authorization must have exactly Access, SignedHeaders and Signature")
	}
	for _, p := range parts {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || val == "" {
			return sigAuth{}, fmt.Errorf("malformed authorization parameter %q", strings.TrimSpace(p))
		}
		if seen[k] {
			return sigAuth{}, fmt.Errorf("authorization parameter %s given twice", k)
		}
		seen[k] = true
		switch k {
		case "Access":
			if strings.ContainsAny(val, " \t") {
				return sigAuth{}, errors.New("access key must not contain spaces")
			}
			a.AccessKey = val
		case "SignedHeaders":
			for _, h := range strings.Split(val, ";") {
				if h == "" || !isLowerToken(h) {
					return sigAuth{}, fmt.Errorf("invalid signed header name %q", h)
				}
				a.SignedHeaders = append(a.SignedHeaders, h)
			}
		case "Signature":
			if len(val) != 64 || !isLowerHex(val) {
				return sigAuth{}, errors.New("signature must be 64 lower-case hex digits")
			}
			a.Signature = val
		default:
			return sigAuth{}, fmt.Errorf("unknown authorization parameter %q", k)
		}
	}
	return a, nil
}

func isLowerToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// sigEscape keeps A-Z a-z 0-9 - _ . ~ and percent-encodes every other byte (upper-case hex).
func sigEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// sigCanonicalURI escapes each decoded path segment and guarantees a trailing slash.
func sigCanonicalURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = sigEscape(s)
	}
	u := strings.Join(segs, "/")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// sigCanonicalQuery sorts keys, then each key's values, escaping both.
func sigCanonicalQuery(q url.Values) string {
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
			parts = append(parts, sigEscape(k)+"="+sigEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// sigCanonicalHeaders emits "name:trimmed-value\n" per signed header and value; values of
// one header are sorted. host comes from r.Host because Go moves it out of the header map.
func sigCanonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var vals []string
		switch name {
		case "host":
			vals = []string{r.Host}
		case "content-length":
			vals = r.Header.Values(name)
			if len(vals) == 0 && r.ContentLength >= 0 {
				vals = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			vals = append([]string(nil), r.Header.Values(name)...)
		}
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

// sigPayloadHash is X-Sdk-Content-Sha256 when present, else the body's hex SHA-256.
func sigPayloadHash(r *http.Request, body []byte) string {
	if v := r.Header.Get(headerSDKSHA256); v != "" {
		return v
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func sigCanonicalRequest(r *http.Request, body []byte, signed []string) string {
	return strings.Join([]string{
		r.Method,
		sigCanonicalURI(r.URL.Path),
		sigCanonicalQuery(r.URL.Query()),
		sigCanonicalHeaders(r, signed),
		strings.Join(signed, ";"),
		sigPayloadHash(r, body),
	}, "\n")
}

func sigStringToSign(canonicalRequest, sdkDate string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return signAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

func sigSign(secretKey, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// secretHeaders are signed headers whose values never go into an error body: the v3 SDK
// signs x-security-token for temporary credentials.
var secretHeaders = map[string]bool{"x-security-token": true, "x-auth-token": true}

// echoCanonicalRequest is the canonical request as the APIGW.0301 message shows it: newlines
// as |, and the values of secret headers masked.
func echoCanonicalRequest(cr string) string {
	lines := strings.Split(cr, "\n")
	for i, l := range lines {
		if name, _, ok := strings.Cut(l, ":"); ok && secretHeaders[name] {
			lines[i] = name + ":***"
		}
	}
	return strings.Join(lines, "|")
}

// verifySignature checks a parsed signature against the request, the raw body and the
// secret key, trusting the client's SignedHeaders list as the recipe says. The error's
// message goes into the APIGW.0301 body.
func verifySignature(r *http.Request, body []byte, a sigAuth, secretKey string, now time.Time) error {
	signsDate := false
	for _, h := range a.SignedHeaders {
		if h == "x-sdk-date" {
			signsDate = true
		}
	}
	if !signsDate {
		return errors.New("x-sdk-date must be one of the signed headers")
	}
	date := r.Header.Get(headerSDKDate)
	if date == "" {
		return errors.New("the X-Sdk-Date header is missing")
	}
	t, err := time.Parse(sdkDateLayout, date)
	if err != nil {
		return fmt.Errorf("X-Sdk-Date %q is not in the format YYYYMMDDTHHMMSSZ", date)
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return fmt.Errorf("X-Sdk-Date %s is more than 15 minutes away from the server time %s", date, now.UTC().Format(sdkDateLayout))
	}
	cr := sigCanonicalRequest(r, body, a.SignedHeaders)
	want := sigSign(secretKey, sigStringToSign(cr, date))
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		// The real gateway echoes its canonical request with | for newlines: handy for debugging.
		return errors.New("verify aksk signature fail, canonical request: " + echoCanonicalRequest(cr))
	}
	return nil
}
