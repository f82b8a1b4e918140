# Share a cloud server backup with two projects of the same region. Each project then accepts
# the share into one of its vaults with cbr_backup_share_acceptance.
resource "cbr_backup_share_member" "example" {
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
  members = [
    "075e6035d300d48c2fd0c00b78b71ebf",
    "f841e01fd2b14e7fa41b6ae7aa6b0594",
  ]
}

output "share_status" {
  value = { for project, m in cbr_backup_share_member.example.member_details : project => m.status }
}
