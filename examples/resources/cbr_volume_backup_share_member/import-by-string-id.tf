# Import by the backup_id (Terraform 1.5+, OpenTofu 1.6+).
import {
  to = cbr_volume_backup_share_member.example
  id = "0b07081e-0000-4000-8000-000000000006"
}
