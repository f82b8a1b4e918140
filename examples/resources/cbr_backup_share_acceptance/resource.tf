# Run with the receiving project's credentials: accept a backup that the owner shared with this
# project into one of its server backup vaults.
resource "cbr_backup_share_acceptance" "example" {
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
  vault_id  = "6a1b7c2d-0000-4000-8000-000000000201"

  # status defaults to "accepted"; set "rejected" to decline the share.

  timeouts {
    create = "15m" # how long to wait for the owner's side to share the backup
  }
}
