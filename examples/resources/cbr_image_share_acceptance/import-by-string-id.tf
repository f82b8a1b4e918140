# Import by the image_id (Terraform 1.5+, OpenTofu 1.6+).
import {
  to = cbr_image_share_acceptance.example
  id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
}
