# A backup share acceptance is imported by the backup ID; status and vault_id are read from the share.
terraform import cbr_backup_share_acceptance.example 0b07081e-3ec7-4e77-8571-54e2947da422
