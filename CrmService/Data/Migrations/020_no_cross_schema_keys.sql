-- No foreign key crosses schemas: crm.exports no longer references analysis.analyses. The CRM service erases
-- its own rows (EraseConversations) instead of relying on the cascade, and migrates and starts independently.
-- analysis_id still names the analysis version exported last.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.connamespace = 'crm'::regnamespace
          AND (SELECT relnamespace FROM pg_class WHERE oid = c.confrelid) <> 'crm'::regnamespace
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
    END LOOP;
END $$;
