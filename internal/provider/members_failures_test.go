package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

// Failure scenarios of the member resources: answers that are not "gone", and changes that fail
// part-way. After every failed step the endpoint's world and the state must agree.

// unknownProject has a project ID's shape but is no project of the world; it sorts after every
// project of the default world, so that IMS adds it last.
const unknownProject = "ffffffffffffffffffffffffffffffff"

// errRE matches an error that contains the parts in order. Spaces in a part match any white space,
// because Terraform wraps the lines of a diagnostic.
func errRE(parts ...string) *regexp.Regexp {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(strings.Join(parts, `[\s\S]*`))
}

// setFaults replaces the endpoint's faults (a PreConfig).
func setFaults(e *accEnv, faults ...testendpoint.Fault) func() {
	return func() { e.Endpoint.SetFaults(faults) }
}

// expectStateMembers checks the state's members of addr.
func expectStateMembers(addr string, members ...string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(addr, "members.#", fmt.Sprint(len(members)))}
	for _, m := range members {
		checks = append(checks, resource.TestCheckTypeSetElemAttr(addr, "members.*", m))
	}
	return resource.ComposeTestCheckFunc(checks...)
}

// notGone: a 404 from the gateway or a proxy's HTML page is an error that names the URL and the
// endpoint to check, on refresh and on destroy; the member stays in the state and in the cloud.
func testAccMemberNotGone(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1 := tk.parent(e), e.Receiver1.ProjectID
	owner := e.apiClient(t, e.Owner)
	cfg := tk.config(t, e, parent, r1)
	list := tk.faultBase + tk.listSuffix
	stillShared := func(*terraform.State) error { return tk.expectMembers(owner, parent, []string{r1}, nil) }
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{Config: cfg, ConfigStateChecks: tk.stateChecks(e, parent, r1)},
			{
				PreConfig:   setFaults(e, testendpoint.Fault{Method: "GET", Path: list, Status: 404}),
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: errRE("APIGW.0101", "GET "+e.URL+"/v", "answered; this answer is the API gateway's", `not treat it as "gone"`, "Check endpoints."),
			},
			{
				PreConfig: setFaults(e, testendpoint.Fault{Method: "GET", Path: list, Status: 404,
					Body: "<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>"}),
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: errRE("HTTP 404", "nginx", "GET "+e.URL+"/v", "not in the API's error format", "Check endpoints."),
			},
			{
				PreConfig:   setFaults(e, testendpoint.Fault{Method: "DELETE", Path: tk.faultBase + "/*", Status: 404}),
				Config:      cfg,
				Destroy:     true,
				ExpectError: errRE("Error Unsharing", "APIGW.0101", "DELETE "+e.URL+"/v", "Still shared: "+r1+"."),
			},
			{
				PreConfig:    setFaults(e),
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(stillShared, expectStateMembers(tk.addr(), r1)),
			},
		}),
	})
}

func TestAccBackupShareMember_notGone(t *testing.T) {
	testAccParallel(t)
	testAccMemberNotGone(t, backupShareMemberTK)
}

func TestAccVolumeBackupShareMember_notGone(t *testing.T) {
	testAccParallel(t)
	testAccMemberNotGone(t, volumeBackupShareMemberTK)
}

func TestAccImageShareMember_notGone(t *testing.T) {
	testAccParallel(t)
	testAccMemberNotGone(t, imageShareMemberTK)
}

