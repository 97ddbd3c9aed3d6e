-- Sign-in, roles and audit (issue 8).

-- People who sign in. `password_hash` is "scrypt$N$r$p$<salt b64>$<hash b64>" (auth/password.ts).
-- A disabled user cannot sign in and loses their sessions.
CREATE TABLE app_user (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username text NOT NULL UNIQUE,
	display_name text NOT NULL,
	role text NOT NULL CHECK (role IN ('wall', 'officer', 'planner', 'admin')),
	password_hash text NOT NULL,
	disabled boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Browser sessions: only the SHA-256 of the cookie's random token is stored.
CREATE TABLE user_session (
	token_hash text PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	ip text,
	user_agent text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expires_idx ON user_session (expires_at);

-- Long-lived device tokens (the wall's kiosk link, integration clients): revocable, never expire.
CREATE TABLE device_token (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL,
	role text NOT NULL CHECK (role IN ('wall', 'officer')),
	token_hash text NOT NULL UNIQUE,
	created_by text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	revoked_at timestamptz,
	revoked_by text
);

-- Failed sign-ins, for the rate limit (per address and per user name, in a sliding window).
CREATE TABLE login_failure (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	ip text NOT NULL,
	username text NOT NULL
);
CREATE INDEX login_failure_ip_idx ON login_failure (ip, at);
CREATE INDEX login_failure_username_idx ON login_failure (username, at);

-- The audit log: every write, who, what, when, before/after. Written in the same transaction
-- as the change it records (audit/audit.ts: recordAudit), never updated.
CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	actor text NOT NULL,
	actor_id text,
	actor_role text,
	action text NOT NULL,
	target_type text NOT NULL,
	target_id text,
	before jsonb,
	after jsonb,
	ip text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id DESC);
