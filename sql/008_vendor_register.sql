-- vendor-review 008: the vendor register as a privacy office keeps it.
-- One 法人番号, one vendor: the plugin refuses a second unless an admin
-- states it is deliberate (duplicate_of names the vendor it shares the
-- number with, duplicate_reason says why); the index serves that lookup.

ALTER TABLE vr_vendors
  ADD COLUMN duplicate_of     BIGINT UNSIGNED NULL AFTER needs_review,
  ADD COLUMN duplicate_reason VARCHAR(400) NULL AFTER duplicate_of,
  ADD KEY vr_vendors_corporate_number (corporate_number, id);
