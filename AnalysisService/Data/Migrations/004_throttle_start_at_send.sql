-- A reservation no longer records the call's start. The start is confirmed by the request pipeline at the last
-- moment before the request is sent (throttle_confirm_start), because the provider's rate limiter sees arrivals:
-- a call recorded as started while its client was still warming up arrived late, closer to the next call than
-- the spacing allows.
CREATE OR REPLACE FUNCTION analysis.throttle_try_reserve(
    p_name text, p_lease uuid, p_holder text, p_max_in_flight integer, p_spacing_ms integer,
    p_requests_per_minute integer, p_tokens_per_minute integer, p_tokens integer, p_lease_ms integer)
RETURNS TABLE (lease_id uuid, wait_ms double precision, reason text)
LANGUAGE plpgsql AS $$
DECLARE
    t        analysis.throttle%ROWTYPE;
    v_now    timestamptz := clock_timestamp();
    v_live   bigint;
    v_expiry timestamptz;
    v_slot   timestamptz;
BEGIN
    SELECT * INTO t FROM analysis.throttle WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'throttle % is missing; migrations did not run', p_name;
    END IF;
    IF t.paused_until > v_now THEN
        RETURN QUERY SELECT NULL::uuid, (extract(epoch FROM t.paused_until - v_now) * 1000)::double precision, 'paused'::text;
        RETURN;
    END IF;

    DELETE FROM analysis.throttle_leases WHERE throttle = p_name AND expires_at <= v_now;
    SELECT count(*), min(expires_at) INTO v_live, v_expiry FROM analysis.throttle_leases WHERE throttle = p_name;
    IF v_live >= p_max_in_flight THEN
        RETURN QUERY SELECT NULL::uuid, (extract(epoch FROM v_expiry - v_now) * 1000)::double precision, 'in_flight'::text;
        RETURN;
    END IF;

    IF v_now - t.window_start >= interval '1 minute' THEN
        t.window_start := v_now;
        t.window_requests := 0;
        t.window_tokens := 0;
    END IF;
    IF p_requests_per_minute > 0 AND t.window_requests >= p_requests_per_minute THEN
        RETURN QUERY SELECT NULL::uuid, (extract(epoch FROM t.window_start + interval '1 minute' - v_now) * 1000)::double precision, 'requests_per_minute'::text;
        RETURN;
    END IF;
    IF p_tokens_per_minute > 0 AND t.window_tokens > 0 AND t.window_tokens + p_tokens > p_tokens_per_minute THEN
        RETURN QUERY SELECT NULL::uuid, (extract(epoch FROM t.window_start + interval '1 minute' - v_now) * 1000)::double precision, 'tokens_per_minute'::text;
        RETURN;
    END IF;

    -- Slots are spaced from the later of the last reserved slot and the last actual start.
    v_slot := GREATEST(v_now, t.next_start_at, t.last_start_at + p_spacing_ms * interval '1 millisecond');
    UPDATE analysis.throttle
    SET next_start_at = v_slot + p_spacing_ms * interval '1 millisecond',
        window_start = t.window_start, window_requests = t.window_requests + 1, window_tokens = t.window_tokens + p_tokens
    WHERE name = p_name;
    INSERT INTO analysis.throttle_leases (id, throttle, holder, acquired_at, starts_at, expires_at)
    VALUES (p_lease, p_name, p_holder, v_now, v_slot, v_slot + p_lease_ms * interval '1 millisecond');
    RETURN QUERY SELECT p_lease, (extract(epoch FROM v_slot - v_now) * 1000)::double precision, 'reserved'::text;
END $$;
