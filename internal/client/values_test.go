package client

import "testing"

func TestNormalizeTimePtr(t *testing.T) {
	for in, want := range map[string]string{
		"2020-02-05T10:38:34.209782":    "2020-02-05T10:38:34.209782Z",
		"2020-02-05T10:38:34.210+00:00": "2020-02-05T10:38:34.21Z",
		"2016-09-01T02:05:14Z":          "2016-09-01T02:05:14Z",
		"2020-01-04T09:05:22.701000Z":   "2020-01-04T09:05:22.701Z",
		"2020-02-05T12:38:34+02:00":     "2020-02-05T10:38:34Z",
		"2020-02-05T12:38:34.5+0200":    "2020-02-05T10:38:34.5Z",
		"2017-08-10T12:25:40.480424":    "2017-08-10T12:25:40.480424Z",
		"2017-08-10 12:25:40":           "2017-08-10T12:25:40Z",
		"2017-08-10T12:25:40":           "2017-08-10T12:25:40Z",
		"":                              "",
		"  ":                            "",
		"not a time":                    "not a time",
		"2020-13-45T99:00:00":           "2020-13-45T99:00:00",
	} {
		if got := NormalizeTimePtr(&in); got != want {
			t.Errorf("NormalizeTimePtr(%q) = %q, want %q", in, got, want)
		}
	}
	if NormalizeTimePtr(nil) != "" {
		t.Error("nil")
	}
}

func TestCheckIDs(t *testing.T) {
	if err := CheckIDs("a", "x", "b", "y"); err != nil {
		t.Fatal(err)
	}
	if err := CheckIDs("a", "x", "b", " "); err == nil || err.Error() != "b must not be empty" {
		t.Fatal(err)
	}
}
