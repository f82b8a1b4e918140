// Package vbs calls the legacy VBS v2 os-vendor-backup-sharing API for EVS
// disk backups. Sharing is immediate (no accept step); shares are cancelled
// one by one by share ID, never with is_backup_id (which would cancel every
// share of the backup, including ones this provider does not manage).
package vbs

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// listPageSize is the limit per page of ListShares.
const listPageSize = 100

// Share is one share of a backup with one project. Null fields are "";
// timestamps are RFC 3339 UTC.
type Share struct {
	ID, BackupID, FromProjectID, ToProjectID, CreatedAt, UpdatedAt string
}

// ListOpts filters ListShares; empty fields are not sent. ShareToMe lists
// shares received by the client's project instead of those it made.
type ListOpts struct {
	BackupID, ToProjectID, FromProjectID string
	ShareToMe                            bool
}

type wireShare struct {
	ID            *string `json:"id"`
	BackupID      *string `json:"backup_id"`
	FromProjectID *string `json:"from_project_id"`
	ToProjectID   *string `json:"to_project_id"`
	CreatedAt     *string `json:"created_at"`
	UpdatedAt     *string `json:"updated_at"`
}

func (w *wireShare) share() Share {
	if w == nil {
		return Share{}
	}
	return Share{
		ID:            client.StringValue(w.ID),
		BackupID:      client.StringValue(w.BackupID),
		FromProjectID: client.StringValue(w.FromProjectID),
		ToProjectID:   client.StringValue(w.ToProjectID),
		CreatedAt:     client.NormalizeTimePtr(w.CreatedAt),
		UpdatedAt:     client.NormalizeTimePtr(w.UpdatedAt),
	}
}

func convert(ws []wireShare) []Share {
	out := make([]Share, 0, len(ws))
	for i := range ws {
		out = append(out, ws[i].share())
	}
	return out
}

func basePath(c *client.Client) string {
	return "/v2/" + url.PathEscape(c.ProjectID()) + "/os-vendor-backup-sharing"
}

// CreateShares shares backupID with toProjectIDs in one POST; the answer
// has one share per project. A retried POST may have succeeded already, so
// callers reconcile with ListShares on an "already shared" error.
func CreateShares(ctx context.Context, c *client.Client, backupID string, toProjectIDs []string) ([]Share, error) {
	if err := client.CheckIDs("backup_id", backupID); err != nil {
		return nil, err
	}
	body := map[string]any{"shared": map[string]any{"backup_id": backupID, "to_project_ids": toProjectIDs}}
	var out struct {
		Shared []wireShare `json:"shared"`
	}
	err := c.Do(ctx, client.Request{
		Service: client.ServiceVBS, Method: http.MethodPost, Path: basePath(c), Body: body,
		OKStatus: []int{http.StatusOK, http.StatusCreated},
	}, &out)
	if err != nil {
		return nil, err
	}
	return convert(out.Shared), nil
}

// ListShares returns all shares matching opts from GET .../detail, paging
// with limit/offset until a short or empty page.
func ListShares(ctx context.Context, c *client.Client, opts ListOpts) ([]Share, error) {
	q := url.Values{}
	for k, v := range map[string]string{"backup_id": opts.BackupID, "to_project_id": opts.ToProjectID, "from_project_id": opts.FromProjectID} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if opts.ShareToMe {
		q.Set("share_to_me", "true")
	}
	req := client.Request{Service: client.ServiceVBS, Method: http.MethodGet, Path: basePath(c) + "/detail", Query: q, OKStatus: []int{http.StatusOK}}
	return client.ListOffset(ctx, c, req, listPageSize, func(body []byte) (client.Page[Share], error) {
		var l struct {
			Shared []wireShare `json:"shared"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			return client.Page[Share]{}, err
		}
		return client.Page[Share]{Items: convert(l.Shared), Total: -1}, nil
	})
}

// GetShare reads one share by its share ID.
func GetShare(ctx context.Context, c *client.Client, shareID string) (Share, error) {
	if err := client.CheckIDs("share_id", shareID); err != nil {
		return Share{}, err
	}
	var out struct {
		Shared *wireShare `json:"shared"`
	}
	err := c.Do(ctx, client.Request{
		Service: client.ServiceVBS, Method: http.MethodGet, Path: basePath(c) + "/" + url.PathEscape(shareID), OKStatus: []int{http.StatusOK},
	}, &out)
	return out.Shared.share(), err
}

// CancelShare cancels one share by its share ID. It never sends
// is_backup_id, which would cancel every share of the backup.
func CancelShare(ctx context.Context, c *client.Client, shareID string) error {
	if err := client.CheckIDs("share_id", shareID); err != nil {
		return err
	}
	return c.Do(ctx, client.Request{
		Service: client.ServiceVBS, Method: http.MethodDelete, Path: basePath(c) + "/" + url.PathEscape(shareID),
		OKStatus: []int{http.StatusOK, http.StatusNoContent},
	}, nil)
}
