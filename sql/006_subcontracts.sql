-- vendor-review 006: subcontracts (再委託), each a gate run by the
-- subcontract workflow of the manifest, forming chains (再々委託) below
-- the vendors we contract with.

CREATE TABLE vr_subcontracts (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  version               INT UNSIGNED NOT NULL DEFAULT 1,
  parent_vendor_id      BIGINT UNSIGNED NOT NULL,
  parent_subcontract_id BIGINT UNSIGNED NULL,
  vendor_id             BIGINT UNSIGNED NOT NULL,
  scope                 TEXT NOT NULL,
  data_classes          TEXT NOT NULL,
  period_end            DATE NOT NULL,
  host_ref              VARCHAR(64) NULL,
  flow_down             TEXT NULL,
  assessment_id         BIGINT UNSIGNED NULL,
  depth                 INT UNSIGNED NOT NULL,
  state                 VARCHAR(32) NOT NULL,
  flagged               TINYINT(1) NOT NULL DEFAULT 0,
  flag_reason           TEXT NULL,
  requested_by          VARCHAR(255) NOT NULL,
  reviewed_by           VARCHAR(255) NULL,
  decided_by            VARCHAR(255) NULL,
  created_by            VARCHAR(255) NOT NULL,
  created_at            DATETIME(6) NOT NULL,
  updated_by            VARCHAR(255) NOT NULL,
  updated_at            DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY vr_subcontracts_parent (parent_vendor_id, id),
  KEY vr_subcontracts_vendor (vendor_id, id),
  KEY vr_subcontracts_state (state, id),
  KEY vr_subcontracts_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
