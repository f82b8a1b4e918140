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

// The acceptance scenarios every member resource type runs; each type's _test.go calls them.

// basic: create with the minimum calls, refresh with one list, import, destroy with one call per
// member. The re-plans after the create (refreshed and not) are empty: terraform-plugin-testing
// checks that after every step with a configuration, so no step of its own repeats it.
func testAccMemberBasic(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	e.need(t, parent, r1, r2)
	// An output of every attribute: the re-plans must leave it unchanged too.
	cfg := tk.config(t, e, parent, r1, r2) + fmt.Sprintf("\noutput \"all\" {\n  value = %s\n}\n", tk.addr())
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		// The refresh step clears the request log; nothing after it adds or removes a member, so
		// CheckDestroy sees the destroy's removals alone.
		Steps: []resource.TestStep{
			{
				PreConfig:        memberClearRequests(e),
				Config:           cfg,
				ConfigPlanChecks: memberPlanActs(tk.addr(), plancheck.ResourceActionCreate),
				// Create is the add call(s) alone: state comes from their answers, no list.
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1, r2), worldCheck(tk.expectCalls(e, tk.addCalls(2), 0, 0))),
			},
			{
				PreConfig:    memberClearRequests(e),
				RefreshState: true,
				Check:        tk.expectCalls(e, 0, 1, 0),
			},
			{
				ResourceName:      tk.addr(),
				ImportState:       true,
				ImportStateId:     parent,
				ImportStateVerify: true,
			},
			{
				ResourceName:  tk.addr(),
				ImportState:   true,
				ImportStateId: "not-a-uuid",
				ExpectError:   regexp.MustCompile(`Invalid Import ID[\s\S]*` + tk.kind.ParentAttr),
			},
		},
	})
}

// update: adding and removing a member is an in-place update with one call per change.
func testAccMemberUpdate(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	e.need(t, parent, r1, r2)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				Config:            tk.config(t, e, parent, r1),
				ConfigStateChecks: tk.stateChecks(e, parent, r1),
			},
			{
				PreConfig:         memberClearRequests(e),
				Config:            tk.config(t, e, parent, r1, r2),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionUpdate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1, r2), worldCheck(tk.expectCalls(e, tk.addCalls(1), -1, 0))),
			},
			{
				PreConfig:         memberClearRequests(e),
				Config:            tk.config(t, e, parent, r2),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionUpdate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r2), worldCheck(tk.expectCalls(e, 0, -1, 1))),
			},
		}),
	})
}

// disappears: a managed member removed out of band leaves the state on refresh, and the next
// apply shares with it again in place.
func testAccMemberDisappears(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	e.need(t, parent, r1, r2)
	owner := e.apiClient(t, e.Owner)
	cfg := tk.config(t, e, parent, r1, r2)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{Config: cfg, ConfigStateChecks: tk.stateChecks(e, parent, r1, r2)},
			{
				PreConfig:          func() { tk.outOfBand(t, owner, parent, nil, []string{r2}) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(tk.addr(), "members.#", "1"),
					resource.TestCheckTypeSetElemAttr(tk.addr(), "members.*", r1),
				),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: memberPlanActs(tk.addr(), plancheck.ResourceActionUpdate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1, r2),
					worldCheck(func(*terraform.State) error { return tk.expectMembers(owner, parent, []string{r1, r2}, nil) })),
			},
		}),
	})
}

// unmanaged: a member someone else added survives create, update and destroy, and is never drift.
func testAccMemberUnmanaged(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	r3 := memberAddProject(t, e)
	owner := e.apiClient(t, e.Owner)
	tk.outOfBand(t, owner, parent, []string{r2}, nil)
	still := func(*terraform.State) error { return tk.expectMembers(owner, parent, []string{r2}, nil) }
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r3}, []string{r2}),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				Config:            tk.config(t, e, parent, r1),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionCreate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1), worldCheck(still)),
			},
			{
				Config:            tk.config(t, e, parent, r1, r3),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionUpdate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1, r3), worldCheck(still)),
			},
			{
				PreConfig:         memberClearRequests(e),
				Config:            tk.config(t, e, parent, r3),
				ConfigPlanChecks:  memberPlanActs(tk.addr(), plancheck.ResourceActionUpdate),
				ConfigStateChecks: append(tk.stateChecks(e, parent, r3), worldCheck(still), worldCheck(tk.expectCalls(e, 0, -1, 1))),
			},
		}),
	})
}

// adopt: a create after a partial earlier failure (one member already there) succeeds and manages both.
func testAccMemberAdopt(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	parent, r1, r2 := tk.parent(e), e.Receiver1.ProjectID, e.Receiver2.ProjectID
	e.need(t, parent, r1, r2)
	owner := e.apiClient(t, e.Owner)
	accTest(t, resource.TestCase{
		CheckDestroy: tk.checkDestroyed(t, e, parent, []string{r1, r2}, nil),
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{
				PreConfig: func() {
					tk.outOfBand(t, owner, parent, []string{r1}, nil)
					memberClearRequests(e)()
				},
				Config:           tk.config(t, e, parent, r1, r2),
				ConfigPlanChecks: memberPlanActs(tk.addr(), plancheck.ResourceActionCreate),
				// The refused add, one list to adopt r1, and the add of r2 alone.
				ConfigStateChecks: append(tk.stateChecks(e, parent, r1, r2), worldCheck(tk.expectCalls(e, 2, 1, 0))),
			},
		}),
	})
}

