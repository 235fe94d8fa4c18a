using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.AnalysisService.Workers;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Analysis.Tests.Integration;

public sealed class CrmNudgerTests
{
    [Fact]
    public async Task ABurstOfRequestsIsFoldedIntoAtMostTwoNudgesAndALaterRequestStillGetsOne()
    {
        await using var crm = await FakeCrmServer.StartAsync();
        var services = new ServiceCollection();
        services.AddGrpcClient<Crm.CrmClient>(client => client.Address = new Uri(crm.Address));
        await using var provider = services.BuildServiceProvider();
        using var nudger = new CrmNudger(provider, NullLogger<CrmNudger>.Instance);
        await nudger.StartAsync(CancellationToken.None);

        for (var i = 0; i < 50; i++)
        {
            await nudger.NudgeAsync($"conv-{i}", CancellationToken.None);
        }
        await Eventually.TrueAsync(() => !crm.Nudges.IsEmpty, "the first nudge");
        // The one in flight and the one waiting, whatever else asked meanwhile: give both time to be sent.
        await Task.Delay(CrmNudger.Spacing * 10);
        Assert.InRange(crm.Nudges.Count, 1, 2);
        Assert.Equal("conv-0", crm.Nudges.First());

        await nudger.NudgeAsync("conv-later", CancellationToken.None);
        await Eventually.TrueAsync(() => crm.Nudges.Contains("conv-later"), "a nudge for a request after the burst");
        await nudger.StopAsync(CancellationToken.None);
    }
}
