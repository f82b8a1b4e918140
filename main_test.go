package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestQuietUnrequestedLogs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		environ []string
		quiet   bool
	}{
		{"no logging variables", []string{"PATH=/bin", "HOME=/root", "TF_IN_AUTOMATION=1"}, true},
		{"empty TF_LOG", []string{"TF_LOG="}, true},
		{"TF_LOG", []string{"TF_LOG=TRACE"}, false},
		{"TF_LOG_PROVIDER", []string{"TF_LOG_PROVIDER=DEBUG"}, false},
		{"TF_LOG_PATH alone", []string{"TF_LOG_PATH=/tmp/tf.log"}, false},
		{"a subsystem level", []string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, false},
		{"this provider's level", []string{"TF_LOG_PROVIDER_CBR=INFO"}, false},
		{"acceptance test log", []string{"TF_ACC_LOG_PATH=/tmp/acc.log"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]string{}
			quietUnrequestedLogs(tc.environ, func(k, v string) error { set[k] = v; return nil })
			if !tc.quiet {
				if len(set) != 0 {
					t.Fatalf("set %v although the user asked for logs", set)
				}
				return
			}
			for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CBR"} {
				if set[k] != "OFF" {
					t.Errorf("%s = %q, want OFF", k, set[k])
				}
			}
			if len(set) != len(quietLogVars) {
				t.Errorf("set %v", set)
			}
		})
	}
}

func TestTuneGCRaisesTheLimitWithTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	tuneGC()
	if got := debug.SetMemoryLimit(-1); got != minMemoryLimit {
		t.Fatalf("limit = %d, want %d", got, minMemoryLimit)
	}
	live := make([][]byte, 48)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	want := int64(2 * 48 << 20)
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) < want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < want {
		t.Fatalf("limit = %d with 48 MiB live, want at least %d", got, want)
	}
	runtime.KeepAlive(live)
}
