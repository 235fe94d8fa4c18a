using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// The global LLM throttle. Every call first reserves a start slot in <c>analysis.throttle</c>, in one
/// transaction on the locked row: no more than <see cref="ThrottleOptions.MaxConcurrency"/> unexpired leases,
/// the start at least <see cref="ThrottleOptions.MinSpacingMs"/> after the previous reserved start, within the
/// per-minute request and token budgets, and not before <c>paused_until</c>, which a 429 moves to the provider's
/// reset time. Times are the database's clock, so instances on different machines agree. A lease whose holder
/// died expires after <see cref="ThrottleOptions.LeaseMs"/>.
/// </summary>
public sealed partial class LlmThrottle(
    NpgsqlDataSource dataSource, IOptions<ThrottleOptions> options, AnalysisMetrics metrics, ILogger<LlmThrottle> logger)
{
    private const string Name = "llm";
    private readonly ThrottleOptions _options = options.Value;
    private readonly Lock _gate = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for a start slot and returns its lease; the call may start when this returns.</summary>
    public async Task<ThrottleLease> AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var paused = false;
        while (true)
        {
            Task released;
            lock (_gate)
            {
                released = _released.Task;
            }
            var decision = await TryReserveAsync(estimatedTokens, cancellationToken);
            if (decision.LeaseId is { } leaseId)
            {
                if (decision.Wait > TimeSpan.Zero)
                {
                    await Task.Delay(decision.Wait, cancellationToken);
                }
                // A 429 seen by another caller while this one waited for its slot pauses this one too.
                if (await PausedForAsync(cancellationToken) is { } pause && pause > TimeSpan.Zero)
                {
                    await ReleaseAsync(new ThrottleLease(leaseId, estimatedTokens, TimeSpan.Zero), 0, null, CancellationToken.None);
                    paused = true;
                    await Task.Delay(pause, cancellationToken);
                    continue;
                }
                var waited = Stopwatch.GetElapsedTime(started);
                metrics.ThrottleWaited(waited, paused);
                return new ThrottleLease(leaseId, estimatedTokens, waited);
            }
            paused |= decision.Paused;
            LogWaiting(decision.Reason, decision.Wait.TotalMilliseconds);
            // Wake early when a call of this process finishes; another instance's release is seen by polling.
            await Task.WhenAny(released, Task.Delay(decision.Wait, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Gives a slot back, corrects the token count with what the call really used, and on a 429 pauses the
    /// throttle for everyone until <paramref name="pauseFor"/> from now, in the same statement, so that no
    /// other caller can start between the release and the pause.
    /// </summary>
    public async Task ReleaseAsync(ThrottleLease lease, int actualTokens, TimeSpan? pauseFor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH released AS (
                DELETE FROM analysis.throttle_leases WHERE id = @id RETURNING acquired_at)
            UPDATE analysis.throttle AS t
            SET paused_until = CASE WHEN @pauseMs > 0
                                    THEN GREATEST(coalesce(t.paused_until, '-infinity'), clock_timestamp() + @pauseMs * interval '1 millisecond')
                                    ELSE t.paused_until END,
                window_tokens = CASE WHEN (SELECT acquired_at FROM released) >= t.window_start
                                     THEN GREATEST(0, t.window_tokens + @delta) ELSE t.window_tokens END
            WHERE t.name = @name
            """);
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("name", Name);
        command.Parameters.AddWithValue("pauseMs", (long)(pauseFor?.TotalMilliseconds ?? 0));
        command.Parameters.AddWithValue("delta", (long)(actualTokens > 0 ? actualTokens - lease.EstimatedTokens : 0));
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (pauseFor is { } pause)
        {
            LogPaused(pause.TotalMilliseconds);
        }
        TaskCompletionSource released;
        lock (_gate)
        {
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
    }

    private async Task<TimeSpan?> PausedForAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT paused_until - clock_timestamp() FROM analysis.throttle WHERE name = @name AND paused_until > clock_timestamp()");
        command.Parameters.AddWithValue("name", Name);
        return await command.ExecuteScalarAsync(cancellationToken) as TimeSpan?;
    }

    private async Task<Reservation> TryReserveAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock serialises every reservation of every instance; each holds it for a few statements.
        DateTime now, nextStart, windowStart;
        DateTime? pausedUntil;
        long windowRequests, windowTokens;
        await using (var select = new NpgsqlCommand("""
            SELECT clock_timestamp(), next_start_at, paused_until, window_start, window_requests, window_tokens
            FROM analysis.throttle WHERE name = @name FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("name", Name);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The analysis.throttle row is missing; migrations did not run.");
            }
            now = reader.GetDateTime(0);
            nextStart = reader.GetDateTime(1);
            pausedUntil = reader.IsDBNull(2) ? null : reader.GetDateTime(2);
            windowStart = reader.GetDateTime(3);
            windowRequests = reader.GetInt64(4);
            windowTokens = reader.GetInt64(5);
        }

        var poll = TimeSpan.FromMilliseconds(_options.PollMs);
        if (pausedUntil > now)
        {
            return Reservation.Later(pausedUntil.Value - now, "paused after a 429", paused: true);
        }

        DateTime? earliestExpiry;
        long inFlight;
        await using (var leases = new NpgsqlCommand("""
            WITH expired AS (DELETE FROM analysis.throttle_leases WHERE throttle = @name AND expires_at <= @now)
            SELECT count(*), min(expires_at) FROM analysis.throttle_leases WHERE throttle = @name AND expires_at > @now
            """, connection, transaction))
        {
            leases.Parameters.AddWithValue("name", Name);
            leases.Parameters.AddWithValue("now", now);
            await using var reader = await leases.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            inFlight = reader.GetInt64(0);
            earliestExpiry = reader.IsDBNull(1) ? null : reader.GetDateTime(1);
        }
        if (inFlight >= _options.MaxConcurrency)
        {
            await transaction.CommitAsync(cancellationToken);
            var untilExpiry = earliestExpiry is { } expiry ? expiry - now : poll;
            return Reservation.Later(untilExpiry < poll ? untilExpiry : poll, "all slots in flight");
        }

        if (now - windowStart >= TimeSpan.FromMinutes(1))
        {
            windowStart = now;
            windowRequests = 0;
            windowTokens = 0;
        }
        var windowLeft = windowStart + TimeSpan.FromMinutes(1) - now;
        if (_options.RequestsPerMinute > 0 && windowRequests >= _options.RequestsPerMinute)
        {
            return Reservation.Later(windowLeft, "requests-per-minute budget spent");
        }
        if (_options.TokensPerMinute > 0 && windowTokens > 0 && windowTokens + estimatedTokens > _options.TokensPerMinute)
        {
            return Reservation.Later(windowLeft, "tokens-per-minute budget spent");
        }

        var slot = nextStart > now ? nextStart : now;
        var leaseId = Guid.NewGuid();
        await using (var reserve = new NpgsqlCommand("""
            UPDATE analysis.throttle
            SET next_start_at = @slot + @spacingMs * interval '1 millisecond',
                window_start = @windowStart, window_requests = @requests, window_tokens = @tokens
            WHERE name = @name;
            INSERT INTO analysis.throttle_leases (id, throttle, holder, acquired_at, starts_at, expires_at)
            VALUES (@id, @name, @holder, @now, @slot, @slot + @leaseMs * interval '1 millisecond');
            """, connection, transaction))
        {
            reserve.Parameters.AddWithValue("name", Name);
            reserve.Parameters.AddWithValue("slot", slot);
            reserve.Parameters.AddWithValue("spacingMs", (long)_options.MinSpacingMs);
            reserve.Parameters.AddWithValue("windowStart", windowStart);
            reserve.Parameters.AddWithValue("requests", windowRequests + 1);
            reserve.Parameters.AddWithValue("tokens", windowTokens + estimatedTokens);
            reserve.Parameters.AddWithValue("id", leaseId);
            reserve.Parameters.AddWithValue("holder", $"{Environment.MachineName}:{Environment.ProcessId}");
            reserve.Parameters.AddWithValue("now", now);
            reserve.Parameters.AddWithValue("leaseMs", (long)_options.LeaseMs);
            await reserve.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Reservation(leaseId, slot - now, "reserved", false);
    }

    private sealed record Reservation(Guid? LeaseId, TimeSpan Wait, string Reason, bool Paused)
    {
        public static Reservation Later(TimeSpan wait, string reason, bool paused = false) =>
            new(null, wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), reason, paused);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM throttle: waiting {WaitMs} ms ({Reason})")]
    private partial void LogWaiting(string reason, double waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM provider rate limited us; every instance pauses LLM calls for {PauseMs} ms")]
    private partial void LogPaused(double pauseMs);
}
