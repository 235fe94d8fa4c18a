-- No foreign key crosses schemas: analysis.analyses no longer references ingest.webhook_events. Each service
-- alone writes its schema and erases its own rows (through its EraseConversations RPC), so nothing relies on the
-- cascade, and the services migrate and start independently. event_id still names the gateway's event.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.connamespace = 'analysis'::regnamespace
          AND (SELECT relnamespace FROM pg_class WHERE oid = c.confrelid) <> 'analysis'::regnamespace
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
    END LOOP;
END $$;
