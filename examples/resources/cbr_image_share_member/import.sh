# Import by image ID: every current member of the image becomes managed.
terraform import cbr_image_share_member.example d164b5df-1bc3-4c3f-893e-3e471fd16e64
