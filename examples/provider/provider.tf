# The owner project: signs requests with an access key pair (HW_ACCESS_KEY / HW_SECRET_KEY work too).
provider "cbr" {
  alias      = "owner"
  region     = "cn-north-4"
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key
}

# A receiving project: an IAM user; the provider requests one token and renews it before it expires.
provider "cbr" {
  alias       = "receiver"
  region      = "cn-north-4"
  user_name   = var.receiver_user_name
  password    = var.receiver_password
  domain_name = var.receiver_domain_name
}

# Temporary credentials add the security token; a ready token is the fourth kind:
#   provider "cbr" { region = "cn-north-4", token = var.token }
#
# Against the test endpoint (make demo, or `go run ./internal/testendpoint/cmd/testendpoint`),
# point every service at its URL:
#   endpoints = { cbr = var.url, vbs = var.url, ims = var.url, iam = var.url }

variable "owner_access_key" {
  type      = string
  sensitive = true
}

variable "owner_secret_key" {
  type      = string
  sensitive = true
}

variable "receiver_user_name" {
  type = string
}

variable "receiver_password" {
  type      = string
  sensitive = true
}

variable "receiver_domain_name" {
  type = string
}
