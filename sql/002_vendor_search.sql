-- vendor-review 002: a substring index for GET /vendors?q=.
-- A LIKE '%q%' cannot use an index, so every search scanned the vendors.
-- vr_vendor_terms holds every two-character substring of each vendor's
-- name and kana (in the same collation as the names, so matching stays
-- case-insensitive like the LIKE it narrows); a search for q of two or
-- more characters first takes the vendors having q's first two
-- characters, then checks the LIKE on those only.  The plugin rewrites a
-- vendor's terms in the same transaction as the vendor.

-- Character positions 1..500 (names are at most 400 characters).
CREATE TABLE vr_positions (
  i SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (i)
) ENGINE=InnoDB;
INSERT INTO vr_positions (i)
  SELECT h.d * 100 + t.d * 10 + u.d + 1
  FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL
        SELECT 3 UNION ALL SELECT 4) h,
       (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL
        SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL
        SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) t,
       (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL
        SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL
        SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) u;

CREATE TABLE vr_vendor_terms (
  term       VARCHAR(2) NOT NULL,
  vendor_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (term, vendor_id),
  KEY vr_vendor_terms_vendor (vendor_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- backfill:begin (bench/run runs this part again after a bulk load)
INSERT IGNORE INTO vr_vendor_terms (term, vendor_id)
  SELECT SUBSTRING(v.name, p.i, 2), v.id
  FROM vr_vendors v JOIN vr_positions p ON p.i < CHAR_LENGTH(v.name);
INSERT IGNORE INTO vr_vendor_terms (term, vendor_id)
  SELECT SUBSTRING(v.name_kana, p.i, 2), v.id
  FROM vr_vendors v JOIN vr_positions p ON p.i < CHAR_LENGTH(v.name_kana)
  WHERE v.name_kana IS NOT NULL;
-- backfill:end
