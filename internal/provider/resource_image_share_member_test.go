package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/backupshare/terraform-provider-cbr/internal/testendpoint"
)

var imageShareMemberTK = &memberTestKind{
	kind:         &imageShareMemberKind,
	parent:       func(e *accEnv) string { return e.FullECSImageID },
	cred:         credPassword,
	addPath:      `/v2/images/[^/]+/members`,
	faultBase:    "/v2/images/*/members",
	perMemberAdd: true, // IMS takes one member per call
	details: func(_ *accEnv) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"created_at": knownvalue.NotNull()}
	},
	deleteParent: func(w *testendpoint.World, id string) {
		w.Images = slices.DeleteFunc(w.Images, func(i testendpoint.Image) bool { return i.ID == id })
		w.ImageMembers = slices.DeleteFunc(w.ImageMembers, func(m testendpoint.ImageMember) bool { return m.ImageID == id })
	},
}

func TestAccImageShareMember_basic(t *testing.T) {
	testAccParallel(t)
	testAccMemberBasic(t, imageShareMemberTK)
}

func TestAccImageShareMember_update(t *testing.T) {
	testAccParallel(t)
	testAccMemberUpdate(t, imageShareMemberTK)
}

func TestAccImageShareMember_disappears(t *testing.T) {
	testAccParallel(t)
	testAccMemberDisappears(t, imageShareMemberTK)
}

func TestAccImageShareMember_unmanagedSurvive(t *testing.T) {
	testAccParallel(t)
	testAccMemberUnmanaged(t, imageShareMemberTK)
}

func TestAccImageShareMember_adoptExisting(t *testing.T) {
	testAccParallel(t)
	testAccMemberAdopt(t, imageShareMemberTK)
}

func TestAccImageShareMember_imageDeleted(t *testing.T) {
	testAccParallel(t)
	testAccMemberParentGone(t, imageShareMemberTK)
}

func TestAccImageShareMember_validation(t *testing.T) {
	testAccParallel(t)
	testAccMemberValidation(t, imageShareMemberTK)
}
