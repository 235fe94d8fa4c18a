using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Crm.Tests.Integration;

public sealed class ConcurrentExportTests
{
    [Fact]
    public async Task FiftyConcurrentExportsAcrossTwoReplicasAreEachSentExactlyOnce()
    {
        await using var db = await CrmDatabase.CreateAsync();
        await using var crm = await FakeCreatio.StartAsync();
        crm.Latency = TimeSpan.FromMilliseconds(100);
        var settings = new Dictionary<string, string?>
        {
            ["CRM_SERVICE_URL"] = crm.Url,
            ["Jobs:crm:Concurrency"] = "8",
        };
        // Two replicas of the service on one queue, as when it is scaled out.
        await using var first = await CrmFactory.StartAsync(db, settings);
        await using var second = await CrmFactory.StartAsync(db, settings);

        var ids = Enumerable.Range(0, 50).Select(i => $"conv_load_{i:D2}").ToArray();
        var analyses = new Dictionary<string, long>();
        foreach (var id in ids)
        {
            analyses[id] = await db.SeedAnalysisAsync(id, Leads.FixtureResult().GetRawText());
        }
        await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? first : second).EnqueueExportAsync(id, analyses[id])));

        await Eventually.TrueAsync(async () =>
            await db.ScalarAsync<long>("SELECT count(*) FROM crm.exports WHERE state = 'done'") == ids.Length, "all exports done", seconds: 120);

        var expected = ids.Select(id => LeadRecordId.For(id).ToString("D")).Order().ToArray();
        Assert.Equal(expected, crm.AcceptedById.Keys.Order().ToArray());
        Assert.All(crm.AcceptedById.Values, count => Assert.Equal(1, count));
        Assert.Equal(ids.Length, crm.Requests.Count);
        Assert.Equal(ids.Length, await db.ScalarAsync<long>("SELECT count(*) FROM crm.exports WHERE attempts = 1"));
        Assert.Equal(ids.Length, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND state = 'done'"));
    }
}
