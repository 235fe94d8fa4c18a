using System.Diagnostics;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// Exports one lead to every configured sink: the Markdown mirror first (a local copy survives a CRM outage),
/// then Creatio through the circuit breaker. The export succeeds only when every sink took it; both sinks are
/// idempotent (the section is replaced, the lead Id is deterministic), so a retry after a partial failure
/// repeats nothing.
/// </summary>
public sealed partial class LeadExporter(
    CreatioRequestBuilder builder,
    CrmCircuitBreaker breaker,
    CreatioClient client,
    MarkdownMirror mirror,
    CrmMetrics metrics,
    IOptions<CrmOptions> options,
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

    private async Task<ExportOutcome> ExportCoreAsync(Lead lead, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sink = SinkOf(settings);
        var request = builder.Build(lead);

        var permit = default(CircuitPermit);
        if (settings.CreatioEnabled)
        {
            permit = breaker.TryEnter();
            if (!permit.Allowed)
            {
                return new ExportOutcome(ExportStatus.CircuitOpen, request, sink, "CRM circuit breaker is open", permit.RetryAt);
            }
        }

        try
        {
            if (settings.MarkdownEnabled)
            {
                try
                {
                    await mirror.WriteAsync(lead, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
                {
                    breaker.Release(permit);
                    LogMarkdownFailed(ex.GetType().Name, ex.Message);
                    return new ExportOutcome(ExportStatus.Failed, request, sink, $"Markdown mirror: {ex.GetType().Name}: {ex.Message}");
                }
            }
            if (!settings.CreatioEnabled)
            {
                return new ExportOutcome(ExportStatus.Exported, request, sink, null);
            }

            var result = await client.SendAsync(request, cancellationToken);
            if (result.Success)
            {
                breaker.RecordSuccess(permit);
                return new ExportOutcome(ExportStatus.Exported, request, sink, null, Response: result);
            }
            breaker.RecordFailure(permit);
            return new ExportOutcome(ExportStatus.Failed, request, sink, result.Message, Response: result);
        }
        catch (OperationCanceledException)
        {
            breaker.Release(permit); // shutting down: no verdict on the CRM
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Markdown mirror write failed: {ExceptionType}: {Reason}")]
    private partial void LogMarkdownFailed(string exceptionType, string reason);
}
