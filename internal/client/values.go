package client

import (
	"fmt"
	"strings"
	"time"
)

// StringValue dereferences a null-tolerant wire field: nil → "".
func StringValue(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// timeLayouts are the forms the services use: RFC 3339 with Z or an offset,
// zone-less ISO with micro- or milliseconds (CBR, VBS), offsets without a
// colon, and a space instead of the T.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// parseTime parses an API timestamp leniently; a zone-less value is UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// normalizeTime renders an API timestamp as RFC 3339 UTC
// (time.RFC3339Nano), so state does not change with the server's format.
// Empty stays empty; an unparsable value is returned as given rather than
// lost.
func normalizeTime(s string) string {
	if t, ok := parseTime(s); ok {
		return t.Format(time.RFC3339Nano)
	}
	return strings.TrimSpace(s)
}

// NormalizeTimePtr is normalizeTime for a null-tolerant wire field.
func NormalizeTimePtr(p *string) string { return normalizeTime(StringValue(p)) }

// CheckIDs takes name/value pairs and fails on the first empty value, so a
// path like /backups//members is never sent.
func CheckIDs(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("%s must not be empty", pairs[i])
		}
	}
	return nil
}
