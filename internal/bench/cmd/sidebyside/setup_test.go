package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

func TestBenchWorldLoads(t *testing.T) {
	ids := backupIDs(250)
	b, err := benchWorld(ids).MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	w, err := testendpoint.LoadWorld(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the endpoint refuses the world: %v", err)
	}
	if got := len(w.Backups) - len(testendpoint.DefaultWorld().Backups); got != len(ids) {
		t.Fatalf("%d backups added, want %d", got, len(ids))
	}
	for _, v := range w.Vaults {
		if v.ID == testendpoint.OwnerServerVaultID && v.UsedGB > v.CapacityGB {
			t.Fatalf("owner vault over capacity: %+v", v)
		}
	}
}

func TestConfigsDeclareNResources(t *testing.T) {
	ids := backupIDs(3)
	for cfg, want := range map[string]string{
		floorConfig(ids): `resource "terraform_data" "share"`,
		providerConfig(ids, "http://127.0.0.1:1"): `resource "cbr_backup_share_member" "share"`,
	} {
		if strings.Count(cfg, "0b07081e-0000-4000-9000-") != len(ids) || !strings.Contains(cfg, want) {
			t.Errorf("config without %s and %d backups:\n%s", want, len(ids), cfg)
		}
	}
}

func TestMedian(t *testing.T) {
	secs := func(s sample) float64 { return s.wall.Seconds() }
	odd := []sample{{wall: 3 * time.Second}, {wall: time.Second}, {wall: 2 * time.Second}}
	if got := median(odd, secs); got != 2 {
		t.Errorf("median = %v, want 2", got)
	}
	if got := median(odd[:2], secs); got != 2 {
		t.Errorf("median of two = %v, want 2", got)
	}
}
