using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// Exports one lead to every configured sink: the Markdown mirror first (a local copy survives a CRM outage),
/// then Creatio through its Polly pipeline (circuit breaker, quick retries, timeout). The export succeeds only when every sink took it; both sinks are
/// idempotent (the section is replaced, the lead Id is deterministic), so a retry after a partial failure
/// repeats nothing.
/// </summary>
public sealed partial class LeadExporter(
    CreatioRequestBuilder builder,
    CreatioCircuit circuit,
    CreatioClient client,
    MarkdownMirror mirror,
    CrmMetrics metrics,
    IOptions<CrmOptions> options,
    TimeProvider time,
    ILogger<LeadExporter> logger)
{
    public string Sink => SinkOf(options.Value);

    public static string SinkOf(CrmOptions settings) => (settings.CreatioEnabled, settings.MarkdownEnabled) switch
    {
        (true, true) => "creatio+markdown",
        (true, false) => "creatio",
        (false, true) => "markdown",
        _ => "none",
    };

    public async Task<ExportOutcome> ExportAsync(Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var started = Stopwatch.GetTimestamp();
        var outcome = await ExportCoreAsync(lead, cancellationToken);
        metrics.Record(outcome, Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    /// <summary>
    /// Exports several leads when Creatio is off: every section in one append and one fsync of the Markdown mirror.
    /// Returns one outcome per lead, in order; the mirror takes all of them or none, so they are all alike. Each
    /// lead is counted in the metrics as its own export, timed by the shared write it waited for.
    /// </summary>
    public async Task<IReadOnlyList<ExportOutcome>> ExportWithoutCreatioAsync(IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var settings = options.Value;
        if (settings.CreatioEnabled)
        {
            // A CRM call per lead has its own breaker verdict and outcome: ExportAsync, one lead at a time.
            throw new InvalidOperationException("With Creatio enabled, leads are exported one at a time.");
        }
        var started = Stopwatch.GetTimestamp();
        var sink = SinkOf(settings);
        var requests = leads.Select(builder.Build).ToList();
        string? error = null;
        if (settings.MarkdownEnabled)
        {
            try
            {
                await mirror.WriteAsync(leads, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
            {
                LogMarkdownFailed(ex.GetType().Name, ex.Message);
                error = $"Markdown mirror: {ex.GetType().Name}: {ex.Message}";
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var outcomes = requests.Select(request => new ExportOutcome(error is null ? ExportStatus.Exported : ExportStatus.Failed, request, sink, error)).ToList();
        foreach (var outcome in outcomes)
        {
            metrics.Record(outcome, elapsed);
        }
        return outcomes;
    }

    private async Task<ExportOutcome> ExportCoreAsync(Lead lead, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sink = SinkOf(settings);
        var request = builder.Build(lead);

        // While the breaker is open nothing is written anywhere: the job waits for the half-open time.
        if (settings.CreatioEnabled && circuit.OpenFor() is { } openFor)
        {
            return CircuitOpen(request, sink, openFor);
        }
        if (settings.MarkdownEnabled)
        {
            try
            {
                await mirror.WriteAsync(lead, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
            {
                LogMarkdownFailed(ex.GetType().Name, ex.Message);
                return new ExportOutcome(ExportStatus.Failed, request, sink, $"Markdown mirror: {ex.GetType().Name}: {ex.Message}");
            }
        }
        if (!settings.CreatioEnabled)
        {
            return new ExportOutcome(ExportStatus.Exported, request, sink, null);
        }

        try
        {
            var result = await client.SendAsync(request, cancellationToken);
            return result.Success
                ? new ExportOutcome(ExportStatus.Exported, request, sink, null, Response: result)
                : new ExportOutcome(ExportStatus.Failed, request, sink, result.Message, Response: result);
        }
        catch (BrokenCircuitException ex)
        {
            // Opened meanwhile, or half-open with every probe slot taken.
            return CircuitOpen(request, sink, ex.RetryAfter ?? TimeSpan.Zero);
        }
    }

    private ExportOutcome CircuitOpen(CreatioRequest request, string sink, TimeSpan retryAfter) =>
        new(ExportStatus.CircuitOpen, request, sink, CreatioCircuitStrategy.OpenMessage, time.GetUtcNow() + retryAfter);

    [LoggerMessage(Level = LogLevel.Error, Message = "Markdown mirror write failed: {ExceptionType}: {Reason}")]
    private partial void LogMarkdownFailed(string exceptionType, string reason);
}
