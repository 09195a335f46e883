-- The effects the platform tests' listeners and use cases write.
CREATE TABLE test_effect (
    id       uuid PRIMARY KEY,
    event_id uuid,
    value    text NOT NULL
);
