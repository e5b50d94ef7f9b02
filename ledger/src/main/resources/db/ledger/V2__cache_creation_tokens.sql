-- Input tokens written to the prompt cache (Usage.cacheCreationTokens), which V1 did not keep.
-- Rows written before this migration count none.

ALTER TABLE tasks ADD COLUMN cache_creation_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN cache_creation_tokens BIGINT NOT NULL DEFAULT 0;
