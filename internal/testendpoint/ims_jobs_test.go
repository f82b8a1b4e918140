package testendpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestIMSJobVisibility(t *testing.T) {
	s := startServer(t, DefaultWorld())
	id := submit(t, s, "POST", ownerAK, batchBody([]string{SystemImageID}, Receiver1ProjectID))
	// Another project cannot read the job, even through its own path.
	expect(t, call(t, s, "GET", jobPath(Receiver1ProjectID, id), recv1Tok, nil), 404, "IMG.0404")
	// The path's project must be the caller's.
	expect(t, call(t, s, "GET", jobPath(OwnerProjectID, id), recv1Tok, nil), 403, "APIGW.0302")
	expect(t, call(t, s, "GET", jobPath(OwnerProjectID, "0123456789abcdef0123456789abcdef"), ownerTok, nil), 404, "IMG.0404")
	expect(t, call(t, s, "GET", jobPath(OwnerProjectID, id), noCred, nil), 401, "APIGW.0305")
	// The owner reads it with any credential kind.
	withProject := ownerAK
	withProject.projectID = OwnerProjectID
	expectJob(t, finishJob(t, s, withProject, OwnerProjectID, id), "imsAddImageMembersJob", "SUCCESS", "")
	// Jobs survive SetWorld; the batch calls are logged as IMS requests.
	if err := s.SetWorld(DefaultWorld()); err != nil {
		t.Fatal(err)
	}
	expect(t, call(t, s, "GET", jobPath(OwnerProjectID, id), ownerTok, nil), 200, "")
	for _, rec := range s.Requests() {
		if rec.Service != "ims" {
			t.Errorf("record %+v: service %q, want ims", rec, rec.Service)
		}
	}
	// The batch paths carry no project: an unknown path under /v1 is an unknown API.
	expect(t, call(t, s, "POST", "/v1/"+OwnerProjectID+"/cloudimages/members", ownerTok, batchBody([]string{SystemImageID}, Receiver2ProjectID)), 404, "APIGW.0101")
	expect(t, call(t, s, "GET", batchPath, ownerTok, nil), 404, "APIGW.0101")
}

func TestIMSJobTimes(t *testing.T) {
	s := startServer(t, DefaultWorld())
	begin := time.Date(2024, 11, 6, 6, 30, 0, 778e6, time.UTC)
	s.SetNow(func() time.Time { return begin })
	id := submit(t, s, "POST", ownerTok, batchBody([]string{SystemImageID}, Receiver1ProjectID))
	r := call(t, s, "GET", jobPath(OwnerProjectID, id), ownerTok, nil)
	if r.str("begin_time") != "2024-11-06T06:30:00.778Z" || r.str("end_time") != "" {
		t.Fatalf("running job = %s", r.raw)
	}
	s.SetNow(func() time.Time { return begin.Add(2401 * time.Millisecond) })
	r = call(t, s, "GET", jobPath(OwnerProjectID, id), ownerTok, nil)
	if r.str("end_time") != "2024-11-06T06:30:03.179Z" || r.str("status") != "SUCCESS" {
		t.Fatalf("finished job = %s", r.raw)
	}
	// The member's times are IMS times of the submission.
	if m := call(t, s, "GET", imsMembers(SystemImageID)+"/"+Receiver1ProjectID, ownerTok, nil); m.str("created_at") != "2024-11-06T06:30:00Z" {
		t.Fatalf("member = %s", m.raw)
	}
}

