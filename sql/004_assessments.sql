-- vendor-review 004: assessments (評価) run by the workflows of the
-- manifest, their answers, findings, and what approval gives a vendor.

-- A case of one workflow on one vendor.  It pins the template version it
-- started with and the vendor's tier then (which picks the questions).
-- The vendor link's token is never stored: only its SHA-256.
CREATE TABLE vr_assessments (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  kind            VARCHAR(32) NOT NULL,
  vendor_id       BIGINT UNSIGNED NOT NULL,
  host_ref        VARCHAR(64) NULL,
  state           VARCHAR(32) NOT NULL,
  template_id     BIGINT UNSIGNED NOT NULL,
  tier            VARCHAR(8) NOT NULL,
  answered        INT UNSIGNED NOT NULL DEFAULT 0,
  required        INT UNSIGNED NOT NULL DEFAULT 0,
  score           INT UNSIGNED NULL,
  section_scores  TEXT NULL,
  requested_by    VARCHAR(255) NOT NULL,
  reviewed_by     VARCHAR(255) NULL,
  decided_by      VARCHAR(255) NULL,
  link_hash       CHAR(64) NULL,
  link_expires_at DATETIME(6) NULL,
  created_by      VARCHAR(255) NOT NULL,
  created_at      DATETIME(6) NOT NULL,
  updated_by      VARCHAR(255) NOT NULL,
  updated_at      DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY vr_assessments_link (link_hash),
  KEY vr_assessments_vendor (vendor_id, id),
  KEY vr_assessments_state (state, id),
  KEY vr_assessments_kind (kind, id),
  KEY vr_assessments_host_ref (host_ref, id),
  KEY vr_assessments_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per answered question, rewritten with the case.
CREATE TABLE vr_answers (
  assessment_id BIGINT UNSIGNED NOT NULL,
  position      INT UNSIGNED NOT NULL,
  question      VARCHAR(16) NOT NULL,
  value         TEXT NULL,
  note          TEXT NULL,
  evidence      VARCHAR(500) NULL,
  answered_by   VARCHAR(255) NOT NULL,
  answered_at   DATETIME(6) NOT NULL,
  PRIMARY KEY (assessment_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 指摘事項: raised by a failed mandatory control or by a reviewer.
CREATE TABLE vr_findings (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  version          INT UNSIGNED NOT NULL DEFAULT 1,
  assessment_id    BIGINT UNSIGNED NOT NULL,
  vendor_id        BIGINT UNSIGNED NOT NULL,
  question         VARCHAR(16) NULL,
  answer           TEXT NULL,
  source           VARCHAR(32) NOT NULL,
  severity         VARCHAR(8) NOT NULL,
  description      TEXT NOT NULL,
  remediation      TEXT NULL,
  owner            VARCHAR(255) NULL,
  due_date         DATE NULL,
  status           VARCHAR(16) NOT NULL,
  risk_reason      TEXT NULL,
  risk_accepted_by VARCHAR(255) NULL,
  risk_accepted_until DATE NULL,
  created_by       VARCHAR(255) NOT NULL,
  created_at       DATETIME(6) NOT NULL,
  updated_by       VARCHAR(255) NOT NULL,
  updated_at       DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY vr_findings_assessment (assessment_id, id),
  KEY vr_findings_vendor (vendor_id, status, id),
  KEY vr_findings_status (status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Approval gives the next audit date; a material change after approval
-- marks the vendor as needing review.
ALTER TABLE vr_vendors
  ADD COLUMN next_audit_due DATE NULL AFTER status,
  ADD COLUMN needs_review TINYINT(1) NOT NULL DEFAULT 0 AFTER next_audit_due;

-- An event of a workflow transition names the workflow, the transition
-- and the states it went from and to, so a host can act on it alone.
ALTER TABLE vr_events
  ADD COLUMN workflow VARCHAR(32) NULL,
  ADD COLUMN transition VARCHAR(64) NULL,
  ADD COLUMN from_state VARCHAR(32) NULL,
  ADD COLUMN to_state VARCHAR(32) NULL;
