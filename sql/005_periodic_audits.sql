-- vendor-review 005: periodic audits (定期監査) opened by the scheduler,
-- the once-only notices it raises, and what a re-audit shows of the last.

-- A periodic audit is for one cycle of its vendor: the next_audit_due date
-- it was opened for.  The unique key is what makes "opened exactly once"
-- hold for two scheduler runs at once, on one server or on a Galera
-- cluster (where GET_LOCK and FOR UPDATE lock only their own node): the
-- second insert is a duplicate key, or fails certification and is retried
-- into one.  Cases without a cycle (onboarding, an extra audit) are NULL,
-- which a unique key does not compare.
ALTER TABLE vr_assessments
  ADD COLUMN cycle DATE NULL AFTER host_ref,
  ADD COLUMN previous_id BIGINT UNSIGNED NULL AFTER cycle,
  ADD UNIQUE KEY vr_assessments_cycle (vendor_id, kind, cycle),
  ADD KEY vr_assessments_cycle_due (cycle, id);

-- The scheduler's scan: approved vendors by due date.
ALTER TABLE vr_vendors
  ADD KEY vr_vendors_audit_due (status, next_audit_due, id);

-- Findings by due date, for reminders and escalations.
ALTER TABLE vr_findings
  ADD KEY vr_findings_due (status, due_date, id);

-- Each reminder or escalation is raised once: its row is the proof, and
-- its unique key the guard (database-enforced, so it holds across
-- processes and Galera nodes alike).  step tells apart the occasions one
-- entity may have: the state an overdue case is in, the link a reminder
-- is for, the due date of a finding.
CREATE TABLE vr_notices (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  entity     VARCHAR(32) NOT NULL,
  entity_id  BIGINT UNSIGNED NOT NULL,
  notice     VARCHAR(64) NOT NULL,
  step       VARCHAR(80) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY vr_notices_once (entity, entity_id, notice, step)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
