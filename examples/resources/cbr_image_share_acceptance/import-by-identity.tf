# Import by resource identity (Terraform and OpenTofu 1.12+): the image_id and, optionally, the
# receiving project, which must be the project the provider acts as.
import {
  to = cbr_image_share_acceptance.example
  identity = {
    image_id   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
    project_id = "075e6035d300d48c2fd0c00b78b71ebf"
  }
}
