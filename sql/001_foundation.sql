-- vendor-review 001: vendors, the audit chain and the event outbox.
-- Every table is the plugin's own (prefix vr_); the host's tables are
-- never touched.  Times are UTC DATETIME(6).

CREATE TABLE vr_vendors (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  version           INT UNSIGNED NOT NULL DEFAULT 1,
  name              VARCHAR(200) NOT NULL,
  name_kana         VARCHAR(200) NULL,
  corporate_number  CHAR(13) NULL,
  address           VARCHAR(400) NULL,
  contact_name      VARCHAR(200) NULL,
  contact_email     VARCHAR(254) NULL,
  contract_type     VARCHAR(16) NULL,
  owner_department  VARCHAR(200) NULL,
  personal_data     VARCHAR(16) NOT NULL DEFAULT 'none',
  special_care_data TINYINT(1) NOT NULL DEFAULT 0,
  payment_data      TINYINT(1) NOT NULL DEFAULT 0,
  confidential_data TINYINT(1) NOT NULL DEFAULT 0,
  system_access     TINYINT(1) NOT NULL DEFAULT 0,
  offsite_work      TINYINT(1) NOT NULL DEFAULT 0,
  tier              VARCHAR(8) NOT NULL,
  status            VARCHAR(16) NOT NULL DEFAULT 'candidate',
  created_by        VARCHAR(255) NOT NULL,
  created_at        DATETIME(6) NOT NULL,
  updated_by        VARCHAR(255) NOT NULL,
  updated_at        DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY vr_vendors_name (name, id),
  KEY vr_vendors_updated (updated_at, id),
  KEY vr_vendors_status (status, id),
  KEY vr_vendors_tier (tier, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The single row every write transaction locks first (FOR UPDATE): it
-- numbers audit rows and events in commit order and holds the chain's
-- last hash, so the chain is linear and a reader of events never misses
-- one committed late.
CREATE TABLE vr_chain_head (
  id             TINYINT UNSIGNED NOT NULL,
  last_audit_id  BIGINT UNSIGNED NOT NULL,
  last_event_id  BIGINT UNSIGNED NOT NULL,
  last_hash      CHAR(64) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
INSERT INTO vr_chain_head VALUES
  (1, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE vr_audit_log (
  id          BIGINT UNSIGNED NOT NULL,
  at          DATETIME(6) NOT NULL,
  actor       VARCHAR(255) NOT NULL,
  action      VARCHAR(64) NOT NULL,
  entity      VARCHAR(32) NOT NULL,
  entity_id   BIGINT UNSIGNED NOT NULL,
  before_json MEDIUMTEXT NULL,
  after_json  MEDIUMTEXT NULL,
  request_id  CHAR(32) NOT NULL,
  prev_hash   CHAR(64) NOT NULL,
  hash        CHAR(64) NOT NULL,
  PRIMARY KEY (id),
  KEY vr_audit_entity (entity, entity_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: the server refuses to change or remove audit rows.
CREATE TRIGGER vr_audit_log_no_update BEFORE UPDATE ON vr_audit_log
  FOR EACH ROW SIGNAL SQLSTATE '45000'
  SET MESSAGE_TEXT = 'vr_audit_log is append-only';
CREATE TRIGGER vr_audit_log_no_delete BEFORE DELETE ON vr_audit_log
  FOR EACH ROW SIGNAL SQLSTATE '45000'
  SET MESSAGE_TEXT = 'vr_audit_log is append-only';

CREATE TABLE vr_events (
  id          BIGINT UNSIGNED NOT NULL,
  type        VARCHAR(64) NOT NULL,
  entity      VARCHAR(32) NOT NULL,
  entity_id   BIGINT UNSIGNED NOT NULL,
  actor       VARCHAR(255) NOT NULL,
  audit_id    BIGINT UNSIGNED NOT NULL,
  request_id  CHAR(32) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
