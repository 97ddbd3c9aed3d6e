-- Idempotency keys (issue 16): a client that did not hear the answer to a write retries it with
-- the same `Idempotency-Key` header and gets the first answer back; nothing is stored twice.
-- The key row is written in the same transaction as the write it guards, so a key exists
-- exactly when its write was committed. Rows older than 24 hours are deleted as new ones arrive.
CREATE TABLE idempotency_key (
	actor_id text NOT NULL,
	key text NOT NULL,
	route text NOT NULL,
	fingerprint text NOT NULL,
	status int2,
	body jsonb,
	location text,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (actor_id, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
