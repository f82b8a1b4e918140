# Import by backup ID: every current share of the backup made by this project becomes managed.
terraform import cbr_volume_backup_share_member.example 0b07081e-0000-4000-8000-000000000006
