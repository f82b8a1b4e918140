# As the backup's owner: list the projects that accepted the backup.
data "cbr_backup_share_members" "accepted" {
  backup_id = "0b07081e-3ec7-4e77-8571-54e2947da422"
  status    = "accepted"
}

output "accepted_projects" {
  value = data.cbr_backup_share_members.accepted.members[*].dest_project_id
}
