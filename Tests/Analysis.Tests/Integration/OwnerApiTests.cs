using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>The analysis service as the owner of its data: rectification, phone lookup and outcomes for the admin API.</summary>
public sealed class OwnerApiTests
{
    private static readonly Dictionary<string, string?> Offline = new() { ["OPENAI_API_KEY"] = "" };

    private static async Task<(AnalysisDatabase Db, AnalysisFactory Host, FakeCrmServer Crm, string Conversation, long EventId)> AnalysedAsync()
    {
        var db = await AnalysisDatabase.CreateAsync();
        var crm = await FakeCrmServer.StartAsync();
        var (eventId, _, conversation) = await db.StoreTranscriptionAsync();
        var host = await AnalysisFactory.StartAsync(db, new Dictionary<string, string?>(Offline) { ["services:crm:grpc:0"] = crm.Address });
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 1, "version 1");
        return (db, host, crm, conversation, eventId);
    }

    [Fact]
    public async Task RectifyAddsAVersionWithItsRequesterAndQueuesItsExportInTheSameTransaction()
    {
        var (db, host, crm, conversation, eventId) = await AnalysedAsync();
        await using var _ = db;
        await using var __ = host;
        await using var ___ = crm;

        var reply = await host.Client.RectifyAsync(new RectifyRequest
        {
            ConversationId = conversation, Outcome = "callback", Phone = "+7 916 123-45-67", RequestedBy = "key_dpo",
        });

        Assert.Equal(2, reply.Version);
        Assert.Equal("rectification", reply.Reason);
        Assert.Equal("key_dpo", reply.RequestedBy);
        Assert.Equal(eventId, reply.EventId);
        Assert.Equal("callback", reply.Verdict.Outcome);
        Assert.Equal("+7 916 123-45-67", reply.Verdict.Phone);
        Assert.Equal("Иван Петров", reply.Verdict.ClientName);   // not corrected: kept from version 1
        // Encrypted and indexed as the analysis service stores every verdict.
        var protector = host.Services.GetRequiredService<PiiProtector>();
        Assert.Equal(protector.PhoneLookupHash("+79161234567"),
            await db.ScalarAsync<string>("SELECT phone_hash FROM analysis.analyses WHERE version = 2"));
        Assert.DoesNotContain("916", await db.ScalarAsync<string>("SELECT result::text FROM analysis.analyses WHERE version = 2"), StringComparison.Ordinal);
        // The summary and recommendations are written from the transcript and name the client: encrypted as well.
        Assert.Contains("Петров", reply.Verdict.SummaryRu + reply.Verdict.Recommendations, StringComparison.Ordinal);
        var stored = await db.ScalarAsync<string>("SELECT string_agg(result::text, ' ') FROM analysis.analyses");
        Assert.DoesNotContain("Петров", stored!, StringComparison.Ordinal);
        var payload = await db.ScalarAsync<string>("SELECT payload::text FROM jobs.jobs WHERE queue = 'crm' AND id = @id", ("id", reply.ExportJobId));
        Assert.Equal(reply.AnalysisId, JsonDocument.Parse(payload!).RootElement.GetProperty("analysis_id").GetInt64());
        await AnalysisDatabase.EventuallyAsync(() => Task.FromResult(crm.Nudges.Count(n => n == conversation) >= 2), "the CRM is nudged again");
    }

    [Fact]
    public async Task RectifyRefusesNothingToCorrectABadQualityAndAnUnknownConversation()
    {
        var (db, host, crm, conversation, _) = await AnalysedAsync();
        await using var _ = db;
        await using var __ = host;
        await using var ___ = crm;

        var nothing = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.RectifyAsync(new RectifyRequest { ConversationId = conversation, RequestedBy = "k" }));
        var quality = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.RectifyAsync(new RectifyRequest { ConversationId = conversation, Quality = 9, RequestedBy = "k" }));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.RectifyAsync(new RectifyRequest { ConversationId = "conv_nope", Topic = "x", RequestedBy = "k" }));

        Assert.Equal(StatusCode.InvalidArgument, nothing.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, quality.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM analysis.analyses"));
    }

    [Fact]
    public async Task ConversationsAreFoundByTheAnalysedPhoneInAnyNotationAndSummarisedWithoutPersonalData()
    {
        var (db, host, crm, conversation, _) = await AnalysedAsync();
        await using var _ = db;
        await using var __ = host;
        await using var ___ = crm;

        foreach (var spelling in new[] { "+375291234567", "+375 (29) 123-45-67", "375291234567" })
        {
            var found = await host.Client.FindConversationsByPhoneAsync(new FindConversationsByPhoneRequest { Phone = spelling });
            Assert.Equal([conversation], found.ConversationIds_);
        }
        Assert.Empty((await host.Client.FindConversationsByPhoneAsync(new FindConversationsByPhoneRequest { Phone = "+375291234568" })).ConversationIds_);
        Assert.Empty((await host.Client.FindConversationsByPhoneAsync(new FindConversationsByPhoneRequest { Phone = "call me" })).ConversationIds_);

        await host.Client.RectifyAsync(new RectifyRequest { ConversationId = conversation, Outcome = "callback", RequestedBy = "k" });
        var request = new ConversationIds();
        request.ConversationIds_.Add([conversation, "conv_without_analysis"]);
        var summary = Assert.Single((await host.Client.SummarizeConversationsAsync(request)).Conversations);
        Assert.Equal(conversation, summary.ConversationId);
        Assert.Equal(2, summary.Version);
        Assert.Equal("callback", summary.Outcome);
    }
}
