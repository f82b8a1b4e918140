# Import by resource identity (Terraform and OpenTofu 1.12+): the image_id and, optionally, the
# owner project, which must be the project the provider acts as.
import {
  to = cbr_image_share_member.example
  identity = {
    image_id   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
    project_id = "0605767b5780d5762fc5c0118072a564"
  }
}
