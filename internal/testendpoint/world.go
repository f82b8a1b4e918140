package testendpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// Resource types, statuses and limits of the world model.
const (
	ResourceServer = "server"
	ResourceDisk   = "disk"

	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"

	defaultTokenLifetime = 24 * time.Hour
	maxCBRMembers        = 10  // UMN: a backup can be shared with at most 10 projects
	maxFullECSMembers    = 10  // IMS: full-ECS images go to at most 10 tenants
	maxImageMembers      = 256 // IMS: system/data-disk images go to at most 256 tenants
)

// backupStatuses are the statuses a world backup may have; only "available" can be shared.
var backupStatuses = map[string]bool{
	"available": true, "creating": true, "protecting": true, "deleting": true, "restoring": true,
	"error": true, "waiting_protect": true, "waiting_delete": true, "waiting_restore": true,
}

// Duration is a time.Duration that reads and writes JSON as a Go duration string ("24h");
// a JSON number is taken as seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "24h0m0s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts "24h" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf(`invalid duration %q: use a Go duration such as "24h" or a number of seconds`, s)
		}
		*d = Duration(v)
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New(`duration must be a string such as "24h" or a number of seconds`)
	}
	*d = Duration(time.Duration(n * float64(time.Second)))
	return nil
}

// emptyIfNil replaces a nil list with an empty one.
func emptyIfNil[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// World is everything the endpoint knows: the static cloud (domains, projects, users,
// vaults, backups, images) and the live sharing state. World() snapshots it and
// SetWorld restores it, so a JSON world file can hold any state a test needs.
type World struct {
	Region                 string   `json:"region"`
	TokenLifetime          Duration `json:"token_lifetime"`
	AllowDiskBackupSharing bool     `json:"allow_disk_backup_sharing"`
	// DeletedBackupQuirk: listing the members of a deleted backup answers the 401
	// "Malformed request url" body seen in the wild (ShowMembersDetail). nil means true.
	DeletedBackupQuirk *bool `json:"deleted_backup_quirk,omitempty"`
	// Seed seeds the random generator of probabilistic faults that have no seed of their own.
	Seed int64 `json:"seed"`

	Domains  []Domain      `json:"domains"`
	Projects []Project     `json:"projects"`
	Users    []User        `json:"users"`
	Tokens   []StaticToken `json:"tokens"`
	Vaults   []Vault       `json:"vaults"`
	Backups  []Backup      `json:"backups"`
	Images   []Image       `json:"images"`

	// Live state.
	DeletedBackupIDs []string      `json:"deleted_backup_ids,omitempty"`
	CBRMembers       []CBRMember   `json:"cbr_members"`
	VBSShares        []VBSShare    `json:"vbs_shares"`
	ImageMembers     []ImageMember `json:"image_members"`
}

// Domain is an account.
type Domain struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Project belongs to a domain; its name is a region name, unique within the domain.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
}

// User can get password tokens and owns AK/SK pairs.
type User struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	DomainID   string      `json:"domain_id"`
	Password   string      `json:"password"`
	AccessKeys []AccessKey `json:"access_keys,omitempty"`
}

// AccessKey is an AK/SK pair. A non-empty SecurityToken makes it temporary: requests
// must then carry a matching X-Security-Token header.
type AccessKey struct {
	AccessKey     string    `json:"access_key"`
	SecretKey     string    `json:"secret_key"`
	SecurityToken string    `json:"security_token,omitempty"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"` // zero: never
}

// StaticToken is a pre-issued token, scoped to exactly one of a project or a domain.
type StaticToken struct {
	Token     string    `json:"token"`
	UserID    string    `json:"user_id"`
	ProjectID string    `json:"project_id,omitempty"`
	DomainID  string    `json:"domain_id,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never
}

// Vault is a CBR vault. UsedGB is live: accepting a shared backup or image into the vault adds to it.
type Vault struct {
	ID           string `json:"id"`
	ProjectID    string `json:"project_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"` // server | disk
	CapacityGB   int    `json:"capacity_gb"`
	UsedGB       int    `json:"used_gb"`
}

// Backup is a CBR backup (a disk backup is also the VBS backup of that disk).
type Backup struct {
	ID           string    `json:"id"`
	ProjectID    string    `json:"project_id"`
	Name         string    `json:"name"`
	ResourceType string    `json:"resource_type"` // server | disk
	ResourceID   string    `json:"resource_id,omitempty"`
	Status       string    `json:"status"`
	SizeGB       int       `json:"size_gb"`
	Encrypted    bool      `json:"encrypted"`
	VaultID      string    `json:"vault_id"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
}

