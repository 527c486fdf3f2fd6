-- vendor-review 010: an update's event names the fields it changed (a JSON
-- array of field names; NULL for a record that was created), so a host
-- can act on it without reading the record again.

ALTER TABLE vr_events
  ADD COLUMN changed TEXT NULL;
