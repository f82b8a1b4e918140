// Package cbr calls the CBR v3 backup share member API
// (/v3/{project_id}/backups/{backup_id}/members). The owner adds, lists and
// deletes members; the recipient shows and updates its own member record,
// whose member ID is its project ID.
package cbr

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// Error codes callers branch on. Not-found codes (backup, member, vault)
// also match errors.Is(err, client.ErrNotFound).
const (
	CodeAlreadyShared  = "BackupService.6703" // the backup has been shared (with that project)
	CodeAlreadyMember  = "BackupService.6714" // cannot be shared to the same member again
	CodeMemberNotFound = "BackupService.6705"
)

// listPageSize is the limit per page of ListMembers.
const listPageSize = 100

// Member is a share record. Null fields are ""; timestamps are RFC 3339 UTC.
// DestProjectID is also the member ID used in paths.
type Member struct {
	ID, BackupID, DestProjectID, Status, VaultID, ImageID, CreatedAt, UpdatedAt string
}

// ListOpts filters ListMembers; empty fields are not sent.
type ListOpts struct {
	DestProjectID, ImageID, Status, VaultID, Sort string
}

type wireMember struct {
	ID            *string `json:"id"`
	BackupID      *string `json:"backup_id"`
	DestProjectID *string `json:"dest_project_id"`
	Status        *string `json:"status"`
	VaultID       *string `json:"vault_id"`
	ImageID       *string `json:"image_id"`
	CreatedAt     *string `json:"created_at"`
	UpdatedAt     *string `json:"updated_at"`
}

func (w *wireMember) member() Member {
	if w == nil {
		return Member{}
	}
	return Member{
		ID:            client.StringValue(w.ID),
		BackupID:      client.StringValue(w.BackupID),
		DestProjectID: client.StringValue(w.DestProjectID),
		Status:        client.StringValue(w.Status),
		VaultID:       client.StringValue(w.VaultID),
		ImageID:       client.StringValue(w.ImageID),
		CreatedAt:     client.NormalizeTimePtr(w.CreatedAt),
		UpdatedAt:     client.NormalizeTimePtr(w.UpdatedAt),
	}
}

type membersList struct {
	Count   *int         `json:"count"` // total matching; absent in AddMember answers
	Members []wireMember `json:"members"`
}

type memberResp struct {
	Member *wireMember `json:"member"`
}

func convert(ws []wireMember) []Member {
	out := make([]Member, 0, len(ws))
	for i := range ws {
		out = append(out, ws[i].member())
	}
	return out
}

func membersPath(c *client.Client, backupID string) string {
	return "/v3/" + url.PathEscape(c.ProjectID()) + "/backups/" + url.PathEscape(backupID) + "/members"
}

func memberPath(c *client.Client, backupID, memberID string) string {
	return membersPath(c, backupID) + "/" + url.PathEscape(memberID)
}

// AddMembers shares backupID with projectIDs (1–10) in one POST in the
// client's project. The API reports an existing member as
// CodeAlreadyShared/CodeAlreadyMember; a retried POST may hit that after
// the first attempt succeeded, so callers treat those codes as "adopt".
func AddMembers(ctx context.Context, c *client.Client, backupID string, projectIDs []string) ([]Member, error) {
	if err := client.CheckIDs("backup_id", backupID); err != nil {
		return nil, err
	}
	var out membersList
	err := c.Do(ctx, client.Request{
		Service: client.ServiceCBR, Method: http.MethodPost, Path: membersPath(c, backupID),
		Body:     map[string][]string{"members": projectIDs},
		OKStatus: []int{http.StatusOK, http.StatusCreated},
	}, &out)
	if err != nil {
		return nil, err
	}
	return convert(out.Members), nil
}

