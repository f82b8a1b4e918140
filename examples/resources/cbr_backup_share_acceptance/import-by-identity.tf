# Import by resource identity (Terraform and OpenTofu 1.12+): the backup_id and, optionally, the
# receiving project, which must be the project the provider acts as.
import {
  to = cbr_backup_share_acceptance.example
  identity = {
    backup_id  = "0b07081e-3ec7-4e77-8571-54e2947da422"
    project_id = "075e6035d300d48c2fd0c00b78b71ebf"
  }
}
