using System.Text.Json;
using Grpc.Core;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// The leads the analysis service hands over for export (<c>Analysis.GetLeads</c>): the CRM reads no table of the
/// analysis or the gateway. Speaks domain records; the generated types stay here.
/// </summary>
public sealed class AnalysisLeads(Analysis.AnalysisClient client)
{
    /// <summary>The most analyses one call may name (the contract's limit).</summary>
    public const int MaxPerCall = 500;

    /// <summary>The lead of one analysis, or null when the analysis is gone (erased, or its event past retention).</summary>
    /// <exception cref="LeadSourceUnavailableException">The analysis service did not answer; ask again later.</exception>
    public async Task<LeadToExport?> LoadAsync(long analysisId, CancellationToken cancellationToken) =>
        (await LoadAsync([analysisId], cancellationToken)).GetValueOrDefault(analysisId);

    /// <summary>The leads of the listed analyses that still exist, by analysis id; a missing id is gone.</summary>
    /// <exception cref="LeadSourceUnavailableException">The analysis service did not answer; ask again later.</exception>
    public async Task<Dictionary<long, LeadToExport>> LoadAsync(IReadOnlyCollection<long> analysisIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysisIds);
        var found = new Dictionary<long, LeadToExport>(analysisIds.Count);
        foreach (var chunk in analysisIds.Distinct().Chunk(MaxPerCall))
        {
            var request = new GetLeadsRequest();
            request.AnalysisIds.AddRange(chunk);
            GetLeadsReply reply;
            try
            {
                reply = await client.GetLeadsAsync(request, cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LeadSourceUnavailableException(ex.StatusCode.ToString(), ex);
            }
            foreach (var source in reply.Leads)
            {
                found[source.AnalysisId] = ToLead(source);
            }
        }
        return found;
    }

    private static LeadToExport ToLead(LeadSource source)
    {
        using var result = JsonDocument.Parse(string.IsNullOrEmpty(source.ResultJson) ? "{}" : source.ResultJson);
        var lead = new Lead(
            ConversationId: source.ConversationId,
            AgentId: string.IsNullOrEmpty(source.AgentId) ? null : source.AgentId,
            EventId: source.EventId,
            AnalysisId: source.AnalysisId,
            Result: result.RootElement.Clone(),
            AnalysisVersion: source.Version);
        return new LeadToExport(lead, string.IsNullOrEmpty(source.TraceParent) ? null : source.TraceParent, source.Superseded);
    }
}
