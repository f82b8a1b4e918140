package testendpoint

import "net/http"

// Glance v2 member schemas (GlanceShowImageMemberSchemas, GlanceListImageMemberSchemas):
// GET /v2/schemas/member answers {name,
// properties} and GET /v2/schemas/members {name, properties, links}, the shapes of the
// official SDK's GlanceShowImageMemberSchemasResponse and
// GlanceListImageMemberSchemasResponse. The properties describe exactly what the member
// calls of this endpoint answer (inference: the published pages give the shape, not the
// text).

func memberSchemaProperties() map[string]any {
	text := func(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
	return map[string]any{
		"created_at": text("Time the image was shared with the member, UTC, e.g. 2016-09-01T02:05:14Z."),
		"updated_at": text("Time of the member's last change, UTC."),
		"image_id": map[string]any{"type": "string", "description": "ID of the shared image.",
			"pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
		"member_id": text("Project ID of the member, the project the image is shared with."),
		"member_type": map[string]any{"type": "string", "enum": []string{"project", "domain", "organization"},
			"description": "Kind of member (v1 calls only); this endpoint shares with projects."},
		"schema": map[string]any{"type": "string", "readOnly": true, "description": "URI of this schema."},
		"status": map[string]any{"type": "string", "enum": []string{StatusPending, StatusAccepted, StatusRejected},
			"description": "The member's answer: pending until it accepts or rejects the image."},
	}
}

// GET /v2/schemas/member
func (s *Server) imsShowMemberSchema(*reqCtx) response {
	return jsonResponse(http.StatusOK, map[string]any{"name": "member", "properties": memberSchemaProperties()})
}

// GET /v2/schemas/members
func (s *Server) imsShowMembersSchema(*reqCtx) response {
	member := map[string]any{"name": "member", "properties": memberSchemaProperties()}
	return jsonResponse(http.StatusOK, map[string]any{
		"name": "members",
		"properties": map[string]any{
			"members": map[string]any{"type": "array", "items": member},
			"schema":  map[string]any{"type": "string", "description": "URI of this schema."},
			"page_info": map[string]any{"type": "object", "properties": map[string]any{
				"current_count": map[string]any{"type": "integer", "description": "Members on this page."},
				"next_marker":   map[string]any{"type": "string", "description": "Marker of the next page; absent on the last page."},
			}},
		},
		"links": []versionLink{{Rel: "describedby", Href: "{schema}"}},
	})
}
