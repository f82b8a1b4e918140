# terraform test -var endpoint=http://127.0.0.1:PORT, against a running test endpoint (run.sh in the
# parent folder starts one). The endpoint comes from the command line only: a variables block here
# would take precedence over -var. The runs share one state; at the end `terraform test` destroys
# it, which rejects the share and unshares the backup.

run "plan_shows_the_share" {
  command = plan

  assert {
    condition     = cbr_backup_share_member.share.members == toset(["075e6035d300d48c2fd0c00b78b71ebf"])
    error_message = "the owner should share the backup with receiver 1 only"
  }

  assert {
    condition     = cbr_backup_share_acceptance.accept.status == "accepted"
    error_message = "status should default to accepted"
  }
}

run "share_and_accept" {
  assert {
    condition     = output.acceptance_status == "accepted"
    error_message = "the receiver's share is ${output.acceptance_status}, expected accepted"
  }

  assert {
    condition     = output.acceptance_member_id == var.receiver_project_id
    error_message = "the acceptance should be the receiver's own member record"
  }

  assert {
    condition     = output.member_status == "accepted"
    error_message = "the owner sees the member as ${output.member_status}, expected accepted"
  }

  assert {
    condition     = output.member_vault_id == var.receiver_vault_id
    error_message = "the owner should see the receiver's vault"
  }

  assert {
    condition     = output.share_id == output.member_share_id
    error_message = "owner and receiver should see the same share record"
  }

  assert {
    condition     = can(regex("^[0-9a-f-]{36}$", output.share_id))
    error_message = "share_id should be a UUID, got ${output.share_id}"
  }
}

# The receiver changes its mind: the same share record, rejected in place, as both sides see it.
run "reject_in_place" {
  variables {
    acceptance_status = "rejected"
  }

  assert {
    condition     = output.acceptance_status == "rejected"
    error_message = "the receiver's share is ${output.acceptance_status}, expected rejected"
  }

  assert {
    condition     = output.member_status == "rejected"
    error_message = "the owner sees the member as ${output.member_status}, expected rejected"
  }

  assert {
    condition     = output.share_id == run.share_and_accept.share_id
    error_message = "rejecting should update the share in place, not replace it"
  }
}