// A create that fails part-way (IMS adds one member per call; the last project is unknown,
// IMG.0108) unshares what it shared and records nothing; when unsharing fails too, the state holds
// exactly what is left, and the next apply converges.
func TestAccImageShareMember_partialCreate(t *testing.T) {
	testAccParallel(t)
	tk := imageShareMemberTK
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	owner := e.apiClient(t, e.Owner)
	bad := tk.config(t, e, parent, r1, r2, unknownProject)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				Config: bad,
				ExpectError: errRE("Error Sharing Image", "IMG.0108", "Shared before the failure: "+r1+", "+r2+".",
					"Not shared: "+unknownProject+".", "The provider unshared those again"),
			},
			{
				// Unsharing fails too: what is left is recorded (tainted), not forgotten.
				PreConfig: func() {
					// The failed create left nothing shared, and nothing in the state.
					if err := tk.expectMembers(owner, parent, nil, []string{r1, r2}); err != nil {
						t.Fatal(err)
					}
					e.Endpoint.SetFaults([]testendpoint.Fault{{Method: "DELETE", Path: tk.faultBase + "/*", Status: 500}})
				},
				Config:      bad,
				ExpectError: errRE("Unsharing them again failed for: "+r1+", "+r2+".", "HTTP 500", "marks the resource tainted"),
			},
			{
				PreConfig:          setFaults(e),
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the tainted resource is replaced
				Check: resource.ComposeTestCheckFunc(expectStateMembers(tk.addr(), r1, r2),
					func(*terraform.State) error { return tk.expectMembers(owner, parent, []string{r1, r2}, nil) }),
			},
			{
				// The fixed configuration replaces the tainted resource and converges.
				Config: tk.config(t, e, parent, r1, r2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tk.addr(), plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: tk.stateChecks(e, parent, r1, r2),
			},
		}),
	})
}

// An update that adds two projects and fails on the second records the one it added, and says so.
func TestAccImageShareMember_partialUpdate(t *testing.T) {
	testAccParallel(t)
	tk := imageShareMemberTK
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	owner := e.apiClient(t, e.Owner)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{Config: tk.config(t, e, parent, r1)},
			{
				Config:      tk.config(t, e, parent, r1, r2, unknownProject),
				ExpectError: errRE("IMG.0108", "Shared: "+r2+".", "Not shared: "+unknownProject+".", "The state records exactly these results"),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the unknown project is still configured
				Check: resource.ComposeTestCheckFunc(expectStateMembers(tk.addr(), r1, r2),
					func(*terraform.State) error { return tk.expectMembers(owner, parent, []string{r1, r2}, nil) }),
			},
			{
				Config:            tk.config(t, e, parent, r1, r2),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionNoop),
				ConfigStateChecks: tk.stateChecks(e, parent, r1, r2),
			},
		}),
	})
}

// A POST dropped on every attempt: the provider lists once to learn what happened, unshares the
// member it added before, and leaves nothing behind.
func TestAccImageShareMember_droppedAdd(t *testing.T) {
	testAccParallel(t)
	tk := imageShareMemberTK
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	owner := e.apiClient(t, e.Owner)
	cfg := tk.config(t, e, parent, r1, r2)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				// r1's POST succeeds; the 3 attempts (max_retries = 2) of r2's are dropped.
				PreConfig: func() {
					e.Endpoint.SetFaults([]testendpoint.Fault{
						{Method: "POST", Path: tk.faultBase, DelayMS: 1, Count: 1},
						{Method: "POST", Path: tk.faultBase, Drop: true, Count: 3},
					})
					e.Endpoint.ClearRequests()
				},
				Config: cfg,
				ExpectError: errRE("giving up after 3 attempts", "Shared before the failure: "+r1+".", "Not shared: "+r2+".",
					"The provider unshared those again"),
			},
			{
				PreConfig: func() {
					e.Endpoint.SetFaults(nil)
					if n := countRequests(e.requests(), "GET", tk.addPath); n != 1 {
						t.Fatalf("%d list calls after the failed add, want 1:\n%s", n, describeRequests(e.requests()))
					}
					if err := tk.expectMembers(owner, parent, nil, []string{r1, r2}); err != nil {
						t.Fatal(err)
					}
				},
				Config:            cfg,
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionCreate),
				ConfigStateChecks: tk.stateChecks(e, parent, r1, r2),
			},
		}),
	})
}

// A CBR add whose every attempt is dropped shares nothing and records nothing; the error says so.
func TestAccBackupShareMember_droppedAdd(t *testing.T) {
	testAccParallel(t)
	tk := backupShareMemberTK
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	cfg := tk.config(t, e, parent, r1, r2)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				PreConfig:   setFaults(e, testendpoint.Fault{Method: "POST", Path: tk.faultBase, Drop: true, Count: 3}),
				Config:      cfg,
				ExpectError: errRE("giving up after 3 attempts", "Not shared: "+r1+", "+r2+"."),
			},
			{
				PreConfig:         setFaults(e),
				Config:            cfg,
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionCreate),
				ConfigStateChecks: tk.stateChecks(e, parent, r1, r2),
			},
		}),
	})
}
