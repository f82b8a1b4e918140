// Command testendpoint serves the in-memory Huawei Cloud of package testendpoint.
//
//	testendpoint [-listen ADDR] [-world FILE] [-print-world]
//
// The first line on stdout is "listening on http://HOST:PORT"; it serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it with their own context and writers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testendpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	worldFile := fs.String("world", "", "world JSON file (default: the built-in world)")
	printWorld := fs.Bool("print-world", false, "print the default world as JSON and exit")
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
	srv, err := testendpoint.Start(*listen, world)
	if err != nil {
		fmt.Fprintln(stderr, "testendpoint:", err)
		return 1
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.URL())
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	return 0
}
