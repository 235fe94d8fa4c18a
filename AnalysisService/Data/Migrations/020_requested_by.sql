-- Who asked for each analysis version, for the admin view and the lineage report: "system:pipeline" for the
-- versions the webhook pipeline made, the admin key id for re-analyses and rectifications. Versions made before
-- this column were either automatic (no reason recorded: now "webhook" by "system:pipeline") or explicit (their
-- requester was never recorded, so it stays unknown).
ALTER TABLE analysis.analyses ADD COLUMN IF NOT EXISTS requested_by text;
UPDATE analysis.analyses SET reason = 'webhook', requested_by = 'system:pipeline' WHERE reason IS NULL;
