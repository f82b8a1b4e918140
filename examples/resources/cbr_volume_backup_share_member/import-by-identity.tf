# Import by resource identity (Terraform and OpenTofu 1.12+): the backup_id and, optionally, the
# owner project, which must be the project the provider acts as.
import {
  to = cbr_volume_backup_share_member.example
  identity = {
    backup_id  = "0b07081e-0000-4000-8000-000000000006"
    project_id = "0605767b5780d5762fc5c0118072a564"
  }
}
