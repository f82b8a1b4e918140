// Command testendpoint serves the in-memory Huawei Cloud of package testendpoint.
//
//	testendpoint [-listen ADDR] [-world FILE] [-max-requests N]
//	             [-control-remote] [-control-token TOKEN] [-print-world] [-version]
//
// The first line on stdout is "listening on http://HOST:PORT"; it serves until SIGINT or SIGTERM.
// Without a clone of the repository:
//
//	go run github.com/backupshare/terraform-provider-cbr/internal/testendpoint/cmd/testendpoint@VERSION
//
// The control API (/_testendpoint/...) answers loopback clients only unless -control-remote is
// given; -control-token (or the environment variable TESTENDPOINT_CONTROL_TOKEN) makes it require
// "Authorization: Bearer TOKEN" on every call.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// version is set by the release build (-ldflags "-X main.version=..."); otherwise it comes from
// the build information (go run ...@VERSION, go install ...@VERSION), else it is "dev".
var version string

// controlTokenEnv is the environment variable that gives the control token when the flag does not.
const controlTokenEnv = "TESTENDPOINT_CONTROL_TOKEN"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// resolveVersion picks the version to print: the linker's, the module's, or "dev".
func resolveVersion(linked string, info *debug.BuildInfo, ok bool) string {
	switch {
	case linked != "":
		return linked
	case ok && info != nil && info.Main.Version != "" && info.Main.Version != "(devel)":
		return info.Main.Version
	}
	return "dev"
}

// run is main without the process: tests call it with their own context and writers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testendpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	worldFile := fs.String("world", "", "world JSON file (default: the built-in world)")
	printWorld := fs.Bool("print-world", false, "print the default world as JSON and exit")
	printVersion := fs.Bool("version", false, "print the version and exit")
	maxRequests := fs.Int("max-requests", testendpoint.DefaultMaxRequests,
		"keep the newest N API requests in the request log; older ones are dropped and counted")
	controlRemote := fs.Bool("control-remote", false,
		"let clients that are not on a loopback address use the control API (/_testendpoint/...)")
	controlToken := fs.String("control-token", "",
		"require \"Authorization: Bearer TOKEN\" on every control API call (default: $"+controlTokenEnv+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testendpoint: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *printVersion {
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, "testendpoint", resolveVersion(version, info, ok))
		return 0
	}
	if *maxRequests < 1 {
		fmt.Fprintf(stderr, "testendpoint: -max-requests must be at least 1, not %d\n", *maxRequests)
		return 2
	}
	token := *controlToken
	if !flagGiven(fs, "control-token") {
		token = os.Getenv(controlTokenEnv)
	}
	if *printWorld {
		b, err := testendpoint.DefaultWorld().MarshalIndent()
		if err != nil {
			fmt.Fprintln(stderr, "testendpoint:", err)
			return 1
		}
		_, _ = stdout.Write(b)
		return 0
	}
	world := testendpoint.DefaultWorld()
	if *worldFile != "" {
		f, err := os.Open(*worldFile)
		if err != nil {
			fmt.Fprintln(stderr, "testendpoint:", err)
			return 1
		}
		world, err = testendpoint.LoadWorld(f)
		_ = f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "testendpoint: %s: %v\n", *worldFile, err)
			return 1
		}
	}
	srv, err := testendpoint.Start(*listen, world,
		testendpoint.WithMaxRequests(*maxRequests),
		testendpoint.WithRemoteControl(*controlRemote),
		testendpoint.WithControlToken(token))
	if err != nil {
		fmt.Fprintln(stderr, "testendpoint:", err)
		return 1
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.URL())
	if *controlRemote && token == "" {
		fmt.Fprintln(stderr, "testendpoint: warning: -control-remote without -control-token: any client that reaches "+
			srv.URL()+" can read every credential of the world and replace it")
	}
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	return 0
}

// flagGiven reports whether the command line set the flag (even to "").
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
