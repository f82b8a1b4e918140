# A two-provider share-and-accept with the logic worth unit testing: input validation and the
# outputs a pipeline reads. mock.tftest.hcl tests it with `mock_provider "cbr"`, so no endpoint and
# no credentials are needed: the provider's schema is all `terraform test` uses.
terraform {
  required_providers {
    cbr = {
      source = "backupshare/cbr"
    }
  }
}

variable "region" {
  type    = string
  default = "cn-north-4"
}

variable "owner_access_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "owner_secret_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "receiver_access_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "receiver_secret_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "backup_id" {
  description = "The owner's server backup to share."
  type        = string
}

variable "receiver_project_ids" {
  description = "Projects to share the backup with; the first is the receiver that accepts it."
  type        = list(string)

  validation {
    condition     = length(var.receiver_project_ids) >= 1 && length(var.receiver_project_ids) <= 10
    error_message = "Share with 1 to 10 projects."
  }

  validation {
    condition     = alltrue([for p in var.receiver_project_ids : can(regex("^[0-9a-f]{32}$", p))])
    error_message = "Project IDs are 32 lower-case hexadecimal characters."
  }
}

variable "receiver_vault_id" {
  description = "The receiver's server backup vault."
  type        = string
}

provider "cbr" {
  alias      = "owner"
  region     = var.region
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key
}

provider "cbr" {
  alias      = "receiver"
  region     = var.region
  access_key = var.receiver_access_key
  secret_key = var.receiver_secret_key
}

resource "cbr_backup_share_member" "share" {
  provider  = cbr.owner
  backup_id = var.backup_id
  members   = var.receiver_project_ids
}

resource "cbr_backup_share_acceptance" "accept" {
  provider  = cbr.receiver
  backup_id = cbr_backup_share_member.share.backup_id
  vault_id  = var.receiver_vault_id
  status    = "accepted"
}

data "cbr_backup_share_member" "owner_view" {
  provider   = cbr.owner
  backup_id  = cbr_backup_share_member.share.backup_id
  member_id  = var.receiver_project_ids[0]
  depends_on = [cbr_backup_share_acceptance.accept]
}

output "shared_with" {
  value = sort(tolist(cbr_backup_share_member.share.members))
}

output "share_id" {
  value = cbr_backup_share_acceptance.accept.share_id
}

output "accepted" {
  description = "Whether the owner sees the share as accepted into the expected vault."
  value       = data.cbr_backup_share_member.owner_view.status == "accepted" && data.cbr_backup_share_member.owner_view.vault_id == var.receiver_vault_id
}
