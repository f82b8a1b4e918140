# As a receiver: read this project's own share of a backup (member_id defaults to the provider's
# project). An owner sets member_id to the receiving project instead.
data "cbr_backup_share_member" "example" {
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
}

output "share_status" {
  value = data.cbr_backup_share_member.example.status
}
