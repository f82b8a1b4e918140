package signer

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkSign measures signing one CBR add-members request: run with make bench.
func BenchmarkSign(b *testing.B) {
	body := []byte(`{"members":["075e6035d300d48c2fd0c00b78b71ebf","f841e01fd2b14e7fa41b6ae7aa6b0594"]}`)
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequest(http.MethodPost,
			"https://cbr.cn-north-4.myhuaweicloud.com/v3/0605767b5780d5762fc5c0118072a564/backups/0b07081e-3ec7-4e77-8571-54e2947da422/members?limit=10",
			strings.NewReader(string(body)))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Project-Id", "0605767b5780d5762fc5c0118072a564")
		if err := Sign(req, body, "OWNERAK1TESTENDPOINT", "OwnerSecretKey0TestEndpoint0000000000001", now); err != nil {
			b.Fatal(err)
		}
	}
}
