-- vendor-review 007: leak incidents at vendors (漏えい等報告) and the
-- national holidays their deadlines are moved past.

CREATE TABLE vr_incidents (
  id                          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  version                     INT UNSIGNED NOT NULL DEFAULT 1,
  vendor_id                   BIGINT UNSIGNED NOT NULL,
  host_ref                    VARCHAR(64) NULL,
  detected_at                 DATE NULL,
  aware_on                    DATE NOT NULL,
  data_classes                TEXT NOT NULL,
  people_affected             INT UNSIGNED NOT NULL,
  people_affected_is_estimate TINYINT(1) NOT NULL DEFAULT 0,
  cause                       VARCHAR(32) NOT NULL,
  malicious                   TINYINT(1) NOT NULL DEFAULT 0,
  encrypted                   TINYINT(1) NOT NULL DEFAULT 0,
  description                 TEXT NULL,
  vendor_notified_on          DATE NULL,
  vendor_notice_items         TEXT NULL,
  known_items                 TEXT NULL,
  require_audit               TINYINT(1) NOT NULL DEFAULT 0,
  reportable                  TINYINT(1) NOT NULL,
  reportable_cases            TEXT NOT NULL,
  preliminary_due             DATE NULL,
  final_due                   DATE NULL,
  deadline_note               TEXT NULL,
  unknown_items               TEXT NOT NULL,
  preliminary_reported_on     DATE NULL,
  final_reported_on           DATE NULL,
  people_notified_on          DATE NULL,
  audit_id                    BIGINT UNSIGNED NULL,
  state                       VARCHAR(32) NOT NULL,
  reported_by                 VARCHAR(255) NOT NULL,
  closed_by                   VARCHAR(255) NULL,
  created_by                  VARCHAR(255) NOT NULL,
  created_at                  DATETIME(6) NOT NULL,
  updated_by                  VARCHAR(255) NOT NULL,
  updated_at                  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY vr_incidents_vendor (vendor_id, id),
  KEY vr_incidents_state (state, id),
  KEY vr_incidents_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Japanese national holidays: data, not code (they change by law).
-- `vendor-review import-holidays FILE` replaces the years a file covers;
-- the shipped file is plugin-manifests/calendar/holidays-jp.csv.
CREATE TABLE vr_holidays (
  day  DATE NOT NULL,
  name VARCHAR(64) NOT NULL,
  PRIMARY KEY (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