// The job decodes into the response models clients use: the official SDK's ShowJobResponse
// (upper-case status enum, optional strings) and the older SDK's JobStatus (plain strings,
// where a null leaves "").
func TestIMSJobClientModels(t *testing.T) {
	s := startServer(t, DefaultWorld())
	type sdkResult struct {
		ImageID   *string `json:"image_id"`
		ProjectID *string `json:"project_id"`
		Status    *string `json:"status"`
	}
	type sdkJob struct {
		Status     *string `json:"status"`
		JobID      *string `json:"job_id"`
		JobType    *string `json:"job_type"`
		BeginTime  *string `json:"begin_time"`
		EndTime    *string `json:"end_time"`
		ErrorCode  *string `json:"error_code"`
		FailReason *string `json:"fail_reason"`
		Entities   *struct {
			ImageID string       `json:"image_id"`
			Results []*sdkResult `json:"results"`
		} `json:"entities"`
	}
	type gsdkJob struct {
		Status     string         `json:"status"`
		Entities   map[string]any `json:"entities"`
		JobID      string         `json:"job_id"`
		JobType    string         `json:"job_type"`
		BeginTime  string         `json:"begin_time"`
		EndTime    string         `json:"end_time"`
		ErrorCode  string         `json:"error_code"`
		FailReason string         `json:"fail_reason"`
	}
	decode := func(r result, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(r.raw))
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s does not decode: %v", r.raw, err)
		}
	}
	ok := runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{SystemImageID}, Receiver1ProjectID))
	var j sdkJob
	decode(ok, &j)
	if *j.Status != "SUCCESS" || j.ErrorCode != nil || j.FailReason != nil || len(j.Entities.Results) != 1 || *j.Entities.Results[0].Status != "success" {
		t.Fatalf("sdk job = %s", ok.raw)
	}
	failed := runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{SystemImageID}, Receiver1ProjectID))
	var g gsdkJob
	decode(failed, &g)
	if g.Status != "FAIL" || g.ErrorCode != "IMG.0112" || g.FailReason == "" || g.JobType != "imsAddImageMembersJob" {
		t.Fatalf("older SDK job = %+v", g)
	}
	if g.JobID == "" || g.BeginTime == "" || g.EndTime == "" {
		t.Fatalf("older SDK job = %+v", g)
	}
}

// The calls the other Terraform provider of this cloud makes for huaweicloud_images_image_share
// and huaweicloud_images_image_share_accepter, in the order apply, re-plan (its reads make
// no call) and destroy make them: raw requests signed with AK/SK (the APIG signer signs the
// content type and host; X-Project-Id is added unsigned after signing), bodies built from
// maps, and a job wait that accepts INIT/RUNNING as pending and only SUCCESS as done.
func TestIMSBatchOtherProviderFlow(t *testing.T) {
	s := startServer(t, DefaultWorld())
	initial := s.World()
	type client struct {
		ak, sk, project string
	}
	send := func(c *client, method, path string, body any) result {
		t.Helper()
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		u, _ := url.Parse(s.URL() + path)
		req, err := http.NewRequest(method, u.String(), bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		date := time.Now().UTC().Format("20060102T150405Z")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Sdk-Date", date)
		cr, signed := testCanonicalRequest(method, u.Path, u.Query(), [][2]string{
			{"content-type", "application/json"}, {"host", u.Host}, {"x-sdk-date", date},
		}, raw)
		req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+c.ak+", SignedHeaders="+signed+", Signature="+testSignature(c.sk, date, cr))
		if c.project != "" {
			req.Header.Set("X-Project-Id", c.project)
		}
		return sendReq(t, req)
	}
	// Configure: the project ID comes from IAM by region name.
	configure := func(ak, sk string) *client {
		c := &client{ak: ak, sk: sk}
		r := send(c, "GET", "/v3/projects?name="+DefaultRegion, nil)
		expect(t, r, 200, "")
		c.project = r.body["projects"].([]any)[0].(map[string]any)["id"].(string)
		return c
	}
	wait := func(c *client, jobID string) {
		t.Helper()
		for i := 0; i < 10; i++ {
			r := send(c, "GET", "/v1/"+c.project+"/jobs/"+jobID, nil)
			if r.status != 200 {
				t.Fatalf("job poll = %d %s", r.status, r.raw)
			}
			switch st := r.str("status"); st {
			case "INIT", "RUNNING":
				continue
			case "SUCCESS":
				return
			default:
				t.Fatalf("job %s ended in %s: %s", jobID, st, r.raw)
			}
		}
		t.Fatalf("job %s never finished", jobID)
	}
	batch := func(c *client, method string, body map[string]any) {
		t.Helper()
		r := send(c, method, "/v1/cloudimages/members", body)
		if r.status != 200 || r.str("job_id") == "" {
			t.Fatalf("%s = %d %s", method, r.status, r.raw)
		}
		wait(c, r.str("job_id"))
	}
	owner := configure(OwnerAccessKey, OwnerSecretKey)
	receiver := configure(Receiver1AccessKey, Receiver1SecretKey)
	targets := []any{Receiver1ProjectID, Receiver2ProjectID}

	// apply: the share, then the accepter (it references the share's image ID).
	batch(owner, "POST", map[string]any{"images": []any{FullECSImageID}, "projects": targets})
	batch(receiver, "PUT", map[string]any{"images": []any{FullECSImageID}, "project_id": receiver.project, "status": "accepted", "vault_id": Receiver1ServerVaultID})
	if vaultUsed(t, s, Receiver1ServerVaultID) != 10 {
		t.Fatal("the accepted image is not in the vault")
	}
	// update: one project fewer, then one more (added projects POSTed, removed ones DELETEd).
	batch(owner, "DELETE", map[string]any{"images": []any{FullECSImageID}, "projects": []any{Receiver2ProjectID}})
	batch(owner, "POST", map[string]any{"images": []any{FullECSImageID}, "projects": []any{Receiver2ProjectID}})
	// destroy: the accepter rejects (no vault_id), then the share removes every project.
	batch(receiver, "PUT", map[string]any{"images": []any{FullECSImageID}, "project_id": receiver.project, "status": "rejected"})
	batch(owner, "DELETE", map[string]any{"images": []any{FullECSImageID}, "projects": targets})
	if final := s.World(); len(final.ImageMembers) != 0 || vaultUsed(t, s, Receiver1ServerVaultID) != 0 ||
		fmt.Sprint(final.Vaults) != fmt.Sprint(initial.Vaults) {
		t.Fatalf("destroy left %+v", final.ImageMembers)
	}
}

