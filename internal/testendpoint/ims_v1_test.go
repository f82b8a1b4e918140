package testendpoint

import (
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

const batchPath = "/v1/cloudimages/members"

var (
	jobIDRe   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	jobTimeRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

func jobPath(project, job string) string { return "/v1/" + project + "/jobs/" + job }

func v1Members(project, image string) string {
	return "/v1/" + project + "/cloudimages/" + image + "/members"
}

func batchBody(images []string, projects ...string) map[string]any {
	return map[string]any{"images": images, "projects": projects}
}

func answerBody(images []string, project, status, vault string) map[string]any {
	b := map[string]any{"images": images, "project_id": project, "status": status}
	if vault != "" {
		b["vault_id"] = vault
	}
	return b
}

// submit sends a batch call and returns its job ID.
func submit(t *testing.T, s *Server, method string, c cred, body any) string {
	t.Helper()
	r := call(t, s, method, batchPath, c, body)
	expect(t, r, 200, "")
	id := r.str("job_id")
	if !jobIDRe.MatchString(id) || len(r.body) != 1 {
		t.Fatalf("%s %s = %s, want {\"job_id\":...}", method, batchPath, r.raw)
	}
	return id
}

// finishJob polls a job as a client does: the first answer is RUNNING, the next the outcome.
func finishJob(t *testing.T, s *Server, c cred, project, id string) result {
	t.Helper()
	r := call(t, s, "GET", jobPath(project, id), c, nil)
	expect(t, r, 200, "")
	if r.str("status") != "RUNNING" || r.str("end_time") != "" || r.body["error_code"] != nil || r.body["fail_reason"] != nil {
		t.Fatalf("first poll = %s, want RUNNING", r.raw)
	}
	r = call(t, s, "GET", jobPath(project, id), c, nil)
	expect(t, r, 200, "")
	if st := r.str("status"); st != "SUCCESS" && st != "FAIL" {
		t.Fatalf("second poll = %s, want SUCCESS or FAIL", r.raw)
	}
	if r.str("job_id") != id || !jobTimeRe.MatchString(r.str("begin_time")) || !jobTimeRe.MatchString(r.str("end_time")) {
		t.Fatalf("job = %s", r.raw)
	}
	again := call(t, s, "GET", jobPath(project, id), c, nil)
	if string(again.raw) != string(r.raw) {
		t.Fatalf("a finished job changed: %s then %s", r.raw, again.raw)
	}
	return r
}

// runJob submits a batch and polls it to the end.
func runJob(t *testing.T, s *Server, method string, c cred, project string, body any) result {
	t.Helper()
	return finishJob(t, s, c, project, submit(t, s, method, c, body))
}

func expectJob(t *testing.T, r result, jobType, status, code string) {
	t.Helper()
	if r.str("job_type") != jobType || r.str("status") != status {
		t.Fatalf("job = %s, want %s %s", r.raw, jobType, status)
	}
	if status == "SUCCESS" && (r.body["error_code"] != nil || r.body["fail_reason"] != nil) {
		t.Fatalf("successful job with an error: %s", r.raw)
	}
	if status == "FAIL" && (r.str("error_code") != code || r.str("fail_reason") == "") {
		t.Fatalf("failed job = %s, want error_code %s and a fail_reason", r.raw, code)
	}
}

func jobResults(r result) []map[string]any {
	var out []map[string]any
	for _, x := range r.body["entities"].(map[string]any)["results"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestIMSBatchLifecycle(t *testing.T) {
	s := startServer(t, DefaultWorld())
	both := []string{FullECSImageID, SystemImageID}
	r := runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody(both, Receiver1ProjectID, Receiver2ProjectID))
	expectJob(t, r, "imsAddImageMembersJob", "SUCCESS", "")
	if res := jobResults(r); len(res) != 4 || res[0]["image_id"] != FullECSImageID || res[0]["project_id"] != Receiver1ProjectID || res[0]["status"] != "success" {
		t.Fatalf("results = %v", res)
	}
	// The members are the v2 calls' members.
	r = call(t, s, "GET", imsMembers(FullECSImageID)+"/"+Receiver2ProjectID, recv2Tok, nil)
	expect(t, r, 200, "")
	if r.str("status") != "pending" {
		t.Fatalf("v2 member = %s", r.raw)
	}
	// v1 list: the owner sees all, with member_type; a member only itself.
	r = call(t, s, "GET", v1Members(OwnerProjectID, FullECSImageID), ownerAK, nil)
	expect(t, r, 200, "")
	ms := r.body["members"].([]any)
	m0 := ms[0].(map[string]any)
	if len(ms) != 2 || m0["member_type"] != "project" || m0["schema"] != "/v2/schemas/member" || m0["status"] != "pending" ||
		r.str("schema") != "/v2/schemas/members" || r.body["page_info"].(map[string]any)["current_count"] != 2.0 {
		t.Fatalf("v1 list = %s", r.raw)
	}
	r = call(t, s, "GET", v1Members(Receiver1ProjectID, FullECSImageID), recv1Tok, nil)
	if ms := r.body["members"].([]any); len(ms) != 1 || ms[0].(map[string]any)["member_id"] != Receiver1ProjectID {
		t.Fatalf("member's v1 list = %s", r.raw)
	}

	// The receiver accepts both: the full-ECS image into its vault, the system image plainly.
	r = runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{FullECSImageID}, Receiver1ProjectID, "accepted", Receiver1ServerVaultID))
	expectJob(t, r, "imsUpdateImageMembersJob", "SUCCESS", "")
	if res := jobResults(r); len(res) != 1 || res[0]["project_id"] != Receiver1ProjectID {
		t.Fatalf("results = %v", res)
	}
	expectJob(t, runJob(t, s, "PUT", recv1AK, Receiver1ProjectID, answerBody([]string{SystemImageID}, Receiver1ProjectID, "accepted", "")), "imsUpdateImageMembersJob", "SUCCESS", "")
	if vaultUsed(t, s, Receiver1ServerVaultID) != 10 {
		t.Fatal("accepting the full-ECS image did not charge the vault")
	}
	r = call(t, s, "GET", v1Members(Receiver1ProjectID, FullECSImageID)+"/"+Receiver1ProjectID, recv1Tok, nil)
	expect(t, r, 200, "")
	if r.str("status") != "accepted" || r.str("member_type") != "project" || r.str("image_id") != FullECSImageID || !imsTimeRe.MatchString(r.str("updated_at")) {
		t.Fatalf("v1 show = %s", r.raw)
	}
	// Accepting again is idempotent; rejecting frees the vault.
	expectJob(t, runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{FullECSImageID}, Receiver1ProjectID, "accepted", Receiver1ServerVaultID)), "imsUpdateImageMembersJob", "SUCCESS", "")
	if vaultUsed(t, s, Receiver1ServerVaultID) != 10 {
		t.Fatal("an idempotent accept charged twice")
	}
	expectJob(t, runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody(both, Receiver1ProjectID, "rejected", "")), "imsUpdateImageMembersJob", "SUCCESS", "")
	if vaultUsed(t, s, Receiver1ServerVaultID) != 0 {
		t.Fatal("rejecting did not free the vault")
	}
	expectJob(t, runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{FullECSImageID}, Receiver1ProjectID, "accepted", Receiver1ServerVaultID)), "imsUpdateImageMembersJob", "SUCCESS", "")

	// Delete: the published delete job lists no results; deleting frees the vault.
	r = runJob(t, s, "DELETE", ownerTok, OwnerProjectID, batchBody(both, Receiver1ProjectID, Receiver2ProjectID))
	expectJob(t, r, "imsDelImageMembersJob", "SUCCESS", "")
	if res := jobResults(r); len(res) != 0 {
		t.Fatalf("delete results = %v", res)
	}
	if w := s.World(); len(w.ImageMembers) != 0 || vaultUsed(t, s, Receiver1ServerVaultID) != 0 {
		t.Fatalf("after delete: members %v", w.ImageMembers)
	}
	expect(t, call(t, s, "GET", v1Members(Receiver1ProjectID, FullECSImageID), recv1Tok, nil), 404, "IMG.0027")
}

