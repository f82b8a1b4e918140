package ims

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// Member statuses of an image shared with a project.
const (
	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// MemberStatuses are the statuses in the order ListSharedImages lists them.
var MemberStatuses = []string{StatusPending, StatusAccepted, StatusRejected}

// imagesPageSize is the limit per page of ListSharedImages (/v2/cloudimages
// allows 1–1000).
const imagesPageSize = 500

// Image is an image shared with the caller, as the image list returns it.
// Null or absent fields are ""; timestamps are RFC 3339 UTC.
type Image struct {
	ID, Name   string
	Owner      string // the sharing project
	Status     string // queued, saving, active, killed, deleted
	Visibility string
	ImageType  string // __imagetype
	WholeImage bool   // a full-ECS image
	BackupID   string // __backup_id: the backup it was made from
	DataOrigin string // __data_origin, e.g. "server_backup,<backup_id>"
	MinDiskGB  int
	SizeBytes  int64 // __image_size
	OSType     string
	CreatedAt  string
	UpdatedAt  string
	// MemberStatus is the caller's status for the image: pending, accepted
	// or rejected.
	MemberStatus string
}

// SharedImagesOpts filters ListSharedImages; empty fields are not sent.
type SharedImagesOpts struct {
	MemberStatus string // pending, accepted or rejected; "" lists all three
	Owner        string // the sharing project
	ID, Name     string // name: exact match
	// WholeImage, when non-nil, keeps full-ECS images (true) or the others.
	WholeImage *bool
}

// flexString reads a JSON string, number or boolean as text (IMS sends many
// properties as strings, "true" or "10737418240", and documents some as
// booleans or numbers); null stays "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case string(b) == "true" || string(b) == "false" || (b[0] >= '0' && b[0] <= '9') || b[0] == '-':
		*f = flexString(b)
	default:
		return fmt.Errorf("expected a string, number or boolean, got %.20s", b)
	}
	return nil
}

type wireImage struct {
	ID         *string    `json:"id"`
	Name       *string    `json:"name"`
	Owner      *string    `json:"owner"`
	Status     *string    `json:"status"`
	Visibility *string    `json:"visibility"`
	ImageType  *string    `json:"__imagetype"`
	WholeImage flexString `json:"__whole_image"`
	BackupID   *string    `json:"__backup_id"`
	DataOrigin *string    `json:"__data_origin"`
	MinDisk    *int       `json:"min_disk"`
	ImageSize  flexString `json:"__image_size"`
	OSType     *string    `json:"__os_type"`
	CreatedAt  *string    `json:"created_at"`
	UpdatedAt  *string    `json:"updated_at"`
}

func (w *wireImage) image(status string) Image {
	im := Image{
		ID: client.StringValue(w.ID), Name: client.StringValue(w.Name), Owner: client.StringValue(w.Owner),
		Status: client.StringValue(w.Status), Visibility: client.StringValue(w.Visibility),
		ImageType: client.StringValue(w.ImageType), WholeImage: w.WholeImage == "true",
		BackupID: client.StringValue(w.BackupID), DataOrigin: client.StringValue(w.DataOrigin),
		OSType: client.StringValue(w.OSType), CreatedAt: client.NormalizeTimePtr(w.CreatedAt),
		UpdatedAt: client.NormalizeTimePtr(w.UpdatedAt), MemberStatus: status,
	}
	if w.MinDisk != nil {
		im.MinDiskGB = *w.MinDisk
	}
	im.SizeBytes, _ = strconv.ParseInt(string(w.ImageSize), 10, 64)
	return im
}

// ListSharedImages lists the images other projects shared with the client's
// project (GET /v2/cloudimages?visibility=shared&member_status=...&
// __imagetype=shared, the documented recipe), each with its MemberStatus.
// The response does not say which status an image is in, so with
// opts.MemberStatus empty it makes one listing per status (pending,
// accepted, rejected, in that order). Pages are read with
// marker=<last image ID> until a short or empty page, as the API returns no
// next marker. The project's own shared images are left out.
func ListSharedImages(ctx context.Context, c *client.Client, opts SharedImagesOpts) ([]Image, error) {
	return client.ListEachStatus(MemberStatuses, opts.MemberStatus, func(status string) ([]Image, error) {
		return listSharedImages(ctx, c, opts, status)
	}, func(im Image) (string, bool) {
		// visibility=shared lists the project's own shared images too: they are left out.
		return im.ID, im.Owner != c.ProjectID()
	})
}

func listSharedImages(ctx context.Context, c *client.Client, opts SharedImagesOpts, status string) ([]Image, error) {
	q := url.Values{"visibility": {"shared"}, "member_status": {status}, "__imagetype": {"shared"}, "limit": {strconv.Itoa(imagesPageSize)}}
	for k, v := range map[string]string{"owner": opts.Owner, "id": opts.ID, "name": opts.Name} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if opts.WholeImage != nil {
		q.Set("__whole_image", strconv.FormatBool(*opts.WholeImage))
	}
	req := client.Request{Service: client.ServiceIMS, Method: http.MethodGet, Path: "/v2/cloudimages", Query: q, OKStatus: []int{http.StatusOK}}
	return client.ListMarker(ctx, c, req, func(body []byte) (client.Page[Image], error) {
		var l struct {
			Images []wireImage `json:"images"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			return client.Page[Image]{}, err
		}
		p := client.Page[Image]{Total: -1}
		for i := range l.Images {
			p.Items = append(p.Items, l.Images[i].image(status))
		}
		if len(p.Items) >= imagesPageSize {
			p.Next = p.Items[len(p.Items)-1].ID
		}
		return p, nil
	})
}
