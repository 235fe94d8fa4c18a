using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// Puts a conversation's life together from its owners: the gateway's step records and call facts (its own tables),
/// the analysis versions (<c>Analysis.ListAnalyses</c>), the CRM export attempts (<c>Crm.ListExportAttempts</c>) and
/// every admin read or change from the audit trail. The gateway reads no other service's tables for it.
/// </summary>
public sealed class LineageAssembler(GatewayLineageStore gateway, PipelineClients clients, AuditTrail audit)
{
    private const int AuditPage = 500;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public async Task<LineageReport> AssembleAsync(string conversationId, CancellationToken cancellationToken)
    {
        var steps = new List<LineageStep>(await gateway.StepsAsync(conversationId, cancellationToken));
        var unavailable = new List<string>();
        if (await AnalysesAsync(conversationId, cancellationToken) is { } analyses)
        {
            steps.AddRange(analyses);
        }
        else
        {
            unavailable.Add("analysis");
        }
        if (await ExportAttemptsAsync(conversationId, cancellationToken) is { } attempts)
        {
            steps.AddRange(attempts);
        }
        else
        {
            unavailable.Add("crm");
        }
        steps.AddRange(await AuditStepsAsync(conversationId, cancellationToken));
        var ordered = steps.OrderBy(s => s.Time).ThenBy(s => LineageStepKinds.Rank(s.Kind)).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        return new LineageReport(conversationId, await gateway.CallAsync(conversationId, cancellationToken), ordered, unavailable);
    }

    private async Task<IReadOnlyList<LineageStep>?> AnalysesAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (clients.Analysis is not { } analysis)
        {
            return null;
        }
        try
        {
            var reply = await analysis.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversationId },
                deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return reply.Analyses.Select(a => new LineageStep($"analysis:{a.AnalysisId}", LineageStepKinds.Analysis,
                string.IsNullOrEmpty(a.RequestedBy) ? "system:pipeline" : a.RequestedBy, a.CreatedAt.ToDateTimeOffset(), "analysis",
                new Dictionary<string, string?>
                {
                    ["version"] = Invariant(a.Version),
                    ["event_id"] = Invariant(a.EventId),
                    ["model"] = a.Model,
                    ["prompt_version"] = a.PromptVersion,
                    ["input_tokens"] = Invariant(a.InputTokens),
                    ["output_tokens"] = Invariant(a.OutputTokens),
                    ["reason"] = a.Reason,
                })).ToList();
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<LineageStep>?> ExportAttemptsAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (clients.Crm is not { } crm)
        {
            return null;
        }
        try
        {
            var reply = await crm.ListExportAttemptsAsync(new ExportStatusRequest { ConversationId = conversationId },
                deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return reply.Attempts.Select(a => new LineageStep($"crm-attempt:{a.AttemptId}", LineageStepKinds.ExportAttempt,
                a.RequestedBy, a.FinishedAt.ToDateTimeOffset(), $"crm: {a.Sink}",
                new Dictionary<string, string?>
                {
                    ["analysis_id"] = Invariant(a.AnalysisId),
                    ["analysis_version"] = Invariant(a.AnalysisVersion),
                    ["crm_record_id"] = a.CrmRecordId,
                    ["sink"] = a.Sink,
                    ["outcome"] = a.Outcome,
                    ["error"] = string.IsNullOrEmpty(a.Error) ? null : a.Error,
                    ["started_at"] = a.StartedAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture),
                })).ToList();
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<LineageStep>> AuditStepsAsync(string conversationId, CancellationToken cancellationToken)
    {
        var steps = new List<LineageStep>();
        long? before = null;
        while (true)
        {
            var page = await audit.ListAsync(conversationId, null, null, null, before, AuditPage, cancellationToken);
            foreach (var record in page)
            {
                var details = new Dictionary<string, string?> { ["action"] = record.Action, ["role"] = record.Role, ["source_ip"] = record.SourceIp };
                using var recordDetails = JsonDocument.Parse(record.Details);
                if (recordDetails.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in recordDetails.RootElement.EnumerateObject())
                    {
                        details[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                    }
                }
                steps.Add(new LineageStep($"audit:{record.Id}", LineageStepKinds.OfAuditAction(record.Action), record.Actor, record.OccurredAt,
                    "gateway: admin API", details));
            }
            if (page.Count < AuditPage)
            {
                return steps;
            }
            before = page[^1].Id;
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
