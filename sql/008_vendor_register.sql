-- vendor-review 008: the vendor register as a privacy office keeps it.
-- One 法人番号, one vendor: the plugin refuses a second unless an admin
-- states it is deliberate (duplicate_of names the vendor it shares the
-- number with, duplicate_reason says why); the index serves that lookup.
-- The contract's period and renewal date; the certifications (Pマーク,
-- ISMS / ISO 27001, others, each with number and expiry) are a list kept
-- as its JSON, which the scheduler reads with JSON_TABLE for expiries.
--
-- Search (GET /vendors?q=) finds 株式会社サンプル from (株)サンプル, ㈱サンプル
-- or 株式会社 サンプル, and a vendor by its 法人番号 or address: search_text
-- is the name, kana, number and address with spaces, hyphens and the
-- legal-form words and their abbreviations taken out, kept by the database
-- itself (so rows written by hand or bulk-loaded have it too); the plugin
-- takes the same out of q (fcgi/domain/vr_namefold.c: keep the two lists
-- alike) and the vr_vendor_terms substrings now come from search_text.
-- Full-width letters and digits, half-width kana and case need no folding:
-- utf8mb4_unicode_ci already compares them equal.  The parts are joined by
-- U+001F, which q never holds, so no match runs across two of them.
-- corporate_number becomes VARCHAR: a CHAR column may not feed a
-- generated one (its padding depends on the SQL mode).
--
-- sort=kana (五十音順): kana_key is the sort key of the kana (or of the
-- name, without one) in utf8mb4_uca1400_as_cs, which orders kana as a
-- Japanese dictionary does (清音 before 濁音 before 半濁音 where the rest is
-- equal, small kana before large: カッコウ, カツコウ, ガッコウ); unicode_ci
-- leaves those ties unordered.  The key is the collation's weights in hex
-- (ascii_bin orders it byte by byte), not the text in that collation:
-- MariaDB 10.11's ORDER BY ... LIMIT sorted such a column by its first
-- level only (ガッコウ before カツコウ).  Cut at 1000 hex digits, past the
-- first level of any name; longer ties fall to the id, as every sort does.

ALTER TABLE vr_vendors
  MODIFY COLUMN corporate_number VARCHAR(13) NULL,
  ADD COLUMN duplicate_of     BIGINT UNSIGNED NULL AFTER needs_review,
  ADD COLUMN duplicate_reason VARCHAR(400) NULL AFTER duplicate_of,
  ADD COLUMN contract_start   DATE NULL AFTER duplicate_reason,
  ADD COLUMN contract_end     DATE NULL AFTER contract_start,
  ADD COLUMN renewal_date     DATE NULL AFTER contract_end,
  ADD COLUMN certifications   TEXT NULL AFTER renewal_date,
  ADD COLUMN search_text VARCHAR(816) AS (
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
    CONCAT_WS(CHAR(31 USING utf8mb4), name, name_kana, corporate_number, address)
    , ' ', '')  -- space
    , '　', '')  -- U+3000 ideographic space
    , '-', '')  -- hyphen-minus
    , '－', '')  -- U+FF0D fullwidth hyphen-minus
    , '‐', '')  -- U+2010 hyphen
    , '‑', '')  -- U+2011 non-breaking hyphen
    , '‒', '')  -- U+2012 figure dash
    , '–', '')  -- U+2013 en dash
    , '—', '')  -- U+2014 em dash
    , '―', '')  -- U+2015 horizontal bar
    , '−', '')  -- U+2212 minus sign
    , '株式会社', '')
    , '有限会社', '')
    , '合同会社', '')
    , '合資会社', '')
    , '合名会社', '')
    , '一般社団法人', '')
    , '一般財団法人', '')
    , '公益社団法人', '')
    , '公益財団法人', '')
    , '特定非営利活動法人', '')
    , '(株)', '')
    , '（株）', '')
    , '㈱', '')
    , '(有)', '')
    , '（有）', '')
    , '㈲', '')
    , '(同)', '')
    , '（同）', '')
    , '(資)', '')
    , '（資）', '')
    , '㈾', '')
    , '(名)', '')
    , '（名）', '')
    , '㈴', '')
    , '(一社)', '')
    , '（一社）', '')
    , '(一財)', '')
    , '（一財）', '')
    , '(公社)', '')
    , '（公社）', '')
    , '(公財)', '')
    , '（公財）', '')
    , 'カブシキガイシャ', '')
    , 'カブシキカイシャ', '')
    , 'ユウゲンガイシャ', '')
    , 'ゴウドウガイシャ', '')
  ) PERSISTENT,
  ADD COLUMN kana_key VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin
    AS (LEFT(HEX(WEIGHT_STRING(COALESCE(name_kana, name)
      COLLATE utf8mb4_uca1400_as_cs)), 1000)) PERSISTENT,
  ADD KEY vr_vendors_corporate_number (corporate_number, id),
  ADD KEY vr_vendors_kana (kana_key, id);

-- search_text runs to 816 characters (200 + 200 + 13 + 400 + 3).
INSERT INTO vr_positions (i)
  SELECT 500 + p.i FROM vr_positions p WHERE p.i <= 500;

-- backfill:begin (bench/run runs this part again after a bulk load)
DELETE FROM vr_vendor_terms;
INSERT IGNORE INTO vr_vendor_terms (term, vendor_id)
  SELECT SUBSTRING(v.search_text, p.i, 2), v.id
  FROM vr_vendors v JOIN vr_positions p ON p.i < CHAR_LENGTH(v.search_text);
-- backfill:end
