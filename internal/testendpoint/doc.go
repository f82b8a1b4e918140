// Package testendpoint is an in-memory Huawei Cloud for tests: IAM (with a Keystone
// service catalog and version discovery), CBR v3 backup share members and backup lists, VBS v2 backup
// sharing, IMS v2 image members and image lists, IMS v1 batch sharing with its jobs, on one HTTP
// listener. It follows
// the wire contract of the cloud's published API documentation (paths, bodies, status codes, error
// bodies and codes, nulls, time formats, permissions, token and AK/SK checks), not any
// client of this repository, so other clients (the cloud's official Go SDK included) can be
// pointed at it. It keeps its own wire structs and its own SDK-HMAC-SHA256 verifier.
//
// # Use
//
// In Go tests:
//
//	srv, err := testendpoint.Start("127.0.0.1:0", testendpoint.DefaultWorld())
//	defer srv.Close()
//	// point every service endpoint (cbr, vbs, ims, iam) at srv.URL()
//
// As a program, in a clone of the repository or without one (the module version, e.g. v0.1.0;
// release archives terraform-provider-cbr-testendpoint_VERSION_OS_ARCH.zip hold the same
// program, built for the provider's platforms):
//
//	go run ./internal/testendpoint/cmd/testendpoint [-listen 127.0.0.1:PORT] [-world FILE]
//	go run ./internal/testendpoint/cmd/testendpoint -print-world > world.json
//	go run github.com/backupshare/terraform-provider-cbr/internal/testendpoint/cmd/testendpoint@VERSION
//
// The first stdout line is "listening on http://HOST:PORT"; the program serves until
// SIGINT or SIGTERM. -print-world prints the default world, a starting point for your own;
// -version prints "testendpoint VERSION" (the release's version, else the module version of
// go run/go install ...@VERSION, else "dev"). -max-requests N bounds the request log
// (default 10000). -control-remote and -control-token TOKEN (default: the environment
// variable TESTENDPOINT_CONTROL_TOKEN; -control-token= turns it off) open and guard the
// control API; see Control API below. In Go, the same settings are the options
// WithMaxRequests, WithRemoteControl and WithControlToken of New and Start.
//
// # Routes
//
// Every API response carries an X-Request-Id header. An unknown method+path answers 404
// APIGW.0101 (gateway body), as the API gateway does.
//
//	IAM (Keystone error body {"error":{"code":N,"message":"...","title":"..."}})
//	  GET    /                               version discovery, no auth; 300 {"versions":{"values":[v3]}}
//	  GET    /v3                             the v3 version document, no auth; 200 {"version":{...}}
//	  POST   /v3/auth/tokens[?nocatalog=1]   password method; 201, token in X-Subject-Token
//	  GET    /v3/auth/tokens                 validate the X-Subject-Token token; 200, or 404
//	  GET    /v3/auth/catalog                the catalog alone; 200 {"catalog":[...],"links":{...}}
//	  GET    /v3/auth/projects[?name=]       the caller's domain's projects (token or AK/SK)
//	  GET    /v3/projects[?name=]            the same list (the SDK's project lookup)
//	CBR v3 (error body {"error_code":"BackupService.xxxx","error_msg":"..."})
//	  GET    /v3/{project_id}/backups[?own_type=&member_status=&...]   200 {"backups":[...],"count":N}
//	  POST   /v3/{project_id}/backups/{backup_id}/members              200
//	  GET    /v3/{project_id}/backups/{backup_id}/members              200
//	  GET    /v3/{project_id}/backups/{backup_id}/members/{member_id}  200
//	  PUT    /v3/{project_id}/backups/{backup_id}/members/{member_id}  200
//	  DELETE /v3/{project_id}/backups/{backup_id}/members/{member_id}  204
//	  GET    /v3/{project_id}/backups/{backup_id}                      200
//	  DELETE /v3/{project_id}/backups/{backup_id}                      204
//	VBS v2 (error body {"error":{"code":"VolumeBackup.xxxx","message":"..."}})
//	  POST   /v2/{project_id}/os-vendor-backup-sharing                 200
//	  GET    /v2/{project_id}/os-vendor-backup-sharing/detail          200
//	  GET    /v2/{project_id}/os-vendor-backup-sharing/count           200 {"count":N}
//	  GET    /v2/{project_id}/os-vendor-backup-sharing/{share_id}      200
//	  DELETE /v2/{project_id}/os-vendor-backup-sharing/{id}[?is_backup_id=true]  200, no body
//	IMS v2 (error body {"error":{"code":"IMG.xxxx","message":"..."}})
//	  GET    /v2/images[?visibility=&member_status=&...]      200 {images, first, next, schema} (Glance)
//	  GET    /v2/cloudimages[?visibility=&member_status=&...] 200 {"images":[...]}
//	  POST   /v2/images/{image_id}/members               200
//	  GET    /v2/images/{image_id}/members[?limit=&marker=]  200
//	  GET    /v2/images/{image_id}/members/{member_id}   200
//	  PUT    /v2/images/{image_id}/members/{member_id}   200
//	  DELETE /v2/images/{image_id}/members/{member_id}   204
//	  GET    /v2/schemas/member                          200 {name, properties}
//	  GET    /v2/schemas/members                         200 {name, properties, links}
//	IMS v1 (same error body; the batch paths carry no project ID)
//	  POST   /v1/cloudimages/members   {"images":[...],"projects":[...]}  200 {"job_id":"..."}
//	  PUT    /v1/cloudimages/members   {"images":[...],"project_id":"...","status":"accepted|rejected","vault_id":"..."}  200 {"job_id":"..."}
//	  DELETE /v1/cloudimages/members   {"images":[...],"projects":[...]}  200 {"job_id":"..."}
//	  GET    /v1/{project_id}/jobs/{job_id}                                     200 job
//	  GET    /v1/{project_id}/cloudimages/{image_id}/members[?limit=&marker=]   200
//	  GET    /v1/{project_id}/cloudimages/{image_id}/members/{member_id}        200 bare member
//	Control (loopback clients only, optional bearer token; JSON errors {"error":"..."})
//	  GET|PUT /_testendpoint/world   GET|DELETE /_testendpoint/requests
//	  GET|PUT|DELETE /_testendpoint/faults   GET /_testendpoint/health
//
// Timestamps: CBR and VBS "2020-02-05T10:38:34.209782" (UTC, microseconds, no zone); IMS
// "2016-09-01T02:05:14Z"; IMS jobs "2024-11-06T06:30:00.778Z"; IAM "2020-01-04T09:05:22.701000Z".
//
// # The default world
//
// Region cn-north-4; token lifetime 24h; disk backups not shareable through CBR
// (allow_disk_backup_sharing false); deleted_backup_quirk true; seed 1. Each domain has
// one project named after the region.
//
//	owner      domain 1d8a5e8c0c0b4a3f9d4b7e6f5a4c3b21 "owner-domain"
//	           project 0605767b5780d5762fc5c0118072a564
//	           user "owner-admin" (id 7116d09f88fa41908676fdd4b039e001), password "Owner-Passw0rd!"
//	           AK OWNERAK1TESTENDPOINT / SK OwnerSecretKey0TestEndpoint0000000000001
//	           temporary AK OWNERTMPAKTESTENDPNT / SK OwnerTempSecretKey0TestEndpoint000000001,
//	             X-Security-Token owner-security-token-0001
//	           static token owner-static-token-0001 (project scope, never expires)
//	receiver1  domain 2e9b6f9d1d1c5b4a0e5c8f7a6b5d4c32 "receiver1-domain"
//	           project 075e6035d300d48c2fd0c00b78b71ebf
//	           user "receiver1-admin" (id ...e002), password "Receiver1-Passw0rd!"
//	           AK RECV1AKTESTENDPOINT1 / SK Receiver1SecretKey0TestEndpoint000000001
//	           static token receiver1-static-token-0001
//	receiver2  domain 3f0c7a0e2e2d6c5b1f6d9a8b7c6e5d43 "receiver2-domain"
//	           project f841e01fd2b14e7fa41b6ae7aa6b0594
//	           user "receiver2-admin" (id ...e003), password "Receiver2-Passw0rd!"
//	           AK RECV2AKTESTENDPOINT1 / SK Receiver2SecretKey0TestEndpoint000000001
//	           static token receiver2-static-token-0001
//
// Vaults (capacity / used GB):
//
//	6a1b7c2d-0000-4000-8000-000000000101 owner     server 1000 / 73 (holds the server backups)
//	6a1b7c2d-0000-4000-8000-000000000102 owner     disk   1000 / 25 (holds the disk backups)
//	6a1b7c2d-0000-4000-8000-000000000201 receiver1 server 1000 / 0
//	6a1b7c2d-0000-4000-8000-000000000202 receiver1 disk   1000 / 0
//	6a1b7c2d-0000-4000-8000-000000000203 receiver1 server   50 / 45 (nearly full: 5 GB free)
//	6a1b7c2d-0000-4000-8000-000000000301 receiver2 server 1000 / 0
//	6a1b7c2d-0000-4000-8000-000000000302 receiver2 disk   1000 / 0
//
// Backups, all the owner's:
//
//	0b07081e-3ec7-4e77-8571-54e2947da422 server available 40 GB
//	0b07081e-0000-4000-8000-000000000002 server available 10 GB (the full-ECS image's source)
//	0b07081e-0000-4000-8000-000000000003 disk   available 20 GB (CBR: 6700 unless allowed)
//	0b07081e-0000-4000-8000-000000000004 server available 15 GB, encrypted (6709)
//	0b07081e-0000-4000-8000-000000000005 server creating   8 GB (6702)
//	0b07081e-0000-4000-8000-000000000006 disk   available  5 GB (for VBS sharing)
//
// Images, the owner's: d164b5df-1bc3-4c3f-893e-3e471fd16e64 full-ECS image made from
// backup ...0002 (10 GB; accepting it needs a server vault), and
// d164b5df-0000-4000-8000-000000000002 a plain system image (no vault needed).
// No members or shares exist at start.
//
// # Authentication
//
// X-Auth-Token (a token from POST /v3/auth/tokens, or a world static token), or
// "Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...". When a
// request has both, the token is used. The verifier trusts SignedHeaders, requires
// x-sdk-date among them, allows 15 minutes of skew either way, takes host from the
// request's Host, hashes the raw body (or uses X-Sdk-Content-Sha256), compares in constant
// time and, for a temporary access key, requires a matching X-Security-Token (signed or not).
//
// Caller project: a token's project scope (X-Project-Id is ignored for tokens); for AK/SK
// the X-Project-Id header, else the project in the path, else (IMS paths have none) the
// domain's project named after the region. The project must be in the key's domain.
//
// Authentication failures use the gateway body {"error_msg","error_code","request_id"}
// (IAM routes answer them in the Keystone body). Codes are the endpoint's choice (inference):
//
//	401 APIGW.0305  no credentials, malformed Authorization, another algorithm
//	401 APIGW.0301  bad signature ("verify aksk signature fail", with the canonical request,
//	                newlines as |, the values of a signed x-security-token or x-auth-token
//	                shown as ***), unknown AK, x-sdk-date missing or not signed, skew over
//	                15 minutes, missing or wrong X-Security-Token, expired temporary key,
//	                unknown token ("decrypt token fail")
//	401 APIGW.0307  expired token ("The token must be updated.")
//	403 APIGW.0302  the path's project is not the caller's; a domain-scoped token on a
//	                project API; X-Project-Id outside the key's domain
//	413 APIGW.0201  request body over 1 MiB
//	404 APIGW.0101  unknown API
//
// IAM token creation: wrong password or unknown user gives the 401 body "The username or
// password is wrong."; a body that is not valid JSON, has unknown fields or wrong types,
// lacks the scope or names both scopes, or uses another method than password gives the
// 400 body "The request body is invalid". A project scope by name is resolved in the
// scope's domain, or the user's when none is given; a scope outside the user's domain is
// 401.
//
// Catalog (inference where marked): the token bodies of POST and GET /v3/auth/tokens carry
// it unless nocatalog has a non-empty value ("?nocatalog=" keeps it). Five services, identity
// "iam", cbr "cbr", vbs "vbs", volumev2 "evs", image "ims" (Keystone types where OpenStack
// has one, inference), each with one endpoint {id, interface "public", region = region_id =
// the world's region, url}; url is the endpoint's own base URL, scheme://host[:port] as the
// request reached it (Host header; https on TLS; forwarding headers ignored), with no version
// or project path (inference: clients append API paths, as with the provider's endpoints
// argument). IDs are 32 hex digits derived from the type (stable). Domain-scoped tokens get
// the same catalog; GET /v3/auth/catalog needs a project-scoped token or AK/SK (403 else).
// Version discovery: one version, id "v3.6", status "stable", updated
// "2016-04-04T00:00:00Z", media type application/vnd.openstack.identity-v3+json, self link
// base URL + "/v3/" (the published examples' values); no credentials checked; "/v3/" is 404.
//
// # Behaviour choices where the API docs are silent (inference)
//
// CBR v3:
//   - Request validation order: path IDs, body (9900), backup (6200), backup rules
//     (6700 type, 6702 status, 6709 encryption), then each member in order (6704 malformed,
//     own or unknown project; 6714 already a member, naming it; 6703 already shared to it
//     through VBS), then the limit (6701 when existing+new > 10). All or nothing.
//   - 9900 for: invalid JSON, trailing data, wrong types (a null or a number inside
//     members too), unknown fields, missing members, an empty list or more than 10,
//     duplicate IDs in the list, a non-empty domains list (not supported here), unknown
//     status values, a non-UUID vault_id or backup_id, a non-project member_id, accepting
//     without vault_id, bad list parameters (limit 1-1000, offset >= 0, unknown marker,
//     sort keys other than created_at, updated_at, status, id, directions other than asc
//     and desc, sort over 255 characters).
//   - The add response's count is the backup's member total after the add; the list's
//     count is the total matching the filters before paging. List default order:
//     created_at desc, then creation order. marker is a member record id.
//   - Only the owner adds, lists and deletes; others get 404 6200 there (the backup is not
//     in their project). Show: the owner any member, a receiver only itself; anyone else
//     404 6705. Update: only the member itself; the owner gets 400 6706.
//   - Status transitions: pending->accepted|rejected, accepted->rejected (frees the vault),
//     rejected->accepted (vault rechecked: 6105 missing or another project's, 6713 type,
//     6129 capacity, 6702 backup not available); the same status again (with the same
//     vault) is an idempotent 200; accepted->accepted into another vault and any ->pending
//     is 400 6706. Accepting adds the backup size to the vault's used_gb; rejecting or
//     deleting the member takes it out. image_id stays null (no image is registered).
//   - GET /v3/{p}/backups/{id}: the owner, or a receiver that accepted (vault_id = its
//     vault, project_id = the source); otherwise 404 6200.
//   - DELETE /v3/{p}/backups/{id} (owner): 400 6204 while an image was made from it;
//     otherwise removes it, its members (freeing receivers' vaults) and its VBS shares;
//     204. Later member calls get 404 6200, and listing its members answers the 401
//     {"unauthorized":{"code":"401","message":"Malformed request url"}} quirk when the
//     world's deleted_backup_quirk is true (default), else 404 6200.
//
// CBR v3 ListBackups (GET /v3/{project_id}/backups; what a recipient sees of a shared backup):
//   - own_type private (default: the caller's own backups), shared (every backup with a
//     member record for the caller's project, pending, accepted and rejected alike) or
//     all_granted (both). An accepted share is not listed under private. Disk backups
//     shared through VBS v2 are not CBR shares and are never listed.
//   - member_status (pending, accepted, rejected; the old accept/reject forms are 9900)
//     narrows the shared backups only; the caller's own backups have no member status for
//     it, so with private it changes nothing and with all_granted own backups stay listed.
//   - A shared backup keeps its ID and the owner's project_id; vault_id is the caller's
//     vault once accepted and null before (pending, rejected). provider_id follows the
//     resource type; incremental false and version 3 are added to the ShowBackup shape.
//   - Filters: resource_type (the six documented values; worlds hold OS::Nova::Server and
//     OS::Cinder::Volume), vault_id (the listed vault_id), status (repeatable; the eight
//     documented values and creating), image_type (backup matches all, replication none),
//     name, resource_name (both the backup name) and resource_id, checkpoint_id (the
//     backup ID), parent_id (matches nothing: no children), resource_az ({region}a),
//     enterprise_project_id (0 and all_granted_eps match, another ID nothing),
//     start_time/end_time (YYYY-MM-DDTHH:MM:SSZ, inclusive, on created_at), used_percent
//     (1-100: the listed vault at least that full). name matches exactly. dec, incremental
//     and show_replication must be true or false and have no effect. Unknown parameters are
//     ignored; any parameter but status given twice is 9900.
//   - Paging: limit 1-1000 (default 1000), offset >= 0, marker = the ID of any backup the
//     caller sees under its own_type (a marker hidden by the filters still positions the
//     page; anything else is 9900); marker applies before offset. sort keys created_at,
//     updated_at, name, status, protected_at, id (default created_at desc, then world
//     order). The body is {"backups","count"} only (count: every match before paging).
//
// IMS image lists (GlanceListImages, GET /v2/images, and ListImages, GET /v2/cloudimages):
//   - The caller sees its own images and those with a member record for its project. An
//     own image is visibility and __imagetype "shared" while it has members, else
//     "private"; an image shared with the caller is "shared" in both.
//   - visibility omitted: own images and shared-with-me images in member_status (default
//     accepted); private: own unshared; shared: own shared images plus shared-with-me in
//     member_status; public, community: nothing. member_status (accepted, pending,
//     rejected; "all" on /v2/images only) never narrows own images (upstream Glance).
//   - Filters: __imagetype (gold, private, shared, market), owner, id, name (exact),
//     status, created_at/updated_at ("<op>:<RFC 3339 time>", op gt|gte|lt|lte|eq|neq).
//     /v2/cloudimages also reads __whole_image (true|false), enterprise_project_id (0 and
//     all_granted_eps match, an ID nothing), architecture (x86 matches, arm nothing) and
//     flavor_id (no effect). Any other parameter filters by the image property of that name
//     (string, boolean or number as text; missing never matches), as Glance does.
//   - Images carry the documented fields with fixed values where the world has none
//     (status active, Linux, zvhd2/bare, the default world's time for created_at and
//     updated_at, virtual_size null); __whole_image is the string "true"/"false";
//     __backup_id and __data_origin ("server_backup,<backup_id>") only on full-ECS images.
//   - Paging: sort_key/sort_dir or sort=key[:dir],... (created_at, updated_at, name, id,
//     status, size, min_disk, min_ram, disk_format, container_format; default created_at
//     desc; ties by id in the last direction). marker = any image the caller sees, else
//     400. /v2/images: limit default 25, negative is 400, over 1000 is capped, 0 is an
//     empty page; "first" is the request without marker, "next" (the same with
//     marker=<last id>) only when a further page exists. /v2/cloudimages: limit 1-1000,
//     default 500, body {"images"} only: ask for the next page with marker=<last id>.
//   - Bad values and repeated parameters are 400 IMG.0001.
//
// VBS v2 (no codes are documented; all are chosen):
//
//	400 VolumeBackup.0001  invalid body or query (JSON, types, unknown fields, 1-10
//	                       to_project_ids, duplicates, bad share_to_me/is_backup_id/limit/
//	                       offset/sort_key/sort_dir, malformed IDs)
//	404 VolumeBackup.0064  backup not found or not the caller's
//	400 VolumeBackup.0100  not a disk backup (server backups go through CBR)
//	400 VolumeBackup.0101  backup not available
//	400 VolumeBackup.0102  target project malformed or unknown
//	400 VolumeBackup.0103  target is the caller's own project
//	400 VolumeBackup.0104  already shared to that project (through VBS or CBR)
//	404 VolumeBackup.0105  share not found or not visible
//	403 VolumeBackup.0106  only the sharing project can cancel a share
//
// Create is all or nothing and answers the published shape with nulls (created_at,
// updated_at, deleted, deleted_at). share_to_me=true lists shares made to the caller,
// otherwise those made by it; filters backup_id, to_project_id, from_project_id,
// volume_id, name (substring), status; limit/offset with a shared_links "next" link;
// default order created_at desc. Show works for both ends. Cancel by backup ID removes
// every share of the caller's backup (200 even when there were none).
//
// IMS v2:
//
//	400 IMG.0001  invalid body or parameter (chosen); also accepting a full-ECS image
//	              without vault_id ("vault_id is required ...") and status other than
//	              accepted/rejected
//	404 IMG.0027  image not found or not visible to the caller (chosen)
//	400 IMG.0076  sharing with yourself
//	400 IMG.0088  member limit: 10 for full-ECS images, 256 otherwise
//	403 IMG.0106  add/delete by a non-owner; update by anyone but the member itself
//	400 IMG.0108  member project malformed or unknown
//	409 IMG.0112  already a member
//	404 IMG.0114  no such member (or not visible to the caller)
//	400 IMG.0182  vault capacity insufficient (the image size is charged to the vault)
//	400 IMG.0184  vault not found, malformed, or another project's
//	400 IMG.0193  vault is not a server vault
//
// The owner lists every member, a member only itself. page_info is the object
// {"current_count":N,"next_marker":"..."} that the published schema defines (the published
// example shows a one-element array, which the official SDK cannot decode); next_marker
// (base64 of the last member ID) is present only when a further page exists. Accepting a
// full-ECS image into another vault moves the charge; rejecting or deleting frees it.
// The member schemas (GET /v2/schemas/member|members) need the same credentials as the
// other IMS calls (inference); their properties describe the members these calls answer.
//
// IMS v1 batch sharing (BatchAddMembers, BatchUpdateMembers, BatchDeleteMembers and ShowJob;
// the rules are the v2 calls', the rest is inference):
//   - The call checks only the request's shape: 400 IMG.0001 for invalid JSON, trailing
//     data, unknown fields, wrong types (nulls or numbers in lists too), images (and for
//     POST/DELETE projects) missing, null or empty, an ID listed twice, a non-empty domains
//     or organizations list (unsupported; empty ones are ignored), a missing project_id, a
//     status other than accepted/rejected. Else 200 {"job_id":"<32 hex>"}. Auth as in v2.
//   - The job checks the v2 rules per image and project (images x projects, list order) and
//     fails with the v2 call's code: IMG.0001 (malformed image ID; no vault_id for a full-ECS
//     image), 0027, 0106 (not the owner; project_id not the caller), 0076, 0108, 0112
//     (already a member), 0088 (quota counting the batch's own additions), 0114 (delete of a
//     non-member), 0184/0193/0182 (vault). All or nothing: the first failure undoes the
//     batch's earlier steps, vault charges included, and is the job's error.
//   - The batch runs on submission (v2 calls see it at once). Its job answers RUNNING to the
//     first GET (end_time "", error_code and fail_reason null, entities {"results":[]}), then
//     SUCCESS, or FAIL with error_code and fail_reason (the IMG code and message). begin_time:
//     submission; end_time: the first GET showing the outcome. job_type imsAddImageMembersJob,
//     imsUpdateImageMembersJob or imsDelImageMembersJob. entities.results: {image_id,
//     project_id, status "success"} per pair for add and update; none for delete (as
//     published) or a failed job.
//   - Only the submitting project reads a job; others, unknown or forgotten IDs get 404
//     IMG.0404 (chosen). Jobs live beside the world like issued tokens (not in World(), kept
//     by SetWorld), the newest 10000.
//   - The v1 list is the v2 list with 500 members a page by default (limit 1-1000); its
//     members and the v1 show's bare member add "member_type":"project".
//
// # World files
//
// A world is JSON (type World, snake_case fields). LoadWorld rejects unknown fields and
// checks every reference, naming the field ("world: backups[0].vault_id: vault ... does
// not exist"). Project IDs are 32 lower-case hex digits; vault, backup, image, member and
// share IDs are lower-case UUIDs. World() returns the live state (vault usage, members,
// shares, image members, deleted backups) and SetWorld restores it; tokens issued by IAM
// survive SetWorld while their user and project still exist.
//
// # Control API
//
// Access: the control API hands out every credential of the world and replaces the world,
// so it answers clients on a loopback address only (the TCP peer's address; forwarding
// headers are not read, and a reverse proxy on the same host counts as loopback). Any other
// client gets 403 {"error":"... -control-remote ..."} unless the program runs with
// -control-remote (WithRemoteControl(true)). With a control token (-control-token,
// TESTENDPOINT_CONTROL_TOKEN, WithControlToken) every control call, health included, needs
// "Authorization: Bearer TOKEN", else 401 with WWW-Authenticate: Bearer (from a remote
// client the 403 comes first). The API routes never need the control token. Prefer the
// environment variable to the flag: flags show in process lists. With -control-remote and
// no token the program warns on stderr.
//
// Request log: GET /_testendpoint/requests answers a JSON array of the API requests, oldest
// first, and the header X-Testendpoint-Dropped-Requests: N. The log keeps the newest
// -max-requests (WithMaxRequests; default 10000) requests; N counts those dropped to keep
// it so. DELETE empties the log and sets N back to 0. Server.Requests,
// Server.DroppedRequests and Server.ClearRequests do the same in Go.
//
// Faults apply to API requests only, before authentication, in list order (the first that
// fires wins). A fault has method ("" any), path (a pattern: "*" one segment, "**" any
// rest), and status (+ retry_after seconds, + body sent as is; default a gateway body,
// APIGW.0308 for 429, APIGW.0101 for 404 as for an unknown API), or drop (the connection is closed without a response), and/or
// delay_ms (alone: delay, then serve normally). count limits it to the next N requests
// it fires on; probability (0..1, 0 = always) uses a deterministic generator seeded by the
// fault's seed or the world's. Faulted requests are logged with "fault": true (status 0
// for a drop).
//
//	curl -s $URL/_testendpoint/world > world.json
//	curl -s -X PUT --data-binary @world.json $URL/_testendpoint/world
//	curl -s -D - $URL/_testendpoint/requests       # the X-Testendpoint-Dropped-Requests header too
//	curl -s -X DELETE $URL/_testendpoint/requests
//	curl -s -H "Authorization: Bearer $TESTENDPOINT_CONTROL_TOKEN" $URL/_testendpoint/health
//	curl -s -X PUT $URL/_testendpoint/faults -d '[{"method":"GET","path":"/v3/*/backups/*/members","status":429,"retry_after":2,"count":3}]'
//	curl -s -X PUT $URL/_testendpoint/faults -d '[{"path":"/v2/**","drop":true,"probability":0.2,"seed":42}]'
//	curl -s -X PUT $URL/_testendpoint/faults -d '[{"path":"/**","delay_ms":500}]'
//	curl -s -X DELETE $URL/_testendpoint/faults
//
// Invalid control bodies get 400 with a message naming the problem.
package testendpoint
