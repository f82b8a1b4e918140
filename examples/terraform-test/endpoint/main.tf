# A two-provider share-and-accept, tested with `terraform test` against a running test endpoint
# (run.sh in the parent folder starts one and passes its URL). The owner shares a server backup
# with a receiving project; the receiver accepts it into one of its vaults; a data source reads the
# member back as the owner. The IDs and credentials are those of the test endpoint's default world.
terraform {
  required_providers {
    cbr = {
      source = "backupshare/cbr"
    }
  }
}

variable "endpoint" {
  description = "URL of a running test endpoint, as printed by `go run ./internal/testendpoint/cmd/testendpoint`."
  type        = string
}

variable "backup_id" {
  description = "The owner's server backup to share."
  type        = string
  default     = "0b07081e-3ec7-4e77-8571-54e2947da422"
}

variable "receiver_project_id" {
  description = "The receiving project."
  type        = string
  default     = "075e6035d300d48c2fd0c00b78b71ebf"
}

variable "receiver_vault_id" {
  description = "The receiver's server backup vault that stores the accepted backup."
  type        = string
  default     = "6a1b7c2d-0000-4000-8000-000000000201"
}

variable "acceptance_status" {
  description = "What the receiver does with the share: accepted or rejected."
  type        = string
  default     = "accepted"
}

locals {
  endpoints = {
    cbr = var.endpoint
    vbs = var.endpoint
    ims = var.endpoint
    iam = var.endpoint
  }
}

provider "cbr" {
  alias      = "owner"
  region     = "cn-north-4"
  access_key = "OWNERAK1TESTENDPOINT"
  secret_key = "OwnerSecretKey0TestEndpoint0000000000001"
  endpoints  = local.endpoints
}

provider "cbr" {
  alias      = "receiver"
  region     = "cn-north-4"
  access_key = "RECV1AKTESTENDPOINT1"
  secret_key = "Receiver1SecretKey0TestEndpoint000000001"
  endpoints  = local.endpoints
}

resource "cbr_backup_share_member" "share" {
  provider  = cbr.owner
  backup_id = var.backup_id
  members   = [var.receiver_project_id]
}

resource "cbr_backup_share_acceptance" "accept" {
  provider  = cbr.receiver
  backup_id = cbr_backup_share_member.share.backup_id
  vault_id  = var.receiver_vault_id
  status    = var.acceptance_status
}

# The owner's view of the share, once the receiver has accepted it.
data "cbr_backup_share_member" "owner_view" {
  provider   = cbr.owner
  backup_id  = cbr_backup_share_member.share.backup_id
  member_id  = var.receiver_project_id
  depends_on = [cbr_backup_share_acceptance.accept]
}

output "members" {
  value = cbr_backup_share_member.share.members
}

output "acceptance_status" {
  value = cbr_backup_share_acceptance.accept.status
}

output "acceptance_member_id" {
  value = cbr_backup_share_acceptance.accept.member_id
}

output "share_id" {
  value = cbr_backup_share_acceptance.accept.share_id
}

output "member_status" {
  value = data.cbr_backup_share_member.owner_view.status
}

output "member_vault_id" {
  value = data.cbr_backup_share_member.owner_view.vault_id
}

output "member_share_id" {
  value = data.cbr_backup_share_member.owner_view.id
}
