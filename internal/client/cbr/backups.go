package cbr

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// own_type values of ListBackups: the caller's own backups, those other
// projects shared with it, or both.
const (
	OwnTypePrivate    = "private"
	OwnTypeShared     = "shared"
	OwnTypeAllGranted = "all_granted"
)

// Member statuses, as ListBackups' member_status and Member.Status use them.
const (
	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// MemberStatuses are the share statuses in the order ListSharedBackups
// lists them.
var MemberStatuses = []string{StatusPending, StatusAccepted, StatusRejected}

// Resource types of a CBR backup.
const (
	ResourceTypeServer = "OS::Nova::Server"
	ResourceTypeVolume = "OS::Cinder::Volume"
)

// backupsPageSize is the limit per page of ListBackups (the API allows 1–1000).
const backupsPageSize = 200

// Backup is a backup as ListBackups returns it. Null fields are "";
// timestamps are RFC 3339 UTC.
type Backup struct {
	ID, Name, Description, CheckpointID string
	// ProjectID owns the backup: the sharing project for a backup shared
	// with the caller.
	ProjectID string
	// VaultID holds the backup: for a shared backup, the caller's vault once
	// accepted, "" before.
	VaultID string

	ResourceID, ResourceName, ResourceType, ResourceAZ string
	ResourceSizeGB                                     int

	Status, ImageType, ProviderID, EnterpriseProjectID string
	CreatedAt, UpdatedAt, ExpiredAt, ProtectedAt       string
	Encrypted                                          bool
	// ImageIDs are the images registered from it (extend_info.os_images_data).
	ImageIDs []string
	// Shared: another project owns it.
	Shared bool
	// MemberStatus is the caller's share status when known (see ListBackups).
	MemberStatus string
}

// ListBackupsOpts filters ListBackups; empty fields are not sent.
type ListBackupsOpts struct {
	// OwnType is OwnTypePrivate (the API's default), OwnTypeShared or
	// OwnTypeAllGranted.
	OwnType string
	// MemberStatus (pending, accepted or rejected) narrows shared backups.
	MemberStatus string
	ResourceType string // e.g. ResourceTypeServer
	VaultID      string
	Statuses     []string // backup statuses, sent as repeated status= keys
	Name         string   // exact name
	ResourceID   string
	ResourceName string
	CheckpointID string
	ImageType    string // backup or replication
	// EnterpriseProjectID is an ID, "0" or "all_granted_eps".
	EnterpriseProjectID string
	Sort                string // "<key>[:asc|desc],..."
}

func (o ListBackupsOpts) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{
		"own_type": o.OwnType, "member_status": o.MemberStatus, "resource_type": o.ResourceType, "vault_id": o.VaultID,
		"name": o.Name, "resource_id": o.ResourceID, "resource_name": o.ResourceName, "checkpoint_id": o.CheckpointID,
		"image_type": o.ImageType, "enterprise_project_id": o.EnterpriseProjectID, "sort": o.Sort,
	} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for _, s := range o.Statuses {
		q.Add("status", s)
	}
	return q
}

type wireBackup struct {
	ID                  *string `json:"id"`
	Name                *string `json:"name"`
	Description         *string `json:"description"`
	CheckpointID        *string `json:"checkpoint_id"`
	ProjectID           *string `json:"project_id"`
	VaultID             *string `json:"vault_id"`
	ResourceID          *string `json:"resource_id"`
	ResourceName        *string `json:"resource_name"`
	ResourceType        *string `json:"resource_type"`
	ResourceAZ          *string `json:"resource_az"`
	ResourceSize        *int    `json:"resource_size"`
	Status              *string `json:"status"`
	ImageType           *string `json:"image_type"`
	ProviderID          *string `json:"provider_id"`
	EnterpriseProjectID *string `json:"enterprise_project_id"`
	CreatedAt           *string `json:"created_at"`
	UpdatedAt           *string `json:"updated_at"`
	ExpiredAt           *string `json:"expired_at"`
	ProtectedAt         *string `json:"protected_at"`
	ExtendInfo          *struct {
		Encrypted    *bool `json:"encrypted"`
		OSImagesData []struct {
			ImageID *string `json:"image_id"`
		} `json:"os_images_data"`
	} `json:"extend_info"`
}

