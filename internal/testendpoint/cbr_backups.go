package testendpoint

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CBR v3 ListBackups, GET /v3/{project_id}/backups (and what a recipient sees of a share): what a
// project holds itself (own_type=private, the default), what other projects shared with
// it (shared: every backup with a member record for the caller's project, in any status
// unless member_status narrows it) or both (all_granted).

// own_type values (ListBackups).
const (
	ownPrivate    = "private"
	ownShared     = "shared"
	ownAllGranted = "all_granted"
)

// Provider IDs of BackupResp.provider_id (ListBackups).
const (
	cbrProviderServer = "0daac4c5-6707-4851-97ba-169e36266b66"
	cbrProviderDisk   = "d1603440-187d-4516-af25-121250c7cc97"
)

// cbrQueryTimeLayout is the start_time/end_time form, "2018-02-01T12:00:00Z" (ListBackups).
const cbrQueryTimeLayout = "2006-01-02T15:04:05Z"

// cbrListResourceTypes are the documented resource_type values. Worlds hold only the
// first two; the others are valid filters that match nothing.
var cbrListResourceTypes = map[string]bool{
	"OS::Nova::Server": true, "OS::Cinder::Volume": true, "OS::Workspace::DesktopV2": true,
	"OS::Ironic::BareMetalServer": true, "OS::Native::Server": true, "OS::Sfs::Turbo": true,
}

// cbrBackupListRepeatable are the only parameters that may be repeated (status=a&status=b).
var cbrBackupListRepeatable = map[string]bool{"status": true}

// backupListQuery is a parsed, validated ListBackups query.
type backupListQuery struct {
	ownType, memberStatus, resourceType, vaultID, imageType, enterpriseProject string
	name, checkpointID, parentID, resourceID, resourceName, resourceAZ         string
	statuses                                                                   map[string]bool
	start, end                                                                 time.Time
	usedPercent                                                                int
	limit, offset                                                              int
	marker                                                                     string
	sort                                                                       []sortKey
}

// parseBackupListQuery validates every documented parameter; failures become 9900.
// Unknown parameters are ignored (inference: the service does not reject them).
func parseBackupListQuery(q url.Values) (backupListQuery, error) {
	for k, vs := range q {
		if len(vs) > 1 && !cbrBackupListRepeatable[k] {
			return backupListQuery{}, fmt.Errorf("%s must be given once", k)
		}
	}
	p := backupListQuery{ownType: ownPrivate, limit: 1000, sort: []sortKey{{key: "created_at", desc: true}}}
	if v, ok := q["own_type"]; ok {
		switch v[0] {
		case ownPrivate, ownShared, ownAllGranted:
			p.ownType = v[0]
		default:
			return p, fmt.Errorf("invalid own_type %q (use private, shared or all_granted)", v[0])
		}
	}
	if v, ok := q["member_status"]; ok {
		// The -ed forms only: SDK releases before 0.0.84 sent accept/reject (ListBackups).
		switch v[0] {
		case StatusPending, StatusAccepted, StatusRejected:
			p.memberStatus = v[0]
		default:
			return p, fmt.Errorf("invalid member_status %q (use pending, accepted or rejected)", v[0])
		}
	}
	if v, ok := q["resource_type"]; ok {
		if !cbrListResourceTypes[v[0]] {
			return p, fmt.Errorf("invalid resource_type %q", v[0])
		}
		p.resourceType = v[0]
	}
	if v, ok := q["vault_id"]; ok {
		if !isUUID(v[0]) {
			return p, fmt.Errorf("invalid vault_id %q: only UUIDs are supported", v[0])
		}
		p.vaultID = v[0]
	}
	if vs, ok := q["status"]; ok {
		p.statuses = map[string]bool{}
		for _, v := range vs {
			// The documented eight plus "creating", which worlds may use.
			if !backupStatuses[v] {
				return p, fmt.Errorf("invalid status %q", v)
			}
			p.statuses[v] = true
		}
	}
	if v, ok := q["image_type"]; ok {
		if v[0] != "backup" && v[0] != "replication" {
			return p, fmt.Errorf("invalid image_type %q (use backup or replication)", v[0])
		}
		p.imageType = v[0]
	}
	if v, ok := q["enterprise_project_id"]; ok {
		if v[0] != "0" && v[0] != "all_granted_eps" && !isUUID(v[0]) {
			return p, fmt.Errorf("invalid enterprise_project_id %q (use 0, an ID or all_granted_eps)", v[0])
		}
		p.enterpriseProject = v[0]
	}
	for _, name := range []string{"dec", "incremental", "show_replication"} {
		// Accepted and checked, without effect: worlds have no dedicated cloud, no
		// incremental backups and no replication (inference).
		if v, ok := q[name]; ok && v[0] != "true" && v[0] != "false" {
			return p, fmt.Errorf("%s must be true or false, not %q", name, v[0])
		}
	}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"start_time", &p.start}, {"end_time", &p.end}} {
		if v, ok := q[t.name]; ok {
			tm, err := time.Parse(cbrQueryTimeLayout, v[0])
			if err != nil {
				return p, fmt.Errorf("invalid %s %q (use YYYY-MM-DDTHH:MM:SSZ)", t.name, v[0])
			}
			*t.to = tm
		}
	}
	if v, ok := q["used_percent"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 100 {
			return p, fmt.Errorf("used_percent must be an integer from 1 to 100, not %q", v[0])
		}
		p.usedPercent = n
	}
	n, hasLimit, err := intParam(q, "limit", 1, 1000)
	if err != nil {
		return p, err
	}
	if hasLimit {
		p.limit = n
	}
	if p.offset, _, err = intParam(q, "offset", 0, 1<<31-1); err != nil {
		return p, err
	}
	if v, ok := q["sort"]; ok {
		if p.sort, err = parseSortSpec(v[0], "created_at", "updated_at", "name", "status", "protected_at", "id"); err != nil {
			return p, err
		}
	}
	p.marker = q.Get("marker")
	p.name, p.checkpointID, p.parentID = q.Get("name"), q.Get("checkpoint_id"), q.Get("parent_id")
	p.resourceID, p.resourceName, p.resourceAZ = q.Get("resource_id"), q.Get("resource_name"), q.Get("resource_az")
	return p, nil
}

