package testendpoint

import "net/http"

// Keystone version discovery, as IAM publishes it (KeystoneListVersions GET /, answered
// 300 Multiple Choices; KeystoneShowVersion GET /v3, answered 200), without
// authentication. The self link is this endpoint's base URL (catalog.go) + "/v3/", so a
// Keystone client that discovers from the root finds the v3 API on the same listener.

const (
	keystoneVersionID      = "v3.6" // the published examples' version
	keystoneVersionUpdated = "2016-04-04T00:00:00Z"
)

type versionLink struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

type versionMediaType struct {
	Type string `json:"type"`
	Base string `json:"base"`
}

type keystoneVersion struct {
	Status     string             `json:"status"`
	Updated    string             `json:"updated"`
	Links      []versionLink      `json:"links"`
	ID         string             `json:"id"`
	MediaTypes []versionMediaType `json:"media-types"`
}

func (s *Server) keystoneV3(r *http.Request) keystoneVersion {
	return keystoneVersion{
		Status: "stable", Updated: keystoneVersionUpdated, ID: keystoneVersionID,
		Links:      []versionLink{{Rel: "self", Href: s.baseURL(r) + "/v3/"}},
		MediaTypes: []versionMediaType{{Type: "application/vnd.openstack.identity-v3+json", Base: "application/json"}},
	}
}

// GET /: 300 {"versions":{"values":[version]}}.
func (s *Server) iamListVersions(rc *reqCtx) response {
	return jsonResponse(http.StatusMultipleChoices, map[string]any{
		"versions": map[string]any{"values": []keystoneVersion{s.keystoneV3(rc.r)}},
	})
}

// GET /v3: 200 {"version": version}.
func (s *Server) iamShowVersion(rc *reqCtx) response {
	return jsonResponse(http.StatusOK, map[string]any{"version": s.keystoneV3(rc.r)})
}
