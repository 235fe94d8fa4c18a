using Grpc.Core;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>The analysis service's part of an erasure, through its gRPC API: every analysis version and every job of the conversation.</summary>
public sealed class EraseConversationsTests
{
    [Fact]
    public async Task ErasureRemovesEveryVersionWithItsPhoneHashAndEveryJobAndARepeatRemovesNothing()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        var (_, _, erased) = await db.StoreTranscriptionAsync("post_call_transcription_pt.json", "conv_erase_me_analysis");
        var (_, _, kept) = await db.StoreTranscriptionAsync("post_call_transcription_pt.json", "conv_keep_me_analysis");
        await using var host = await AnalysisFactory.StartAsync(db, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" });
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 2, "both analysed");
        // A re-analysis: a second version and a second job of the same conversation.
        await host.Client.AnalyzeNowAsync(new AnalyzeNowRequest { ConversationId = erased });
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 3, "re-analysed");
        Assert.Equal(2, await db.CountAsync($"SELECT count(*) FROM analysis.analyses WHERE conversation_id = '{erased}' AND phone_hash IS NOT NULL"));

        var first = await host.Client.EraseConversationsAsync(EraseConversationsRequest.For([erased, "conv_never_seen"], "subject.erasure"));

        Assert.Equal(2, first.Removed["analysis.analyses"]);
        Assert.Equal(2, first.Removed["jobs.jobs/analysis"]);
        Assert.Equal(0, await db.CountAsync($"SELECT count(*) FROM analysis.analyses WHERE conversation_id = '{erased}'"));
        Assert.Equal(0, await db.CountAsync($"SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = '{erased}'"));
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM analysis.analyses WHERE conversation_id = '{kept}'"));
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = '{kept}'"));
        var gone = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetAnalysisAsync(new GetAnalysisRequest { ConversationId = erased }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        var again = await host.Client.EraseConversationsAsync(EraseConversationsRequest.For([erased], "retention"));
        Assert.Equal(2, again.Removed.Count);
        Assert.All(again.Removed, removed => Assert.Equal(0, removed.Value));
    }

    [Fact]
    public async Task ARequestNamingNoConversationIsInvalid()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var host = await AnalysisFactory.StartAsync(db, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" });
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.EraseConversationsAsync(new EraseConversationsRequest { Reason = "retention" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
