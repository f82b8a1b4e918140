package testendpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jstr is a JSON string that refuses null and non-strings, so ["a", null, 1] is a type
// error instead of silently becoming "".
type jstr string

func (s *jstr) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '"' {
		return fmt.Errorf("expected a string, got %s", truncate(string(b), 40))
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = jstr(v)
	return nil
}

// decodeStrict decodes exactly one JSON value with no unknown fields and nothing after it.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("the request body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cleanJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// cleanJSONError turns decoder errors into messages that name the field, without Go type names.
func cleanJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Errorf("field %q has the wrong type (%s)", te.Field, te.Value)
		}
		return fmt.Errorf("the body has the wrong type (%s)", te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at offset %d", se.Offset)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s", f)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("invalid JSON: unexpected end of input")
	}
	return errors.New(strings.TrimPrefix(msg, "json: "))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// firstDuplicate returns the first value of list that occurs more than once.
func firstDuplicate(list []jstr) (string, bool) {
	seen := make(map[jstr]bool, len(list))
	for _, v := range list {
		if seen[v] {
			return string(v), true
		}
		seen[v] = true
	}
	return "", false
}

// intParam parses an optional integer query parameter within [lo, hi].
func intParam(q map[string][]string, name string, lo, hi int) (int, bool, error) {
	vs, ok := q[name]
	if !ok {
		return 0, false, nil
	}
	if len(vs) != 1 {
		return 0, false, fmt.Errorf("%s must be given once", name)
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < lo || n > hi {
		return 0, false, fmt.Errorf("%s must be an integer from %d to %d, not %q", name, lo, hi, vs[0])
	}
	return n, true, nil
}