// Every rule of the v2 calls fails the job with the v2 call's code, and changes nothing.
func TestIMSBatchJobFailures(t *testing.T) {
	w := DefaultWorld()
	w.ImageMembers = []ImageMember{{ImageID: FullECSImageID, MemberID: Receiver1ProjectID, Status: StatusPending, CreatedAt: defaultTime, UpdatedAt: defaultTime}}
	full := []string{FullECSImageID}
	unknownImage := "d164b5df-0000-4000-8000-0000000000ff"
	tests := []struct {
		name, method string
		c            cred
		project      string
		body         any
		code         string
	}{
		{"receiver adds", "POST", recv1Tok, Receiver1ProjectID, batchBody([]string{FullECSImageID}, Receiver2ProjectID), "IMG.0106"},
		{"stranger adds", "POST", recv2Tok, Receiver2ProjectID, batchBody([]string{FullECSImageID}, Receiver1ProjectID), "IMG.0027"},
		{"own project", "POST", ownerTok, OwnerProjectID, batchBody(full, OwnerProjectID), "IMG.0076"},
		{"unknown project", "POST", ownerTok, OwnerProjectID, batchBody(full, fmt.Sprintf("%032x", 7)), "IMG.0108"},
		{"malformed project", "POST", ownerTok, OwnerProjectID, batchBody(full, "xyz"), "IMG.0108"},
		{"unknown image", "POST", ownerTok, OwnerProjectID, batchBody([]string{unknownImage}, Receiver2ProjectID), "IMG.0027"},
		{"malformed image", "POST", ownerTok, OwnerProjectID, batchBody([]string{"img"}, Receiver2ProjectID), "IMG.0001"},
		{"already a member", "POST", ownerTok, OwnerProjectID, batchBody(full, Receiver2ProjectID, Receiver1ProjectID), "IMG.0112"},
		{"accept without vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", ""), "IMG.0001"},
		{"unknown vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", "6a1b7c2d-0000-4000-8000-0000000009ff"), "IMG.0184"},
		{"malformed vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", "v"), "IMG.0184"},
		{"foreign vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", Receiver2ServerVaultID), "IMG.0184"},
		{"disk vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", Receiver1DiskVaultID), "IMG.0193"},
		{"full vault", "PUT", recv1Tok, Receiver1ProjectID, answerBody(full, Receiver1ProjectID, "accepted", Receiver1FullVaultID), "IMG.0182"},
		{"answer for another project", "PUT", ownerTok, OwnerProjectID, answerBody(full, Receiver1ProjectID, "accepted", Receiver1ServerVaultID), "IMG.0106"},
		{"answer by a non-member", "PUT", recv2Tok, Receiver2ProjectID, answerBody(full, Receiver2ProjectID, "accepted", Receiver2ServerVaultID), "IMG.0027"},
		{"answer an image not shared", "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{SystemImageID}, Receiver1ProjectID, "rejected", ""), "IMG.0027"},
		{"delete a non-member", "DELETE", ownerTok, OwnerProjectID, batchBody(full, Receiver1ProjectID, Receiver2ProjectID), "IMG.0114"},
		{"receiver deletes", "DELETE", recv1Tok, Receiver1ProjectID, batchBody(full, Receiver1ProjectID), "IMG.0106"},
	}
	types := map[string]string{"POST": "imsAddImageMembersJob", "PUT": "imsUpdateImageMembersJob", "DELETE": "imsDelImageMembersJob"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, w)
			before := s.World()
			r := runJob(t, s, tc.method, tc.c, tc.project, tc.body)
			expectJob(t, r, types[tc.method], "FAIL", tc.code)
			if res := jobResults(r); len(res) != 0 {
				t.Errorf("failed job lists results %v", res)
			}
			if after := s.World(); !reflect.DeepEqual(after, before) {
				t.Errorf("a failed job changed the world:\n%+v\n%+v", before.ImageMembers, after.ImageMembers)
			}
		})
	}
}

