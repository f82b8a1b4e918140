package testendpoint

import (
	"net/url"
	"strings"
)

// The API routing table: every method and path the endpoint serves, with its service, the
// credentials it needs and its handler. Anything else is an unknown API (404 APIGW.0101).

type authMode int

const (
	authNone    authMode = iota // IAM token creation
	authAny                     // any valid credential, project optional (IAM reads)
	authProject                 // a caller project is needed and must match the path's
)

type route struct {
	service string
	method  string
	pattern []string // literal segments, or {name} placeholders
	auth    authMode
	handler func(*Server, *reqCtx) response
}

var routes []route

func init() {
	add := func(service, method, pattern string, auth authMode, h func(*Server, *reqCtx) response) {
		segs := strings.Split(strings.Trim(pattern, "/"), "/")
		if pattern == "/" {
			segs = nil // the root has no segments
		}
		routes = append(routes, route{service, method, segs, auth, h})
	}
	add("iam", "POST", "/v3/auth/tokens", authNone, (*Server).iamCreateToken)
	add("iam", "GET", "/v3/auth/tokens", authAny, (*Server).iamValidateToken)
	add("iam", "GET", "/v3/auth/projects", authAny, (*Server).iamListProjects)
	add("iam", "GET", "/v3/projects", authAny, (*Server).iamListProjects)
	add("iam", "GET", "/v3/auth/catalog", authProject, (*Server).iamShowCatalog)
	add("iam", "GET", "/", authNone, (*Server).iamListVersions)
	add("iam", "GET", "/v3", authNone, (*Server).iamShowVersion)

	add("cbr", "GET", "/v3/{project}/backups", authProject, (*Server).cbrListBackups)
	add("cbr", "GET", "/v3/{project}/backups/{backup}", authProject, (*Server).cbrShowBackup)
	add("cbr", "DELETE", "/v3/{project}/backups/{backup}", authProject, (*Server).cbrDeleteBackup)
	add("cbr", "POST", "/v3/{project}/backups/{backup}/members", authProject, (*Server).cbrAddMembers)
	add("cbr", "GET", "/v3/{project}/backups/{backup}/members", authProject, (*Server).cbrListMembers)
	add("cbr", "GET", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrShowMember)
	add("cbr", "PUT", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrUpdateMember)
	add("cbr", "DELETE", "/v3/{project}/backups/{backup}/members/{member}", authProject, (*Server).cbrDeleteMember)

	add("vbs", "POST", "/v2/{project}/os-vendor-backup-sharing", authProject, (*Server).vbsCreate)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/detail", authProject, (*Server).vbsList)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/count", authProject, (*Server).vbsCount)
	add("vbs", "GET", "/v2/{project}/os-vendor-backup-sharing/{share}", authProject, (*Server).vbsShow)
	add("vbs", "DELETE", "/v2/{project}/os-vendor-backup-sharing/{share}", authProject, (*Server).vbsCancel)

	add("ims", "GET", "/v2/images", authProject, (*Server).imsGlanceListImages)
	add("ims", "GET", "/v2/cloudimages", authProject, (*Server).imsCloudListImages)
	add("ims", "POST", "/v2/images/{image}/members", authProject, (*Server).imsAddMember)
	add("ims", "GET", "/v2/images/{image}/members", authProject, (*Server).imsListMembers)
	add("ims", "GET", "/v2/images/{image}/members/{member}", authProject, (*Server).imsShowMember)
	add("ims", "PUT", "/v2/images/{image}/members/{member}", authProject, (*Server).imsUpdateMember)
	add("ims", "DELETE", "/v2/images/{image}/members/{member}", authProject, (*Server).imsDeleteMember)
	add("ims", "GET", "/v2/schemas/member", authProject, (*Server).imsShowMemberSchema)
	add("ims", "GET", "/v2/schemas/members", authProject, (*Server).imsShowMembersSchema)
	add("ims", "POST", "/v1/cloudimages/members", authProject, (*Server).imsBatchAddMembers)
	add("ims", "PUT", "/v1/cloudimages/members", authProject, (*Server).imsBatchUpdateMembers)
	add("ims", "DELETE", "/v1/cloudimages/members", authProject, (*Server).imsBatchDeleteMembers)
	add("ims", "GET", "/v1/{project}/jobs/{job}", authProject, (*Server).imsShowJob)
	add("ims", "GET", "/v1/{project}/cloudimages/{image}/members", authProject, (*Server).imsListMembersV1)
	add("ims", "GET", "/v1/{project}/cloudimages/{image}/members/{member}", authProject, (*Server).imsShowMemberV1)
}

// matchRoute matches the escaped path segment by segment so an encoded "/" inside an ID
// stays inside its segment. Unknown method+path pairs are unknown APIs, as at the gateway.
func matchRoute(method, escapedPath string) (route, map[string]string, bool) {
	if !strings.HasPrefix(escapedPath, "/") {
		return route{}, nil, false
	}
	raw := strings.Split(escapedPath[1:], "/")
	if escapedPath == "/" {
		raw = nil // the root: zero segments
	}
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return route{}, nil, false
		}
		segs[i] = u
	}
next:
	for _, rt := range routes {
		if rt.method != method || len(rt.pattern) != len(segs) {
			continue
		}
		params := map[string]string{}
		for i, p := range rt.pattern {
			if strings.HasPrefix(p, "{") {
				params[strings.Trim(p, "{}")] = segs[i]
			} else if p != segs[i] {
				continue next
			}
		}
		// "images" is a literal IMS segment, never a VBS project.
		if rt.service == "vbs" && params["project"] == "images" {
			continue
		}
		return rt, params, true
	}
	return route{}, nil, false
}
