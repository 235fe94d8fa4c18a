using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// The global LLM throttle. Every call first reserves a start slot in <c>analysis.throttle</c>, in one
/// transaction on the locked row: no more than <see cref="ThrottleOptions.MaxConcurrency"/> unexpired leases,
/// the slot at least <see cref="ThrottleOptions.MinSpacing"/> after the previous slot, within the per-minute
/// request and token budgets, and not before <c>paused_until</c>, which a 429 moves to the provider's reset
/// time. The spacing then holds once more between the actual starts, confirmed as each request is sent. Times are the database's clock, so instances on different machines agree. A lease whose holder
/// died expires after <see cref="ThrottleOptions.Lease"/>.
/// </summary>
public sealed partial class LlmThrottle(
    NpgsqlDataSource dataSource, IOptions<ThrottleOptions> options, AnalysisMetrics metrics, ILogger<LlmThrottle> logger)
{
    private const string Name = "llm";
    private readonly ThrottleOptions _options = options.Value;
    private readonly Lock _gate = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits for a start slot and returns its lease once the slot is due. The call's actual start is confirmed
    /// later, by <see cref="ConfirmStartAsync"/>, at the moment its request is sent.
    /// </summary>
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
                var lease = new ThrottleLease(leaseId, estimatedTokens, TimeSpan.Zero);
                try
                {
                    if (decision.Wait > TimeSpan.Zero)
                    {
                        await Task.Delay(decision.Wait, cancellationToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Shutting down while holding a slot: give it back now rather than when its lease expires.
                    await ReleaseAsync(lease, 0, null, CancellationToken.None);
                    throw;
                }
                var waited = Stopwatch.GetElapsedTime(started);
                metrics.ThrottleWaited(waited, paused);
                return lease with { Waited = waited };
            }
            paused |= decision.Paused;
            LogWaiting(decision.Reason, decision.Wait.TotalMilliseconds);
            // Wake early when a call of this process finishes; another instance's release is seen by polling.
            await Task.WhenAny(released, Task.Delay(decision.Wait, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Records the actual start of a call on the database's clock; called by the request pipeline immediately
    /// before the request leaves (<see cref="ThrottledSendPolicy"/>), because the provider's rate limiter sees
    /// arrivals, and a request can leave well after its slot (a client warming up, a busy machine). A start
    /// closer than the minimum spacing to the previous actual start waits the difference; while the throttle is
    /// paused by a 429 it waits for the pause to end. The slot stays held meanwhile.
    /// </summary>
    public async Task ConfirmStartAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT started, wait_ms, paused FROM analysis.throttle_confirm_start(@name, @spacingMs)");
            command.Parameters.AddWithValue("name", Name);
            command.Parameters.AddWithValue("spacingMs", (int)_options.MinSpacing.TotalMilliseconds);
            TimeSpan wait;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetBoolean(0))
                {
                    return;
                }
                wait = TimeSpan.FromMilliseconds(Math.Max(1, reader.GetDouble(1)));
            }
            await Task.Delay(wait, cancellationToken);
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

    private async Task<Reservation> TryReserveAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT lease_id, wait_ms, reason
            FROM analysis.throttle_try_reserve(@name, @lease, @holder, @max, @spacingMs, @rpm, @tpm, @tokens, @leaseMs)
            """);
        command.Parameters.AddWithValue("name", Name);
        command.Parameters.AddWithValue("lease", Guid.NewGuid());
        command.Parameters.AddWithValue("holder", $"{Environment.MachineName}:{Environment.ProcessId}");
        command.Parameters.AddWithValue("max", _options.MaxConcurrency);
        command.Parameters.AddWithValue("spacingMs", (int)_options.MinSpacing.TotalMilliseconds);
        command.Parameters.AddWithValue("rpm", _options.RequestsPerMinute);
        command.Parameters.AddWithValue("tpm", _options.TokensPerMinute);
        command.Parameters.AddWithValue("tokens", estimatedTokens);
        command.Parameters.AddWithValue("leaseMs", (int)_options.Lease.TotalMilliseconds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, reader.GetDouble(1)));
        var reason = reader.GetString(2);
        if (!reader.IsDBNull(0))
        {
            return new Reservation(reader.GetGuid(0), wait, reason, false);
        }
        // Slots held by other calls: look again when the first lease would expire, or sooner (a release of this
        // process wakes the caller at once; another instance's release is seen at the next poll).
        var poll = _options.PollInterval;
        return reason == "in_flight"
            ? Reservation.Later(wait < poll ? wait : poll, reason)
            : Reservation.Later(wait, reason, paused: reason == "paused");
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
