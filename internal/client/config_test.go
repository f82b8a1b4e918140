package client

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestConfigErrors(t *testing.T) {
	base := func(mod func(*Config)) Config {
		c := Config{Region: "cn-north-4", ProjectID: "p"}
		mod(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     Config
		summary string
		attrs   []string // must be included
		text    []string // must appear in the error text
	}{
		{"none", base(func(*Config) {}), "Missing Credentials", []string{"access_key", "token"}, []string{"access_key", "user_name", "token"}},
		{"ak without sk", base(func(c *Config) { c.AccessKey = "AK" }), "Incomplete Credentials", []string{"secret_key"}, []string{"secret_key is missing"}},
		{"sk without ak", base(func(c *Config) { c.SecretKey = "SK" }), "Incomplete Credentials", []string{"access_key"}, []string{"access_key"}},
		{"security token alone", base(func(c *Config) { c.SecurityToken = "T" }), "Incomplete Credentials", []string{"access_key", "secret_key"}, nil},
		{"password without user", base(func(c *Config) { c.Password = "pw"; c.DomainName = "d" }), "Incomplete Credentials", []string{"user_name"}, []string{"user_name"}},
		{"user without domain", base(func(c *Config) { c.UserName = "u"; c.Password = "pw" }), "Incomplete Credentials", []string{"domain_name"}, nil},
		{"aksk and token", base(func(c *Config) { c.AccessKey, c.SecretKey, c.Token = "AK", "SK", "T" }), "Conflicting Credentials", []string{"access_key", "token"}, []string{"token"}},
		{"password and half aksk", base(func(c *Config) { c.UserName, c.Password, c.DomainName, c.AccessKey = "u", "p", "d", "AK" }), "Conflicting Credentials", []string{"access_key", "user_name"}, nil},
		{"no region", Config{Token: "T", ProjectID: "p"}, "Missing Region", []string{"region"}, nil},
		{"bad region", base(func(c *Config) { c.Token = "T"; c.Region = "cn/north" }), "Invalid Region", []string{"region"}, nil},
		{"bad scheme", base(func(c *Config) { c.Token = "T"; c.Endpoints.CBR = "ftp://x" }), "Invalid URL", []string{"endpoints.cbr"}, []string{"https://"}},
		{"no host", base(func(c *Config) { c.Token = "T"; c.Endpoints.IMS = "https://" }), "Invalid URL", []string{"endpoints.ims"}, []string{"no host"}},
		{"no scheme", base(func(c *Config) { c.Token = "T"; c.AuthURL = "iam.example.com/v3" }), "Invalid URL", []string{"auth_url"}, nil},
		{"query", base(func(c *Config) { c.Token = "T"; c.Endpoints.VBS = "https://x/?a=b" }), "Invalid URL", []string{"endpoints.vbs"}, nil},
		{"version in endpoint", base(func(c *Config) { c.Token = "T"; c.Endpoints.CBR = "http://127.0.0.1:8080/v3" }), "Invalid URL", []string{"endpoints.cbr"}, []string{"Drop the path: use http://127.0.0.1:8080."}},
		{"version under a prefix", base(func(c *Config) { c.Token = "T"; c.Endpoints.IMS = "https://proxy.example.com/ims/v2/" }), "Invalid URL", []string{"endpoints.ims"}, []string{`"/ims/v2/"`}},
		{"version in iam endpoint", base(func(c *Config) { c.Token = "T"; c.Endpoints.IAM = "https://iam.example.com/v3" }), "Invalid URL", []string{"endpoints.iam"}, nil},
		{"auth url with tokens path", base(func(c *Config) { c.Token = "T"; c.AuthURL = "https://iam.example.com/v3/auth/tokens" }), "Invalid URL", []string{"auth_url"}, []string{"use https://iam.example.com/v3."}},
		{"auth url without version", base(func(c *Config) { c.Token = "T"; c.AuthURL = "https://iam.example.com" }), "Invalid URL", []string{"auth_url"}, []string{"must end with the IAM version /v3"}},
		{"negative retries", base(func(c *Config) { c.Token = "T"; c.MaxRetries = -1 }), "Invalid Retry Setting", []string{"max_retries"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want *ConfigError, got %v", err)
			}
			if ce.Summary != tt.summary {
				t.Fatalf("summary %q, want %q (%v)", ce.Summary, tt.summary, err)
			}
			for _, a := range tt.attrs {
				if !slices.Contains(ce.Attributes, a) {
					t.Fatalf("attributes %v lack %q", ce.Attributes, a)
				}
			}
			for _, s := range tt.text {
				if !strings.Contains(err.Error(), s) {
					t.Fatalf("error %q lacks %q", err, s)
				}
			}
			for _, secret := range []string{"SK", "pw"} {
				if strings.Contains(ce.Detail, "\""+secret+"\"") {
					t.Fatalf("secret in error: %v", err)
				}
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := New(context.Background(), Config{Region: "cn-north-4", ProjectID: "p1", Token: "T"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Service]string{
		ServiceCBR: "https://cbr.cn-north-4.myhuaweicloud.com",
		ServiceVBS: "https://vbs.cn-north-4.myhuaweicloud.com",
		ServiceIMS: "https://ims.cn-north-4.myhuaweicloud.com",
		ServiceIAM: "https://iam.cn-north-4.myhuaweicloud.com/v3",
	}
	for s, u := range want {
		if c.endpoints[s] != u {
			t.Errorf("%s: %q, want %q", s, c.endpoints[s], u)
		}
	}
	if c.ProjectID() != "p1" || c.Region() != "cn-north-4" || c.waitMin.Seconds() != 1 || c.waitMax.Seconds() != 30 {
		t.Fatal("defaults")
	}

	c, err = New(context.Background(), Config{Region: "r", ProjectID: "p", Token: "T",
		Endpoints: Endpoints{CBR: "https://cbr.example.com:443/", VBS: "https://proxy.example.com/vbs", IAM: "http://127.0.0.1:8080"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.endpoints[ServiceCBR] != "https://cbr.example.com" || c.endpoints[ServiceIAM] != "http://127.0.0.1:8080/v3" {
		t.Fatalf("normalisation: %v", c.endpoints)
	}
	c, err = New(context.Background(), Config{Region: "r", ProjectID: "p", Token: "T", AuthURL: "https://iam.example.com/v3/", Endpoints: Endpoints{IAM: "http://ignored"}})
	if err != nil || c.endpoints[ServiceIAM] != "https://iam.example.com/v3" {
		t.Fatalf("auth url: %v %v", err, c.endpoints)
	}
}
