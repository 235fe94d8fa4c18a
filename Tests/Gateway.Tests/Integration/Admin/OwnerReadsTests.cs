using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>
/// The admin view, search, rectification, re-analysis and re-export through the owners' gRPC APIs: what the
/// analysis and CRM services report is shown, their tables are neither read for the view nor written.
/// </summary>
public sealed class OwnerReadsTests
{
    private const string Conversation = "conv_owned_0001";

    [Fact]
    public async Task TheConversationViewShowsWhatTheOwnersReportAndNamesAnOwnerThatDidNotAnswer()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Conversation);
        // The owners' tables say otherwise: the view must come from their RPCs, not from these rows.
        await host.ExecuteAsync("UPDATE analysis.analyses SET result = result || '{\"outcome\": \"table\"}'");

        using (var detail = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", AdminHost.BootstrapKey))
        {
            var body = (await detail.Content.ReadFromJsonAsync<JsonObject>())!;
            var analysis = body["analyses"]![0]!;
            Assert.Equal("lead", analysis["result"]!["outcome"]!.GetValue<string>());
            Assert.Equal(Seed.FixtureEmail, analysis["result"]!["email"]!.GetValue<string>());
            Assert.Equal("system:pipeline", analysis["requestedBy"]!.GetValue<string>());
            Assert.Equal("done", body["export"]!["state"]!.GetValue<string>());
            Assert.Empty(body["unavailable"]!.AsArray());
            Assert.Contains(body["jobs"]!.AsArray(), j => j!["queue"]!.GetValue<string>() == "crm");
        }

        host.Pipeline.Down = true;
        using var partial = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var missing = (await partial.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["analysis", "crm"], missing["unavailable"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Empty(missing["analyses"]!.AsArray());
        // A subject's copy must be complete: refused while an owner is down rather than handed out partial.
        using var access = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/access", AdminHost.BootstrapKey, new { conversationId = Conversation });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, access.StatusCode);
    }

    [Fact]
    public async Task TheListFiltersByTheOutcomeTheAnalysisServiceReportsAndRefusesTheFilterWhileItIsDown()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Conversation);
        await Seed.ConversationAsync(host, "conv_owned_0002", "+79161234567", "Анна Смирнова");
        await host.SendAsync(HttpMethod.Patch, "/api/v1/conversations/conv_owned_0002/analysis", AdminHost.BootstrapKey, new { outcome = "callback" });

        using (var leads = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations?outcome=lead", AdminHost.BootstrapKey))
        {
            var found = (await leads.Content.ReadFromJsonAsync<JsonArray>())!;
            var only = Assert.Single(found)!;
            Assert.Equal(Conversation, only["conversationId"]!.GetValue<string>());
            Assert.Equal("done", only["exportState"]!.GetValue<string>());
        }
        using (var all = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", AdminHost.BootstrapKey))
        {
            var found = (await all.Content.ReadFromJsonAsync<JsonArray>())!;
            Assert.Equal(["callback", "lead"], found.Select(c => c!["outcome"]!.GetValue<string>()).Order());
            Assert.Equal([1, 2], found.Select(c => c!["analysisVersion"]!.GetValue<int>()).Order());
        }

        host.Pipeline.Down = true;
        using var refused = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations?outcome=lead", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        using var unfiltered = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", AdminHost.BootstrapKey);
        Assert.Equal(2, (await unfiltered.Content.ReadFromJsonAsync<JsonArray>())!.Count);
    }

    [Fact]
    public async Task RectificationReanalysisAndReexportAreAskedOfTheOwnersWithTheRequestingKey()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Conversation);
        var (keyId, secret) = await host.CreateKeyAsync("operator");
        var rows = await host.ScalarAsync("SELECT count(*) FROM analysis.analyses") + await host.ScalarAsync("SELECT count(*) FROM jobs.jobs");

        using (var rectified = await host.SendAsync(HttpMethod.Patch, $"/api/v1/conversations/{Conversation}/analysis", secret, new { outcome = "callback", phone = "+79161234567" }))
        {
            Assert.Equal(HttpStatusCode.OK, rectified.StatusCode);
            Assert.Equal(44, (await rectified.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>());
        }
        using (var bad = await host.SendAsync(HttpMethod.Patch, $"/api/v1/conversations/{Conversation}/analysis", secret, new { quality = 9 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        using (var none = await host.SendAsync(HttpMethod.Patch, "/api/v1/conversations/conv_missing/analysis", secret, new { outcome = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }
        using (await host.SendAsync(HttpMethod.Post, $"/api/v1/conversations/{Conversation}/reanalyze", secret)) { }
        using (await host.SendAsync(HttpMethod.Post, $"/api/v1/conversations/{Conversation}/reexport", secret)) { }

        Assert.Equal([$"rectify:{Conversation}", $"analyze:{Conversation}", $"retry:{Conversation}"], host.Pipeline.Calls.Where(c => !c.StartsWith("nudge:", StringComparison.Ordinal)));
        Assert.Equal([keyId, keyId, keyId], host.Pipeline.Requesters);
        // The gateway wrote nothing into the analysis schema or the queue: the owner did (here, its fake).
        Assert.Equal(rows, await host.ScalarAsync("SELECT count(*) FROM analysis.analyses") + await host.ScalarAsync("SELECT count(*) FROM jobs.jobs"));
        // The audit record names the corrected fields and what the owner reported, never the values.
        var details = await host.ScalarTextAsync("SELECT details::text FROM audit.log WHERE action = 'analysis.rectify' ORDER BY id LIMIT 1");
        Assert.Contains("\"fields\":\"outcome,phone\"", details, StringComparison.Ordinal);
        Assert.Contains("\"version\":\"2\"", details, StringComparison.Ordinal);
        Assert.DoesNotContain("916", details, StringComparison.Ordinal);

        using var detail = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", secret);
        var latest = (await detail.Content.ReadFromJsonAsync<JsonObject>())!["analyses"]!.AsArray()[^1]!;
        Assert.Equal("rectification", latest["reason"]!.GetValue<string>());
        Assert.Equal(keyId, latest["requestedBy"]!.GetValue<string>());
    }
}
