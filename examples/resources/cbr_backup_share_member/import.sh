# Import by backup ID: every current member of the backup becomes managed.
terraform import cbr_backup_share_member.example 0b07081e-3ec7-4e77-8571-54e2947da422
