# Share a cloud server backup with two projects of the same region. Each project then accepts
# the share into one of its vaults with cbr_backup_share_acceptance.
resource "cbr_backup_share_member" "example" {
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
  members = [
    "075e6035d300d48c2fd0c00b78b71ebf",
    "f841e01fd2b14e7fa41b6ae7aa6b0594",
  ]
}

output "share_ids" {
  value = { for project, m in cbr_backup_share_member.example.member_details : project => m.id }
}

# The receivers decide the status of each share; read it live with the data source, so that an
# accept never shows up as a change of this resource.
data "cbr_backup_share_members" "example" {
  backup_id = cbr_backup_share_member.example.backup_id
}

output "share_status" {
  value = { for m in data.cbr_backup_share_members.example.members : m.dest_project_id => m.status }
}
