// Package ims calls the IMS (Glance v2) image member API,
// /v2/images/{image_id}/members. Paths carry no project ID: the caller's
// project comes from the token scope or the signed X-Project-Id header.
package ims

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/backupshare/terraform-provider-cbr/internal/client"
)

// Member is one project's membership of an image. Null fields are "";
// timestamps are RFC 3339 UTC.
type Member struct {
	ImageID, MemberID, Status, Schema, CreatedAt, UpdatedAt string
}

type wireMember struct {
	ImageID   *string `json:"image_id"`
	MemberID  *string `json:"member_id"`
	Status    *string `json:"status"`
	Schema    *string `json:"schema"`
	CreatedAt *string `json:"created_at"`
	UpdatedAt *string `json:"updated_at"`
}

func (w *wireMember) member() Member {
	if w == nil {
		return Member{}
	}
	return Member{
		ImageID:   client.StringValue(w.ImageID),
		MemberID:  client.StringValue(w.MemberID),
		Status:    client.StringValue(w.Status),
		Schema:    client.StringValue(w.Schema),
		CreatedAt: client.NormalizeTimePtr(w.CreatedAt),
		UpdatedAt: client.NormalizeTimePtr(w.UpdatedAt),
	}
}

// pageInfo accepts both documented shapes: the schema's object
// {current_count, next_marker} and the example's array of such objects.
type pageInfo struct {
	NextMarker string
}

type pageInfoEntry struct {
	NextMarker *string `json:"next_marker"`
}

// UnmarshalJSON implements json.Unmarshaler for either shape; anything else
// (null, a string) means "no next page".
func (p *pageInfo) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '{':
		var e pageInfoEntry
		if err := json.Unmarshal(b, &e); err != nil {
			return err
		}
		p.NextMarker = client.StringValue(e.NextMarker)
	case b[0] == '[':
		var es []pageInfoEntry
		if err := json.Unmarshal(b, &es); err != nil {
			return err
		}
		for _, e := range es {
			if m := client.StringValue(e.NextMarker); m != "" {
				p.NextMarker = m
			}
		}
	}
	return nil
}

func membersPath(imageID string) string {
	return "/v2/images/" + url.PathEscape(imageID) + "/members"
}

func memberPath(imageID, memberID string) string {
	return membersPath(imageID) + "/" + url.PathEscape(memberID)
}

// do runs a call that answers with one member object.
func do(ctx context.Context, c *client.Client, req client.Request) (Member, error) {
	var w wireMember
	if err := c.Do(ctx, req, &w); err != nil {
		return Member{}, err
	}
	return w.member(), nil
}

// AddMember shares imageID with projectID (the owner's call). A duplicate
// add is a 409 conflict; callers adopt the existing member.
func AddMember(ctx context.Context, c *client.Client, imageID, projectID string) (Member, error) {
	if err := client.CheckIDs("image_id", imageID, "project_id", projectID); err != nil {
		return Member{}, err
	}
	return do(ctx, c, client.Request{
		Service: client.ServiceIMS, Method: http.MethodPost, Path: membersPath(imageID),
		Body: map[string]string{"member": projectID}, OKStatus: []int{http.StatusOK, http.StatusCreated},
	})
}

// ListMembers returns all members of imageID, following page_info.next_marker.
func ListMembers(ctx context.Context, c *client.Client, imageID string) ([]Member, error) {
	if err := client.CheckIDs("image_id", imageID); err != nil {
		return nil, err
	}
	req := client.Request{Service: client.ServiceIMS, Method: http.MethodGet, Path: membersPath(imageID), OKStatus: []int{http.StatusOK}}
	return client.ListMarker(ctx, c, req, func(body []byte) (client.Page[Member], error) {
		var l struct {
			Members  []wireMember `json:"members"`
			PageInfo pageInfo     `json:"page_info"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			return client.Page[Member]{}, err
		}
		p := client.Page[Member]{Total: -1, Next: l.PageInfo.NextMarker}
		for i := range l.Members {
			p.Items = append(p.Items, l.Members[i].member())
		}
		return p, nil
	})
}

// GetMember reads memberID's membership of imageID.
func GetMember(ctx context.Context, c *client.Client, imageID, memberID string) (Member, error) {
	if err := client.CheckIDs("image_id", imageID, "member_id", memberID); err != nil {
		return Member{}, err
	}
	return do(ctx, c, client.Request{Service: client.ServiceIMS, Method: http.MethodGet, Path: memberPath(imageID, memberID), OKStatus: []int{http.StatusOK}})
}

// UpdateMemberStatus is the recipient's accept or reject. vaultID is
// required when accepting a full-ECS image made from a CBR backup and is
// omitted when empty.
func UpdateMemberStatus(ctx context.Context, c *client.Client, imageID, memberID, status, vaultID string) (Member, error) {
	if err := client.CheckIDs("image_id", imageID, "member_id", memberID, "status", status); err != nil {
		return Member{}, err
	}
	body := map[string]string{"status": status}
	if vaultID != "" {
		body["vault_id"] = vaultID
	}
	return do(ctx, c, client.Request{Service: client.ServiceIMS, Method: http.MethodPut, Path: memberPath(imageID, memberID), Body: body, OKStatus: []int{http.StatusOK}})
}

// DeleteMember stops sharing imageID with memberID (the owner's call; 204).
func DeleteMember(ctx context.Context, c *client.Client, imageID, memberID string) error {
	if err := client.CheckIDs("image_id", imageID, "member_id", memberID); err != nil {
		return err
	}
	return c.Do(ctx, client.Request{
		Service: client.ServiceIMS, Method: http.MethodDelete, Path: memberPath(imageID, memberID),
		OKStatus: []int{http.StatusNoContent, http.StatusOK},
	}, nil)
}
