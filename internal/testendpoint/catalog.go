package testendpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// The Keystone service catalog (in the token of KeystoneCreateUserTokenByPassword): the token
// answers of POST and GET /v3/auth/tokens carry it unless nocatalog has a non-empty value, and GET
// /v3/auth/catalog answers it alone. Every service is this endpoint itself, so every entry
// has one public endpoint in the world's region whose url is the endpoint's own base URL,
// scheme://host[:port] as the request reached it (the Host header; https when the
// connection is TLS). Clients append the API path, as with the provider's endpoints
// argument (inference: the real catalog carries each service's host, some with a version
// path; the base URL keeps every client's path building working against one listener).

type catalogEndpoint struct {
	ID        string `json:"id"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	URL       string `json:"url"`
}

type catalogService struct {
	Endpoints []catalogEndpoint `json:"endpoints"`
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Type      string            `json:"type"`
}

// catalogServices are the catalog's entries: Keystone types where OpenStack has one
// (identity, image, volumev2), the service's own name otherwise (inference).
var catalogServices = []struct{ typ, name string }{
	{"identity", "iam"},
	{"cbr", "cbr"},
	{"vbs", "vbs"},
	{"volumev2", "evs"},
	{"image", "ims"},
}

// baseURL is scheme://host[:port] as the request reached the endpoint.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" && s.ln != nil { // HTTP/1.0 without Host
		host = s.ln.Addr().String()
	}
	return scheme + "://" + host
}

// catalogID is a stable 32-hex-digit ID for a catalog service or endpoint.
func catalogID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// catalog is the whole catalog for requests that reached base.
func (s *Server) catalog(base string) []catalogService {
	region := s.w.Region
	out := make([]catalogService, 0, len(catalogServices))
	for _, svc := range catalogServices {
		out = append(out, catalogService{
			ID: catalogID("service", svc.typ), Name: svc.name, Type: svc.typ,
			Endpoints: []catalogEndpoint{{ID: catalogID("endpoint", svc.typ, region, "public"),
				Interface: "public", Region: region, RegionID: region, URL: base}},
		})
	}
	return out
}

// catalogFor is the token body's catalog for r: nil (omitted) when nocatalog has a
// non-empty value, as IAM documents it ("?nocatalog" alone keeps the catalog).
func (s *Server) catalogFor(r *http.Request) *[]catalogService {
	for _, v := range r.URL.Query()["nocatalog"] {
		if v != "" {
			return nil
		}
	}
	c := s.catalog(s.baseURL(r))
	return &c
}

// GET /v3/auth/catalog: the catalog of the caller's project-scoped token (or AK/SK).
func (s *Server) iamShowCatalog(rc *reqCtx) response {
	base := s.baseURL(rc.r)
	return jsonResponse(http.StatusOK, map[string]any{
		"catalog": s.catalog(base),
		"links":   map[string]any{"self": base + "/v3/auth/catalog", "previous": nil, "next": nil},
	})
}