// parentGone: the backup or image deleted → refresh drops the resource (with a warning) and the
// plan proposes to create it again.
func testAccMemberParentGone(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1 := tk.parent(e), e.Receiver1.ProjectID
	accTest(t, resource.TestCase{
		Steps: memberClearAtEnd(e, []resource.TestStep{
			{Config: tk.config(t, e, parent, r1), ConfigStateChecks: tk.stateChecks(e, parent, r1)},
			{
				PreConfig:          func() { memberEditWorld(t, e, func(w *testendpoint.World) { tk.deleteParent(w, parent) }) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tk.addr(), plancheck.ResourceActionCreate)},
				},
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[tk.addr()]; ok {
						return fmt.Errorf("%s is still in the state after its %s was deleted", tk.addr(), tk.kind.Noun)
					}
					return nil
				},
			},
		}),
	})
}

// validation: every plan-time rule fails with an error naming the problem, before any API call.
// Unknown values pass the plan.
func testAccMemberValidation(t *testing.T, tk *memberTestKind) {
	e := newAccEnv(t)
	e.localOnly(t)
	parent, r1 := tk.parent(e), e.Receiver1.ProjectID
	tooMany := make([]string, tk.kind.MaxMembers+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("%032x", i+1)
	}
	unknown := "\nresource \"terraform_data\" \"p\" {\n  input = \"" + r1 + "\"\n}\n"
	steps := []struct {
		cfg  string
		want string
	}{
		{tk.config(t, e, "not-a-uuid", r1), `Invalid UUID[\s\S]*` + tk.kind.ParentAttr},
		{tk.config(t, e, strings.ToUpper(parent), r1), `Invalid UUID`},
		{tk.config(t, e, parent, "ABC"), `Invalid Project ID[\s\S]*members`},
		{tk.config(t, e, parent), `Too Few Members[\s\S]*members is empty`},
		{tk.config(t, e, parent, tooMany...), fmt.Sprintf(`Too Many Members[\s\S]*at most %d`, tk.kind.MaxMembers)},
		{tk.config(t, e, parent, r1, e.Owner.ProjectID), `Cannot Share With Your Own Project`},
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{Config: s.cfg, PlanOnly: true, ExpectError: regexp.MustCompile(s.want)})
	}
	// Members unknown at plan time (known only after apply): no validation error.
	ts = append(ts, resource.TestStep{
		Config:   e.providerBlock(t, "", e.Owner, tk.cred) + unknown + tk.resourceBlock(parent, "terraform_data.p.output"),
		PlanOnly: true, ExpectNonEmptyPlan: true,
	})
	e.Endpoint.ClearRequests()
	accTest(t, resource.TestCase{Steps: ts})
	for _, r := range e.requests() {
		if r.Service != "iam" {
			t.Errorf("plan-time validation called the API:\n%s", describeRequests(e.requests()))
			break
		}
	}
}

// memberAddProject adds a third receiving project (own domain) to the endpoint's world.
func memberAddProject(t *testing.T, e *accEnv) string {
	t.Helper()
	const id, domain = "9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d", "9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a"
	memberEditWorld(t, e, func(w *testendpoint.World) {
		w.Domains = append(w.Domains, testendpoint.Domain{ID: domain, Name: "receiver3-domain"})
		w.Projects = append(w.Projects, testendpoint.Project{ID: id, Name: w.Region, DomainID: domain})
	})
	return id
}

func memberEditWorld(t *testing.T, e *accEnv, edit func(w *testendpoint.World)) {
	t.Helper()
	w := e.Endpoint.World()
	edit(&w)
	if err := e.Endpoint.SetWorld(w); err != nil {
		t.Fatalf("editing the test endpoint's world: %v", err)
	}
}

// memberClearAtEnd clears the request log after the last step's apply and checks, so that
// CheckDestroy counts the calls of the destroy alone.
func memberClearAtEnd(e *accEnv, steps []resource.TestStep) []resource.TestStep {
	last := &steps[len(steps)-1]
	if len(last.ConfigStateChecks) > 0 && last.Check == nil {
		// The state checks run last; a Check would cost another terraform show (see worldCheck).
		last.ConfigStateChecks = append(last.ConfigStateChecks, worldCheck(func(*terraform.State) error {
			memberClearRequests(e)()
			return nil
		}))
		return steps
	}
	check := last.Check
	last.Check = func(s *terraform.State) error {
		if check != nil {
			if err := check(s); err != nil {
				return err
			}
		}
		memberClearRequests(e)()
		return nil
	}
	return steps
}

func memberPlanActs(addr string, a plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, a)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}