// A batch is all or nothing: a later failure undoes the earlier steps, vault charges included.
func TestIMSBatchAllOrNothing(t *testing.T) {
	const second = "d164b5df-0000-4000-8000-000000000003"
	const vault = "6a1b7c2d-0000-4000-8000-000000000204" // 15 GB free: room for one 10 GB image
	w := DefaultWorld()
	w.Images = append(w.Images, Image{ID: second, ProjectID: OwnerProjectID, Name: "full-ecs-image-2", BackupID: ServerBackup2ID, SizeGB: 10})
	w.Vaults = append(w.Vaults, Vault{ID: vault, ProjectID: Receiver1ProjectID, Name: "small", ResourceType: ResourceServer, CapacityGB: 20, UsedGB: 5})
	s := startServer(t, w)

	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{FullECSImageID}, Receiver1ProjectID, "0123456789abcdef0123456789abcdef")),
		"imsAddImageMembersJob", "FAIL", "IMG.0108")
	if len(s.World().ImageMembers) != 0 {
		t.Fatal("a failed add kept its first member")
	}
	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{FullECSImageID, second}, Receiver1ProjectID)), "imsAddImageMembersJob", "SUCCESS", "")
	r := runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{FullECSImageID, second}, Receiver1ProjectID, "accepted", vault))
	expectJob(t, r, "imsUpdateImageMembersJob", "FAIL", "IMG.0182")
	if vaultUsed(t, s, vault) != 5 {
		t.Fatalf("vault used = %d after a failed batch, want 5", vaultUsed(t, s, vault))
	}
	for _, m := range s.World().ImageMembers {
		if m.Status != StatusPending {
			t.Fatalf("member %+v changed by a failed batch", m)
		}
	}
	expectJob(t, runJob(t, s, "PUT", recv1Tok, Receiver1ProjectID, answerBody([]string{second}, Receiver1ProjectID, "accepted", vault)), "imsUpdateImageMembersJob", "SUCCESS", "")
	if vaultUsed(t, s, vault) != 15 {
		t.Fatalf("vault used = %d, want 15", vaultUsed(t, s, vault))
	}
}