// ListMembers returns every member of backupID that matches opts, reading
// all pages (one GET when the first page holds them all).
func ListMembers(ctx context.Context, c *client.Client, backupID string, opts ListOpts) ([]Member, error) {
	if err := client.CheckIDs("backup_id", backupID); err != nil {
		return nil, err
	}
	q := url.Values{}
	for k, v := range map[string]string{
		"dest_project_id": opts.DestProjectID, "image_id": opts.ImageID,
		"status": opts.Status, "vault_id": opts.VaultID, "sort": opts.Sort,
	} {
		if v != "" {
			q.Set(k, v)
		}
	}
	req := client.Request{Service: client.ServiceCBR, Method: http.MethodGet, Path: membersPath(c, backupID), Query: q, OKStatus: []int{http.StatusOK}}
	return client.ListOffset(ctx, c, req, listPageSize, func(body []byte) (client.Page[Member], error) {
		var l membersList
		if err := json.Unmarshal(body, &l); err != nil {
			return client.Page[Member]{}, err
		}
		p := client.Page[Member]{Items: convert(l.Members), Total: -1}
		if l.Count != nil {
			p.Total = *l.Count
		}
		return p, nil
	})
}

// GetMember reads one member; memberID is the recipient's project ID. The
// path project is the client's project: the owner's for the owner, the
// recipient's own for the recipient.
func GetMember(ctx context.Context, c *client.Client, backupID, memberID string) (Member, error) {
	if err := client.CheckIDs("backup_id", backupID, "member_id", memberID); err != nil {
		return Member{}, err
	}
	var out memberResp
	err := c.Do(ctx, client.Request{
		Service: client.ServiceCBR, Method: http.MethodGet, Path: memberPath(c, backupID, memberID), OKStatus: []int{http.StatusOK},
	}, &out)
	return out.Member.member(), err
}

// UpdateMemberStatus is the recipient's accept ("accepted", with vaultID)
// or reject ("rejected"; vaultID is then omitted when empty). The path
// project is the client's project.
func UpdateMemberStatus(ctx context.Context, c *client.Client, backupID, memberID, status, vaultID string) (Member, error) {
	if err := client.CheckIDs("backup_id", backupID, "member_id", memberID, "status", status); err != nil {
		return Member{}, err
	}
	body := map[string]string{"status": status}
	if vaultID != "" {
		body["vault_id"] = vaultID
	}
	var out memberResp
	err := c.Do(ctx, client.Request{
		Service: client.ServiceCBR, Method: http.MethodPut, Path: memberPath(c, backupID, memberID), Body: body, OKStatus: []int{http.StatusOK},
	}, &out)
	return out.Member.member(), err
}

// GetBackupProject returns the project that owns backupID (ShowBackup,
// GET /v3/{project_id}/backups/{backup_id}). A receiver that accepted the
// backup sees it too, with the owner's project.
func GetBackupProject(ctx context.Context, c *client.Client, backupID string) (string, error) {
	if err := client.CheckIDs("backup_id", backupID); err != nil {
		return "", err
	}
	var out struct {
		Backup *struct {
			ProjectID *string `json:"project_id"`
		} `json:"backup"`
	}
	err := c.Do(ctx, client.Request{
		Service: client.ServiceCBR, Method: http.MethodGet,
		Path:     "/v3/" + url.PathEscape(c.ProjectID()) + "/backups/" + url.PathEscape(backupID),
		OKStatus: []int{http.StatusOK},
	}, &out)
	if err != nil || out.Backup == nil {
		return "", err
	}
	return client.StringValue(out.Backup.ProjectID), nil
}

// DeleteMember stops sharing backupID with memberID (the owner's call;
// 204). A gone member or backup is errors.Is(err, client.ErrNotFound).
func DeleteMember(ctx context.Context, c *client.Client, backupID, memberID string) error {
	if err := client.CheckIDs("backup_id", backupID, "member_id", memberID); err != nil {
		return err
	}
	return c.Do(ctx, client.Request{
		Service: client.ServiceCBR, Method: http.MethodDelete, Path: memberPath(c, backupID, memberID),
		OKStatus: []int{http.StatusNoContent, http.StatusOK},
	}, nil)
}
