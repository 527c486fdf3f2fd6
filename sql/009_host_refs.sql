-- vendor-review 009: subcontracts and incidents found by the host's
-- ticket id (host_ref), as assessments are (004).

ALTER TABLE vr_subcontracts
  ADD KEY vr_subcontracts_host_ref (host_ref, id);

ALTER TABLE vr_incidents
  ADD KEY vr_incidents_host_ref (host_ref, id);
