# An image share acceptance is imported by the image ID. The API does not return the vault of an
# accepted image, so vault_id is null after an import: set it in the configuration as before.
terraform import cbr_image_share_acceptance.example d164b5df-1bc3-4c3f-893e-3e471fd16e64
