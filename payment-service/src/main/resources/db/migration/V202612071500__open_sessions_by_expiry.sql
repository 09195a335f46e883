-- The expiry job (every few seconds) looks only at OPEN sessions past their expiry; without this
-- index it read every session ever created on each run.
CREATE INDEX checkout_sessions_open_by_expiry ON checkout_sessions (expires_at) WHERE status = 'OPEN';