// Image is an IMS image owned by a project. BackupID set means a full-ECS image made
// from that CBR backup: accepting it needs a vault.
type Image struct {
	ID        string `json:"id"`
	ProjectID string `json:"project_id"`
	Name      string `json:"name"`
	BackupID  string `json:"backup_id,omitempty"`
	SizeGB    int    `json:"size_gb"`
}

// CBRMember is a CBR v3 share member.
type CBRMember struct {
	ID            string    `json:"id"`
	BackupID      string    `json:"backup_id"`
	DestProjectID string    `json:"dest_project_id"`
	Status        string    `json:"status"`
	VaultID       string    `json:"vault_id,omitempty"`
	ImageID       string    `json:"image_id,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}

// VBSShare is a VBS v2 share of a disk backup.
type VBSShare struct {
	ID            string    `json:"id"`
	BackupID      string    `json:"backup_id"`
	FromProjectID string    `json:"from_project_id"`
	ToProjectID   string    `json:"to_project_id"`
	CreatedAt     time.Time `json:"created_at"`
}

// ImageMember is an IMS image member.
type ImageMember struct {
	ImageID   string    `json:"image_id"`
	MemberID  string    `json:"member_id"`
	Status    string    `json:"status"`
	VaultID   string    `json:"vault_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var (
	projectIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func isProjectID(s string) bool { return projectIDRe.MatchString(s) }
func isUUID(s string) bool      { return uuidRe.MatchString(s) }

// LoadWorld reads a world from JSON. Unknown fields are rejected, defaults are applied
// (token_lifetime 24h, deleted_backup_quirk true) and every reference is checked.
func LoadWorld(r io.Reader) (World, error) {
	var w World
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return World{}, fmt.Errorf("world: must be a JSON object, not %s", te.Value)
		}
		return World{}, fmt.Errorf("world: %w", cleanJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return World{}, errors.New("world: unexpected data after the JSON object")
	}
	return prepareWorld(w)
}

// clone deep-copies a world through JSON: every field is JSON-serialisable, and this
// cannot go stale when a field is added. Worlds are validated by cloneChecked first,
// so a failure here is a bug.
func (w World) clone() World {
	c, err := w.cloneChecked()
	if err != nil {
		panic("testendpoint: " + err.Error())
	}
	return c
}

func (w World) cloneChecked() (World, error) {
	b, err := json.Marshal(w)
	if err != nil {
		return World{}, fmt.Errorf("world cannot be encoded as JSON: %w", err)
	}
	var c World
	if err := json.Unmarshal(b, &c); err != nil {
		return World{}, fmt.Errorf("world does not survive a JSON round trip: %w", err)
	}
	return c, nil
}

// prepareWorld copies w, fills defaults and validates it.
func prepareWorld(in World) (World, error) {
	w, err := in.cloneChecked()
	if err != nil {
		return World{}, fmt.Errorf("world: %w", err)
	}
	if w.TokenLifetime == 0 {
		w.TokenLifetime = Duration(defaultTokenLifetime)
	}
	if w.DeletedBackupQuirk == nil {
		t := true
		w.DeletedBackupQuirk = &t
	}
	// Empty lists rather than nulls, so snapshots are easy to edit.
	emptyIfNil(&w.Domains)
	emptyIfNil(&w.Projects)
	emptyIfNil(&w.Users)
	emptyIfNil(&w.Tokens)
	emptyIfNil(&w.Vaults)
	emptyIfNil(&w.Backups)
	emptyIfNil(&w.Images)
	emptyIfNil(&w.CBRMembers)
	emptyIfNil(&w.VBSShares)
	emptyIfNil(&w.ImageMembers)
	for i := range w.Backups {
		if w.Backups[i].CreatedAt.IsZero() {
			w.Backups[i].CreatedAt = defaultTime
		}
	}
	if err := w.validate(); err != nil {
		return World{}, err
	}
	return w, nil
}

// MarshalIndent is a helper for printing worlds (the -print-world flag).
func (w World) MarshalIndent() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
