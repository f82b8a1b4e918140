// Command terraform-provider-cbr serves the cbr provider: backup sharing on Huawei Cloud.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/backupshare/terraform-provider-cbr/internal/provider"
)

// version is set by the release build through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "start the provider with support for debuggers such as delve")
	flag.Parse()
	if !debugMode { // a debugged provider writes its logs to its own terminal: keep them
		quietUnrequestedLogs(os.Environ(), os.Setenv)
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		tuneGC()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/backupshare/cbr",
		Debug:           debugMode,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogVars set the levels of the plugin SDK's, the framework's and this provider's loggers.
// Unset, they mean TRACE: every call is logged as JSON, which Terraform parses and drops unless
// the user asked for logs.
var quietLogVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CBR"}

// quietUnrequestedLogs turns those loggers off when no TF_LOG* variable (nor TF_ACC_LOG_PATH) is
// set, so that logs that the user asks for (TF_LOG=TRACE, TF_LOG_PROVIDER=DEBUG, ...) are unchanged.
func quietUnrequestedLogs(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if k, v, _ := strings.Cut(kv, "="); v != "" && (strings.HasPrefix(k, "TF_LOG") || k == "TF_ACC_LOG_PATH") {
			return
		}
	}
	for _, k := range quietLogVars {
		_ = setenv(k, "OFF")
	}
}

// A provider process lives for one Terraform command, so it collects rarely (gcPercent), within a
// memory limit that keeps its RSS small: minMemoryLimit, or twice the live heap when that is more,
// so that a large configuration never makes the collector run back to back.
const (
	gcPercent      = 400
	minMemoryLimit = 28 << 20
)

// gcSentinel is big enough to stay out of the tiny allocator, so its cleanup runs after each GC.
type gcSentinel struct{ _ [32]byte }

func tuneGC() {
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(minMemoryLimit)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var afterGC func(int)
	afterGC = func(int) {
		metrics.Read(live)
		debug.SetMemoryLimit(max(minMemoryLimit, 2*int64(live[0].Value.Uint64()))) //nolint:gosec // a heap size fits
		runtime.AddCleanup(&gcSentinel{}, afterGC, 0)
	}
	runtime.AddCleanup(&gcSentinel{}, afterGC, 0)
}
