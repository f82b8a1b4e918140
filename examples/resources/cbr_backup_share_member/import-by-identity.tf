# Import by resource identity (Terraform and OpenTofu 1.12+): the backup_id and, optionally, the
# owner project, which must be the project the provider acts as.
import {
  to = cbr_backup_share_member.example
  identity = {
    backup_id  = "0b07081e-3ec7-4e77-8571-54e2947da422"
    project_id = "0605767b5780d5762fc5c0118072a564"
  }
}
