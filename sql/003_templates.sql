-- vendor-review 003: check-sheet templates (チェックシート).
-- A template is published once and never changes: a new version is a new
-- row (code, version unique).  Its sections, with their questions and
-- options, are kept whole as the API's canonical JSON in one column: a
-- template is read as one document and never queried by its parts.
-- Assessments pin the row they started with (a later issue adds them).

CREATE TABLE vr_templates (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code        VARCHAR(64) NOT NULL,
  version     INT UNSIGNED NOT NULL,
  kind        VARCHAR(32) NOT NULL,
  title       TEXT NOT NULL,
  sections    MEDIUMTEXT NOT NULL,
  questions   INT UNSIGNED NOT NULL,
  created_by  VARCHAR(255) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY vr_templates_code_version (code, version),
  KEY vr_templates_kind (kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
