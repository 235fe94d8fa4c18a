using System.Text.Json;
using Grpc.Core;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>GetLeads: what the CRM exports, handed over by the owner of the analyses so the CRM reads no table of ours.</summary>
public sealed class GetLeadsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Offline = new() { ["OPENAI_API_KEY"] = "" };

    private AnalysisDatabase _db = null!;
    private FakeCrmServer _crm = null!;
    private AnalysisFactory _host = null!;
    private string _conversation = "";
    private long _eventId;

    public async Task InitializeAsync()
    {
        _db = await AnalysisDatabase.CreateAsync();
        _crm = await FakeCrmServer.StartAsync();
        (_eventId, _, _conversation) = await _db.StoreTranscriptionAsync();
        _host = await AnalysisFactory.StartAsync(_db, new Dictionary<string, string?>(Offline) { ["services:crm:grpc:0"] = _crm.Address });
        await AnalysisDatabase.EventuallyAsync(async () => await _db.CountAsync("SELECT count(*) FROM analysis.analyses") == 1, "version 1");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _crm.DisposeAsync();
        await _db.DisposeAsync();
    }

    private Task<long> FirstAnalysisIdAsync() => _db.ScalarAsync<long>("SELECT id FROM analysis.analyses WHERE version = 1");

    private async Task<GetLeadsReply> GetLeadsAsync(params long[] ids)
    {
        var request = new GetLeadsRequest();
        request.AnalysisIds.AddRange(ids);
        return await _host.Client.GetLeadsAsync(request);
    }

    [Fact]
    public async Task ALeadCarriesTheDecryptedVerdictAndTheWebhooksAgentAndTrace()
    {
        var analysisId = await FirstAnalysisIdAsync();

        var lead = Assert.Single((await GetLeadsAsync(analysisId)).Leads);

        Assert.Equal(analysisId, lead.AnalysisId);
        Assert.Equal(_eventId, lead.EventId);
        Assert.Equal(1, lead.Version);
        Assert.Equal(_conversation, lead.ConversationId);
        Assert.Equal("agent_test", lead.AgentId);
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", lead.TraceParent);
        Assert.False(lead.Superseded);
        // Stored encrypted, handed over in clear: the CRM's field mapping reads the verdict's keys.
        var stored = await _db.ScalarAsync<string>("SELECT result->>'client_name' FROM analysis.analyses WHERE id = @id", ("id", analysisId));
        Assert.NotEqual("Иван Петров", stored);
        using var result = JsonDocument.Parse(lead.ResultJson);
        Assert.Equal("Иван Петров", result.RootElement.GetProperty("client_name").GetString());
        Assert.False(string.IsNullOrEmpty(result.RootElement.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task AnEarlierVersionIsSupersededAndAnAnalysisThatIsGoneIsLeftOut()
    {
        var first = await FirstAnalysisIdAsync();
        var rectified = await _host.Client.RectifyAsync(new RectifyRequest { ConversationId = _conversation, Outcome = "callback", RequestedBy = "key_dpo" });

        var leads = (await GetLeadsAsync(first, rectified.AnalysisId, 987_654_321)).Leads;

        Assert.Equal([first, rectified.AnalysisId], leads.Select(l => l.AnalysisId));
        Assert.True(leads[0].Superseded);
        Assert.False(leads[1].Superseded);
        Assert.Equal(2, leads[1].Version);
        Assert.Contains("callback", leads[1].ResultJson, StringComparison.Ordinal);

        // Erased by its owner: the analyses are gone, so are their leads.
        await _host.Client.EraseConversationsAsync(new() { ConversationIds = { _conversation }, Reason = "erasure" });
        Assert.Empty((await GetLeadsAsync(first, rectified.AnalysisId)).Leads);
    }

    [Fact]
    public async Task AnAnalysisWhoseEventIsGoneIsLeftOut()
    {
        var analysisId = await FirstAnalysisIdAsync();
        await using (var delete = _db.DataSource.CreateCommand("DELETE FROM ingest.webhook_events"))
        {
            await delete.ExecuteNonQueryAsync();
        }

        Assert.Empty((await GetLeadsAsync(analysisId)).Leads);
    }

    public static TheoryData<long[]> InvalidIdLists => new()
    {
        Array.Empty<long>(),
        Enumerable.Range(1, 501).Select(i => (long)i).ToArray(),
        new long[] { 1, 0 },
        new long[] { -5 },
    };

    [Theory]
    [MemberData(nameof(InvalidIdLists))]
    public async Task AnEmptyTooLongOrNonPositiveIdListIsRefused(long[] ids)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => GetLeadsAsync(ids));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("analysis_ids", refused.Status.Detail, StringComparison.Ordinal);
    }
}
