# Run with the receiving project's credentials: accept a full-ECS image (made from a CBR backup)
# that the owner shared with this project. Such an image lands in a CBR server backup vault, so
# vault_id is required for it; other images need no vault_id.
resource "cbr_image_share_acceptance" "example" {
  image_id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  vault_id = "6a1b7c2d-0000-4000-8000-000000000201"
}