func TestIMSV1ListAndShow(t *testing.T) {
	s := startServer(t, DefaultWorld())
	expectJob(t, runJob(t, s, "POST", ownerTok, OwnerProjectID, batchBody([]string{SystemImageID}, Receiver1ProjectID, Receiver2ProjectID)), "imsAddImageMembersJob", "SUCCESS", "")
	list := v1Members(OwnerProjectID, SystemImageID)
	r := call(t, s, "GET", list+"?limit=1", ownerTok, nil)
	next := r.str("page_info.next_marker")
	if len(r.body["members"].([]any)) != 1 || next == "" || r.body["page_info"].(map[string]any)["current_count"] != 1.0 {
		t.Fatalf("page 1 = %s", r.raw)
	}
	r = call(t, s, "GET", list+"?limit=1&marker="+url.QueryEscape(next), ownerTok, nil)
	expect(t, r, 200, "")
	if _, more := r.body["page_info"].(map[string]any)["next_marker"]; more || len(r.body["members"].([]any)) != 1 {
		t.Fatalf("page 2 = %s", r.raw)
	}
	for _, q := range []string{"?limit=0", "?limit=1001", "?limit=x", "?marker=!!", "?marker=bm9ib2R5"} {
		expect(t, call(t, s, "GET", list+q, ownerTok, nil), 400, "IMG.0001")
	}
	for _, tc := range []apiCase{
		{"stranger lists", v1Members(Receiver2ProjectID, FullECSImageID), recv2Tok, nil, 404, "IMG.0027"},
		{"malformed image", v1Members(OwnerProjectID, "img"), ownerTok, nil, 400, "IMG.0001"},
		{"other project in path", list, recv1Tok, nil, 403, "APIGW.0302"},
		{"member shows another member", v1Members(Receiver1ProjectID, SystemImageID) + "/" + Receiver2ProjectID, recv1Tok, nil, 404, "IMG.0114"},
		{"no such member", list + "/" + OwnerProjectID, ownerTok, nil, 404, "IMG.0114"},
	} {
		t.Run(tc.name, func(t *testing.T) { expect(t, call(t, s, "GET", tc.path, tc.c, nil), tc.status, tc.code) })
	}
	r = call(t, s, "GET", list+"/"+Receiver2ProjectID, ownerTok, nil)
	expect(t, r, 200, "")
	for _, f := range []string{"created_at", "updated_at", "image_id", "member_id", "schema", "status", "member_type"} {
		if r.str(f) == "" {
			t.Errorf("v1 member lacks %s: %s", f, r.raw)
		}
	}
}

func FuzzIMSBatchBodies(f *testing.F) {
	for _, seed := range []string{
		`{"images":["d164b5df-0000-4000-8000-000000000002"],"projects":["075e6035d300d48c2fd0c00b78b71ebf"]}`,
		`{"images":["d164b5df-3ec7-4e77-8571-54e2947da422"],"project_id":"075e6035d300d48c2fd0c00b78b71ebf","status":"accepted","vault_id":"6a1b7c2d-0000-4000-8000-000000000201"}`,
		`{"images":null}`, `{"images":[null]}`, `{"projects":"x"}`, `{"domains":[1]}`, `[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, m := range []string{"POST", "PUT", "DELETE"} {
			fuzzServe(t, s, m, batchPath, OwnerToken, body)
			fuzzServe(t, s, m, batchPath, Receiver1Token, body)
		}
	})
}
