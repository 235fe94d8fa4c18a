using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Crm.Tests.Integration;

/// <summary>The CRM service's part of an erasure, through its gRPC API: its rows, its jobs and its Markdown sections.</summary>
public sealed class EraseConversationsTests : IAsyncLifetime
{
    private const string Erased = "conv_erase_me_crm";
    private const string Kept = "conv_keep_me_crm";

    private readonly TempFolder _folder = new();
    private CrmDatabase _db = null!;
    private FakeCreatio _crm = null!;

    public async Task InitializeAsync()
    {
        _db = await CrmDatabase.CreateAsync();
        _crm = await FakeCreatio.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _crm.DisposeAsync();
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ErasureRemovesTheExportItsJobsAndEveryMarkdownSectionAndARepeatRemovesNothing()
    {
        var markdown = _folder.File("memory-bank/crm.md");
        await using var host = await CrmFactory.StartAsync(_db, new Dictionary<string, string?>
        {
            ["CRM_SERVICE_URL"] = _crm.Url, ["CRM_MD_ENABLED"] = "true", ["CRM_MD_PATH"] = markdown,
        });
        foreach (var id in new[] { Erased, Kept })
        {
            await host.EnqueueExportAsync(id, await _db.SeedAnalysisAsync(id, Leads.FixtureResult().GetRawText()));
        }
        await Eventually.TrueAsync(async () => await _db.ScalarAsync<long>("SELECT count(*) FROM crm.exports WHERE state = 'done'") == 2, "both exported");
        // A re-export appends a second section of the same conversation.
        await host.Services.GetRequiredService<MarkdownMirror>().WriteAsync(Leads.Fixture(Erased), CancellationToken.None);

        var first = await host.Client.EraseConversationsAsync(EraseConversationsRequest.For([Erased, "conv_never_seen"], "subject.erasure"));

        Assert.Equal(1, first.Removed["crm.exports"]);
        Assert.Equal(1, first.Removed["jobs.jobs/crm"]);
        Assert.Equal(1, first.Removed["crm.export_attempts"]);
        Assert.Equal(1, first.Removed["markdown_sections"]);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM crm.exports WHERE conversation_id = @id", ("id", Erased)));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND job_key = @id", ("id", Erased)));
        var content = await File.ReadAllTextAsync(markdown);
        Assert.DoesNotContain(Erased, content, StringComparison.Ordinal);
        Assert.Contains(Kept, content, StringComparison.Ordinal);
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM crm.exports WHERE conversation_id = @id", ("id", Kept)));
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND job_key = @id", ("id", Kept)));

        var again = await host.Client.EraseConversationsAsync(EraseConversationsRequest.For([Erased], "subject.erasure"));
        Assert.All(again.Removed, removed => Assert.Equal(0, removed.Value));
        Assert.Equal(4, again.Removed.Count);
    }

    [Fact]
    public async Task ARequestNamingNoConversationIsInvalid()
    {
        await using var host = await CrmFactory.StartAsync(_db, new Dictionary<string, string?> { ["CRM_SERVICE_URL"] = _crm.Url });
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.EraseConversationsAsync(EraseConversationsRequest.For([" "], "retention")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
