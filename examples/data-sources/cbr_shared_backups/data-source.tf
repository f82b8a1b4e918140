# As a receiver: accept every backup that other projects shared with this project, in one apply.
# List every share (not only the pending ones): once accepted, a backup must stay in for_each, or
# the next plan would destroy (reject) its acceptance.
data "cbr_shared_backups" "all" {}

resource "cbr_backup_share_acceptance" "all" {
  for_each = {
    for b in data.cbr_shared_backups.all.backups : b.id => b if b.member_status != "rejected"
  }
  backup_id = each.key
  vault_id  = "6a1b7c2d-0000-4000-8000-000000000201" # a server backup vault of this project
}

output "accepted_backups" {
  value = keys(cbr_backup_share_acceptance.all)
}
