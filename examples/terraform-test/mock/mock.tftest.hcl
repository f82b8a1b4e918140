# Unit tests of main.tf with a mocked provider: `terraform test` needs no endpoint and no
# credentials, only the provider itself, for its schema and its plan-time validation (a malformed
# vault_id still fails the run), so it must be installed or given with dev_overrides. A mocked
# provider makes up every computed value (a random string for a string): the assertions check what
# the configuration decides, and the computed values that matter are fixed with mock_resource and
# mock_data defaults.

mock_provider "cbr" {
  alias = "owner"

  mock_data "cbr_backup_share_member" {
    defaults = {
      status   = "accepted"
      vault_id = "6a1b7c2d-0000-4000-8000-000000000201"
    }
  }
}

mock_provider "cbr" {
  alias = "receiver"

  mock_resource "cbr_backup_share_acceptance" {
    defaults = {
      share_id = "9d2f0c1e-0000-4000-8000-00000000e001"
    }
  }
}

variables {
  backup_id            = "0b07081e-3ec7-4e77-8571-54e2947da422"
  receiver_project_ids = ["075e6035d300d48c2fd0c00b78b71ebf", "f841e01fd2b14e7fa41b6ae7aa6b0594"]
  receiver_vault_id    = "6a1b7c2d-0000-4000-8000-000000000201"
}

run "plan_shares_with_every_receiver" {
  command = plan

  assert {
    condition     = cbr_backup_share_member.share.members == toset(var.receiver_project_ids)
    error_message = "the owner should share the backup with every receiver"
  }

  assert {
    condition     = cbr_backup_share_acceptance.accept.backup_id == var.backup_id
    error_message = "the receiver should accept the backup that the owner shares"
  }

  assert {
    condition     = cbr_backup_share_acceptance.accept.vault_id == var.receiver_vault_id
    error_message = "the receiver should accept into its vault"
  }
}

run "apply_reports_the_share" {
  assert {
    condition     = output.shared_with == sort(var.receiver_project_ids)
    error_message = "shared_with is ${jsonencode(output.shared_with)}"
  }

  assert {
    condition     = output.share_id == "9d2f0c1e-0000-4000-8000-00000000e001"
    error_message = "share_id should come from the receiver's acceptance"
  }

  assert {
    condition     = output.accepted
    error_message = "the owner's view (mocked as accepted into the receiver's vault) should count as accepted"
  }

  # Computed values that no mock fixes are made up, but they are known after apply.
  assert {
    condition     = length(cbr_backup_share_acceptance.accept.member_id) > 0
    error_message = "member_id should be known after apply"
  }
}

# The accepted output is false when the owner sees another vault: override_data replaces the
# mocked data source for this run only.
run "accepted_is_false_for_another_vault" {
  override_data {
    target = data.cbr_backup_share_member.owner_view
    values = {
      status   = "accepted"
      vault_id = "6a1b7c2d-0000-4000-8000-000000000203"
    }
  }

  assert {
    condition     = !output.accepted
    error_message = "a share accepted into another vault should not count as accepted"
  }
}

run "rejects_a_malformed_project_id" {
  command = plan

  variables {
    receiver_project_ids = ["075E6035D300D48C2FD0C00B78B71EBF"]
  }

  expect_failures = [var.receiver_project_ids]
}

run "rejects_more_than_ten_projects" {
  command = plan

  variables {
    receiver_project_ids = [for i in range(11) : format("%032x", i + 1)]
  }

  expect_failures = [var.receiver_project_ids]
}
