package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func TestPrintWorld(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-print-world"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	w, err := testendpoint.LoadWorld(&out)
	if err != nil {
		t.Fatalf("printed world does not load: %v", err)
	}
	if w.Region != testendpoint.DefaultRegion || len(w.Backups) != 6 {
		t.Fatalf("world = %+v", w)
	}
}

func TestServeAndStop(t *testing.T) {
	t.Setenv(controlTokenEnv, "") // a token in the caller's environment would guard the health call
	dir := t.TempDir()
	b, _ := testendpoint.DefaultWorld().MarshalIndent()
	file := filepath.Join(dir, "world.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-world", file}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line = %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	resp, err := http.Get(url + "/_testendpoint/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health = %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
}

func TestBadArguments(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"region":"r","colour":1}`), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-world", filepath.Join(dir, "missing.json")}, 1, "missing.json"},
		{[]string{"-world", bad}, 1, "colour"},
		{[]string{"-listen", "256.0.0.1:99999"}, 1, "testendpoint"},
	} {
		var errOut bytes.Buffer
		if code := run(context.Background(), tc.args, io.Discard, &errOut); code != tc.code || !strings.Contains(errOut.String(), tc.msg) {
			t.Errorf("run(%v) = %d %q, want %d mentioning %q", tc.args, code, errOut.String(), tc.code, tc.msg)
		}
	}
}
