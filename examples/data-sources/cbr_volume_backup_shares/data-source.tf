# As a receiver: list the disk backups that other projects shared with this project through VBS.
data "cbr_volume_backup_shares" "example" {}

output "shared_disk_backups" {
  value = data.cbr_volume_backup_shares.example.shares[*].backup_id
}
