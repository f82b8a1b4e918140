# Share an EVS disk backup through VBS. Sharing takes effect at once: receivers have no accept step.
resource "cbr_volume_backup_share_member" "example" {
  backup_id = "0b07081e-0000-4000-8000-000000000006"
  members   = ["075e6035d300d48c2fd0c00b78b71ebf", "f841e01fd2b14e7fa41b6ae7aa6b0594"]
}

# Each managed share has its own share ID; destroying cancels exactly these shares.
output "share_ids" {
  value = { for project, s in cbr_volume_backup_share_member.example.member_details : project => s.id }
}