func (w *wireBackup) backup(me string) Backup {
	b := Backup{
		ID: client.StringValue(w.ID), Name: client.StringValue(w.Name), Description: client.StringValue(w.Description),
		CheckpointID: client.StringValue(w.CheckpointID), ProjectID: client.StringValue(w.ProjectID),
		VaultID: client.StringValue(w.VaultID), ResourceID: client.StringValue(w.ResourceID),
		ResourceName: client.StringValue(w.ResourceName), ResourceType: client.StringValue(w.ResourceType),
		ResourceAZ: client.StringValue(w.ResourceAZ), Status: client.StringValue(w.Status),
		ImageType: client.StringValue(w.ImageType), ProviderID: client.StringValue(w.ProviderID),
		EnterpriseProjectID: client.StringValue(w.EnterpriseProjectID),
		CreatedAt:           client.NormalizeTimePtr(w.CreatedAt), UpdatedAt: client.NormalizeTimePtr(w.UpdatedAt),
		ExpiredAt: client.NormalizeTimePtr(w.ExpiredAt), ProtectedAt: client.NormalizeTimePtr(w.ProtectedAt),
	}
	if w.ResourceSize != nil {
		b.ResourceSizeGB = *w.ResourceSize
	}
	if w.ExtendInfo != nil {
		b.Encrypted = w.ExtendInfo.Encrypted != nil && *w.ExtendInfo.Encrypted
		for _, d := range w.ExtendInfo.OSImagesData {
			if id := client.StringValue(d.ImageID); id != "" {
				b.ImageIDs = append(b.ImageIDs, id)
			}
		}
	}
	b.Shared = b.ProjectID != "" && b.ProjectID != me
	return b
}

// ListBackups lists the backups the client's project sees
// (GET /v3/{project_id}/backups), reading every page by offset (one GET when
// the first page holds them all). BackupResp has no share status, so
// MemberStatus is set only from opts.MemberStatus, on shared backups;
// ListSharedBackups fills it for every status.
func ListBackups(ctx context.Context, c *client.Client, opts ListBackupsOpts) ([]Backup, error) {
	req := client.Request{
		Service: client.ServiceCBR, Method: http.MethodGet, Path: "/v3/" + url.PathEscape(c.ProjectID()) + "/backups",
		Query: opts.query(), OKStatus: []int{http.StatusOK},
	}
	me := c.ProjectID()
	list, err := client.ListOffset(ctx, c, req, backupsPageSize, func(body []byte) (client.Page[Backup], error) {
		var l struct {
			Count   *int         `json:"count"`
			Backups []wireBackup `json:"backups"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			return client.Page[Backup]{}, err
		}
		p := client.Page[Backup]{Total: -1}
		if l.Count != nil {
			p.Total = *l.Count
		}
		for i := range l.Backups {
			p.Items = append(p.Items, l.Backups[i].backup(me))
		}
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	// Offset pages can overlap when backups come and go between GETs.
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, b := range list {
		if b.ID != "" && seen[b.ID] {
			continue
		}
		seen[b.ID] = true
		if b.Shared {
			b.MemberStatus = opts.MemberStatus
		}
		out = append(out, b)
	}
	return out, nil
}

// ListSharedBackups lists the backups other projects shared with the
// client's project (own_type=shared), each with its MemberStatus. With
// opts.MemberStatus empty it makes one listing per status (pending,
// accepted, rejected, in that order), since the response does not say
// which status a backup is in. opts.OwnType is ignored; backups the
// project owns are never returned.
func ListSharedBackups(ctx context.Context, c *client.Client, opts ListBackupsOpts) ([]Backup, error) {
	opts.OwnType = OwnTypeShared
	return client.ListEachStatus(MemberStatuses, opts.MemberStatus, func(status string) ([]Backup, error) {
		opts.MemberStatus = status
		return ListBackups(ctx, c, opts)
	}, func(b Backup) (string, bool) { return b.ID, b.Shared })
}
