# Share a full-ECS image (made from a CBR backup) with two projects. Receivers accept it with
# cbr_image_share_acceptance, giving the vault_id of a server backup vault.
resource "cbr_image_share_member" "example" {
  image_id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  members = [
    "075e6035d300d48c2fd0c00b78b71ebf",
    "f841e01fd2b14e7fa41b6ae7aa6b0594",
  ]
}