// sortByKeys sorts list stably by each key in turn, ascending or descending; compare orders two
// elements by one key. Elements equal on every key keep their order.
func sortByKeys[T any](list []T, keys []sortKey, compare func(a, b T, key string) int) {
	sort.SliceStable(list, func(i, j int) bool {
		for _, k := range keys {
			c := compare(list[i], list[j], k.key)
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
}

// parseSortSpec parses "<key>[:asc|desc],..." (at most 255 characters, direction desc
// by default) against the allowed keys.
func parseSortSpec(v string, allowed ...string) ([]sortKey, error) {
	if len(v) > 255 {
		return nil, fmt.Errorf("sort is longer than 255 characters")
	}
	var keys []sortKey
	for _, part := range strings.Split(v, ",") {
		k, dir, hasDir := strings.Cut(part, ":")
		if !slices.Contains(allowed, k) {
			return nil, fmt.Errorf("invalid sort key %q (use %s or %s)", k, strings.Join(allowed[:len(allowed)-1], ", "), allowed[len(allowed)-1])
		}
		sk := sortKey{key: k, desc: true}
		if hasDir {
			switch dir {
			case "asc":
				sk.desc = false
			case "desc":
			default:
				return nil, fmt.Errorf("invalid sort direction %q (use asc or desc)", dir)
			}
		}
		keys = append(keys, sk)
	}
	return keys, nil
}

// listedBackup is a backup as the caller sees it: its own (member nil, the backup's
// vault) or shared with it (the member record; the vault is the caller's once accepted).
type listedBackup struct {
	b       *Backup
	member  *CBRMember
	vaultID string
}

// visibleBackups lists, in world order, what own_type lets the caller see. An accepted
// share is not under private (inference from "only backups the project holds itself").
// Disk backups shared through VBS v2 are not CBR shares and are not listed (inference).
func (s *Server) visibleBackups(me, ownType string) []listedBackup {
	var out []listedBackup
	for i := range s.w.Backups {
		b := &s.w.Backups[i]
		if b.ProjectID == me {
			if ownType != ownShared {
				out = append(out, listedBackup{b: b, vaultID: b.VaultID})
			}
			continue
		}
		if ownType == ownPrivate {
			continue
		}
		if m := s.findCBRMember(b.ID, me); m != nil {
			out = append(out, listedBackup{b: b, member: m, vaultID: m.VaultID})
		}
	}
	return out
}

// matches applies the filters. member_status narrows the shared backups only: the
// caller's own backups have no member status for it (inference).
func (s *Server) backupMatches(lb listedBackup, p *backupListQuery) bool {
	b := lb.b
	switch {
	case p.memberStatus != "" && lb.member != nil && lb.member.Status != p.memberStatus,
		p.resourceType != "" && cbrResourceType(b.ResourceType) != p.resourceType,
		p.vaultID != "" && lb.vaultID != p.vaultID,
		p.statuses != nil && !p.statuses[b.Status],
		p.imageType != "" && p.imageType != "backup",
		p.enterpriseProject != "" && p.enterpriseProject != "0" && p.enterpriseProject != "all_granted_eps",
		p.name != "" && b.Name != p.name,               // exact match (inference)
		p.checkpointID != "" && b.ID != p.checkpointID, // the wire checkpoint_id is the backup ID
		p.parentID != "", // world backups are top-level: no parent
		p.resourceID != "" && b.ResourceID != p.resourceID,
		p.resourceName != "" && b.Name != p.resourceName, // the wire resource_name is the backup name
		p.resourceAZ != "" && s.w.Region+"a" != p.resourceAZ,
		!p.start.IsZero() && b.CreatedAt.Before(p.start),
		!p.end.IsZero() && b.CreatedAt.After(p.end):
		return false
	}
	if p.usedPercent > 0 {
		v := s.findVault(lb.vaultID)
		if v == nil || v.UsedGB*100 < p.usedPercent*v.CapacityGB {
			return false
		}
	}
	return true
}

// compareBackups orders by one sort key. updated_at and protected_at equal created_at
// on the wire, so they sort alike.
func compareBackups(a, b listedBackup, key string) int {
	switch key {
	case "name":
		return strings.Compare(a.b.Name, b.b.Name)
	case "status":
		return strings.Compare(a.b.Status, b.b.Status)
	case "id":
		return strings.Compare(a.b.ID, b.b.ID)
	default:
		return a.b.CreatedAt.Compare(b.b.CreatedAt)
	}
}

// cbrBackupListJSON is a BackupResp in a list: the ShowBackup shape plus the documented
// incremental and version; vault_id is null for a share that is not accepted (no vault of
// the caller holds it yet; inference) and provider_id follows the resource type.
type cbrBackupListJSON struct {
	cbrBackupJSON
	VaultID     *string `json:"vault_id"`
	ProviderID  string  `json:"provider_id"`
	Incremental bool    `json:"incremental"`
	Version     int     `json:"version"`
}

func (s *Server) cbrBackupListWire(lb listedBackup) cbrBackupListJSON {
	provider := cbrProviderServer
	if lb.b.ResourceType == ResourceDisk {
		provider = cbrProviderDisk
	}
	return cbrBackupListJSON{cbrBackupJSON: s.cbrBackupWire(lb.b, lb.vaultID), VaultID: strPtr(lb.vaultID),
		ProviderID: provider, Version: 3}
}

// GET /v3/{project_id}/backups
func (s *Server) cbrListBackups(rc *reqCtx) response {
	p, err := parseBackupListQuery(rc.r.URL.Query())
	if err != nil {
		return cbrParamError(err.Error())
	}
	list := s.visibleBackups(rc.caller.projectID, p.ownType)
	// World order is the last tie-breaker, so pages are deterministic.
	sortByKeys(list, p.sort, compareBackups)
	// The marker is positioned among every backup the caller sees under own_type, so a
	// marker that a filter now hides still works; anything else is 9900 (inference).
	after := -1
	if p.marker != "" {
		for i, lb := range list {
			if lb.b.ID == p.marker {
				after = i
			}
		}
		if after < 0 {
			return cbrParamError(fmt.Sprintf("invalid marker %q: no such backup", p.marker))
		}
	}
	var page []cbrBackupListJSON
	total, skipped := 0, 0
	for i, lb := range list {
		if !s.backupMatches(lb, &p) {
			continue
		}
		total++ // count: every match, before paging (ListBackups)
		if i <= after || len(page) >= p.limit {
			continue
		}
		if skipped < p.offset {
			skipped++
			continue
		}
		page = append(page, s.cbrBackupListWire(lb))
	}
	if page == nil {
		page = []cbrBackupListJSON{}
	}
	// Only backups and count: the keys the documented examples carry (offset and limit
	// are optional in the schema and absent from every example).
	return jsonResponse(http.StatusOK, map[string]any{"backups": page, "count": total})
}
