using System.Text.Json.Nodes;
using Grpc.Core;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// What the admin API reads from the services that own it, through their gRPC APIs (never their tables):
/// analysis versions, outcomes and analysed-phone matches from the analysis service, export state from the CRM
/// service. A null answer means the owner did not answer (or has no address): the caller says so.
/// </summary>
public sealed class OwnerReads(PipelineClients clients)
{
    public const string Analysis = "analysis";
    public const string Crm = "crm";

    /// <summary>Ids per call of the batch reads (the owners accept up to 1000).</summary>
    public const int BatchSize = 500;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private static DateTime Deadline => DateTime.UtcNow + CallTimeout;

    /// <summary>Every analysis version, oldest first; null when the analysis service did not answer.</summary>
    public async Task<IReadOnlyList<StoredAnalysis>?> ListAnalysesAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (clients.Analysis is not { } analysis)
        {
            return null;
        }
        try
        {
            var reply = await analysis.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversationId }, deadline: Deadline, cancellationToken: cancellationToken);
            return [.. reply.Analyses.Select(ToStored)];
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>The export, or null when none was ever queued; <c>Answered = false</c> when the CRM service did not answer.</summary>
    public async Task<(bool Answered, StoredExport? Export)> GetExportAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (clients.Crm is not { } crm)
        {
            return (false, null);
        }
        try
        {
            var reply = await crm.GetExportStatusAsync(new ExportStatusRequest { ConversationId = conversationId }, deadline: Deadline, cancellationToken: cancellationToken);
            return (true, ToStored(reply));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return (true, null);
        }
        catch (RpcException)
        {
            return (false, null);
        }
    }

    /// <summary>The latest outcome of each listed conversation that has an analysis; null when the analysis service did not answer.</summary>
    public async Task<IReadOnlyDictionary<string, ConversationOutcome>?> OutcomesAsync(IReadOnlyList<string> conversationIds, CancellationToken cancellationToken)
    {
        if (clients.Analysis is not { } analysis)
        {
            return null;
        }
        try
        {
            var outcomes = new Dictionary<string, ConversationOutcome>(StringComparer.Ordinal);
            foreach (var chunk in conversationIds.Chunk(BatchSize))
            {
                var request = new ConversationIds();
                request.ConversationIds_.AddRange(chunk);
                var reply = await analysis.SummarizeConversationsAsync(request, deadline: Deadline, cancellationToken: cancellationToken);
                foreach (var outcome in reply.Conversations)
                {
                    outcomes[outcome.ConversationId] = outcome;
                }
            }
            return outcomes;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>The export state of each listed conversation that has one; null when the CRM service did not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> ExportStatesAsync(IReadOnlyList<string> conversationIds, CancellationToken cancellationToken)
    {
        if (clients.Crm is not { } crm)
        {
            return null;
        }
        try
        {
            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var chunk in conversationIds.Chunk(BatchSize))
            {
                var reply = await crm.GetExportStatesAsync(new ExportStatesRequest { ConversationIds = { chunk } }, deadline: Deadline, cancellationToken: cancellationToken);
                foreach (var export in reply.Exports)
                {
                    states[export.ConversationId] = export.State;
                }
            }
            return states;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>
    /// Conversations whose analysed phone matches (the analysis service holds that hash). Throws
    /// <see cref="OwnerUnavailableException"/> rather than answer without them: a subject request must cover all.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConversationsByAnalysedPhoneAsync(string phone, CancellationToken cancellationToken)
    {
        var analysis = clients.Analysis ?? throw new OwnerUnavailableException(Analysis);
        try
        {
            var reply = await analysis.FindConversationsByPhoneAsync(new FindConversationsByPhoneRequest { Phone = phone }, deadline: Deadline, cancellationToken: cancellationToken);
            return reply.ConversationIds_;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.InvalidArgument)
        {
            throw new OwnerUnavailableException(Analysis);
        }
    }

    private static StoredAnalysis ToStored(AnalysisReply a) => new(
        a.AnalysisId, a.Version, a.Model, a.PromptVersion, VerdictJson(a.Verdict), NullIfEmpty(a.Reason), a.CreatedAt.ToDateTimeOffset(),
        NullIfEmpty(a.RequestedBy), a.EventId);

    // The verdict under the names it is stored with (its eight fields in snake_case, plus the email found by rules).
    private static JsonObject VerdictJson(Protos.Analysis.V1.Verdict v)
    {
        var json = new JsonObject
        {
            ["topic"] = v.Topic,
            ["intent"] = v.Intent,
            ["quality"] = v.Quality,
            ["outcome"] = v.Outcome,
            ["summary_ru"] = v.SummaryRu,
            ["recommendations"] = v.Recommendations,
            ["client_name"] = v.ClientName,
            ["phone"] = v.Phone,
        };
        if (v.Email.Length > 0)
        {
            json["email"] = v.Email;
        }
        return json;
    }

    private static StoredExport ToStored(ExportStatusReply x) => new(
        x.State, x.Attempts, NullIfEmpty(x.LastError), x.CrmRecordId, x.Sink, x.UpdatedAt.ToDateTimeOffset(), x.ExportedAt?.ToDateTimeOffset(),
        x.AnalysisId == 0 ? null : x.AnalysisId);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