// The quota counts the members a batch adds: 10 for a full-ECS image, 256 otherwise.
func TestIMSBatchQuota(t *testing.T) {
	w := DefaultWorld()
	w.Domains = append(w.Domains, Domain{ID: "extra-domain", Name: "extra"})
	var extra []string
	for i := 1; i <= 11; i++ {
		p := fmt.Sprintf("%032x", i)
		extra = append(extra, p)
		w.Projects = append(w.Projects, Project{ID: p, Name: fmt.Sprintf("p%d", i), DomainID: "extra-domain"})
		if i <= 9 {
			w.ImageMembers = append(w.ImageMembers, ImageMember{ImageID: FullECSImageID, MemberID: p, Status: StatusPending, CreatedAt: defaultTime, UpdatedAt: defaultTime})
		}
	}
	s := startServer(t, w)
	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{FullECSImageID}, extra[9], extra[10])), "imsAddImageMembersJob", "FAIL", "IMG.0088")
	if len(s.World().ImageMembers) != 9 {
		t.Fatal("a batch over the quota added members")
	}
	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{FullECSImageID}, extra[9])), "imsAddImageMembersJob", "SUCCESS", "")
	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{SystemImageID}, extra...)), "imsAddImageMembersJob", "SUCCESS", "")
}

// A malformed request gets 400 IMG.0001 at once, and no job.
func TestIMSBatchBadRequests(t *testing.T) {
	s := startServer(t, DefaultWorld())
	img := `["` + FullECSImageID + `"]`
	proj := `["` + Receiver1ProjectID + `"]`
	for _, tc := range []struct {
		name, method, body string
	}{
		{"invalid json", "POST", `{"images":`},
		{"empty body", "POST", ``},
		{"not an object", "DELETE", `[]`},
		{"unknown field", "POST", `{"images":` + img + `,"projects":` + proj + `,"members":[]}`},
		{"images missing", "POST", `{"projects":` + proj + `}`},
		{"images empty", "DELETE", `{"images":[],"projects":` + proj + `}`},
		{"projects missing", "POST", `{"images":` + img + `}`},
		{"projects null", "POST", `{"images":` + img + `,"projects":null}`},
		{"projects empty", "DELETE", `{"images":` + img + `,"projects":[]}`},
		{"project not a string", "POST", `{"images":` + img + `,"projects":[1]}`},
		{"null project", "POST", `{"images":` + img + `,"projects":[null]}`},
		{"duplicate image", "POST", `{"images":["` + FullECSImageID + `","` + FullECSImageID + `"],"projects":` + proj + `}`},
		{"duplicate project", "DELETE", `{"images":` + img + `,"projects":["` + Receiver1ProjectID + `","` + Receiver1ProjectID + `"]}`},
		{"domains", "POST", `{"images":` + img + `,"projects":` + proj + `,"domains":["d"]}`},
		{"organizations", "POST", `{"images":` + img + `,"projects":` + proj + `,"organizations":["organizations::x:organization:o-1"]}`},
		{"status pending", "PUT", `{"images":` + img + `,"project_id":"` + Receiver1ProjectID + `","status":"pending"}`},
		{"status missing", "PUT", `{"images":` + img + `,"project_id":"` + Receiver1ProjectID + `"}`},
		{"project_id missing", "PUT", `{"images":` + img + `,"status":"rejected"}`},
		{"project_id empty", "PUT", `{"images":` + img + `,"project_id":"","status":"rejected"}`},
		{"images missing in update", "PUT", `{"project_id":"` + Receiver1ProjectID + `","status":"rejected"}`},
		{"vault wrong type", "PUT", `{"images":` + img + `,"project_id":"` + Receiver1ProjectID + `","status":"accepted","vault_id":1}`},
		{"projects in update", "PUT", `{"images":` + img + `,"projects":` + proj + `,"status":"rejected"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, tc.method, batchPath, recv1Tok, tc.body)
			expect(t, r, 400, "IMG.0001")
			if r.str("error.message") == "" || r.body["job_id"] != nil {
				t.Fatalf("body = %s", r.raw)
			}
		})
	}
	// Empty domains and organizations lists are fine.
	submit(t, s, "POST", ownerTok, `{"images":`+img+`,"projects":`+proj+`,"domains":[],"organizations":null}`)
	if len(s.World().ImageMembers) != 1 {
		t.Fatal("the batch did not run")
	}
}
