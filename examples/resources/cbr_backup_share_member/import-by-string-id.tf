# Import by the backup_id (Terraform 1.5+, OpenTofu 1.6+).
import {
  to = cbr_backup_share_member.example
  id = "0b07081e-3ec7-4e77-8571-54e2947da422"
}
