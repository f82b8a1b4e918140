# The demo that `make demo` applies against the test endpoint: an owner project shares a server
# backup with a receiving project, the receiver accepts it into one of its vaults, and a data source
# reads the member back. The IDs and credentials are those of the test endpoint's default world.
terraform {
  required_providers {
    cbr = {
      source = "backupshare/cbr"
    }
  }
}

variable "endpoint" {
  description = "URL of the test endpoint, printed by `go run ./internal/testendpoint/cmd/testendpoint`."
  type        = string
}

locals {
  endpoints = {
    cbr = var.endpoint
    vbs = var.endpoint
    ims = var.endpoint
    iam = var.endpoint
  }
  backup_id         = "0b07081e-3ec7-4e77-8571-54e2947da422" # the owner's 40 GB server backup
  receiver_project  = "075e6035d300d48c2fd0c00b78b71ebf"
  receiver_vault_id = "6a1b7c2d-0000-4000-8000-000000000201" # the receiver's server backup vault
}

# The owner signs requests with its access key pair.
provider "cbr" {
  alias      = "owner"
  region     = "cn-north-4"
  access_key = "OWNERAK1TESTENDPOINT"
  secret_key = "OwnerSecretKey0TestEndpoint0000000000001"
  endpoints  = local.endpoints
}

# The receiver logs in as an IAM user.
provider "cbr" {
  alias       = "receiver"
  region      = "cn-north-4"
  user_name   = "receiver1-admin"
  password    = "Receiver1-Passw0rd!"
  domain_name = "receiver1-domain"
  endpoints   = local.endpoints
}

resource "cbr_backup_share_member" "share" {
  provider  = cbr.owner
  backup_id = local.backup_id
  members   = [local.receiver_project]
}

resource "cbr_backup_share_acceptance" "accept" {
  provider  = cbr.receiver
  backup_id = cbr_backup_share_member.share.backup_id
  vault_id  = local.receiver_vault_id
}

# Read back as the owner once the receiver has accepted.
data "cbr_backup_share_member" "check" {
  provider   = cbr.owner
  backup_id  = cbr_backup_share_member.share.backup_id
  member_id  = local.receiver_project
  depends_on = [cbr_backup_share_acceptance.accept]
}

output "member_status" {
  value = data.cbr_backup_share_member.check.status
}

output "member_vault_id" {
  value = data.cbr_backup_share_member.check.vault_id
}

output "share_id" {
  value = cbr_backup_share_acceptance.accept.share_id
}
