using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Lineage;

/// <summary>The lineage endpoint at the gateway's edge: roles, arguments, auditing, and owners that do not answer.</summary>
public sealed class LineageEndpointTests
{
    private const string Conversation = "conv_lineage_edge";

    [Fact]
    public async Task AuditorsAndAdminsGetTheReportOperatorsDoNotAndEveryCallIsAudited()
    {
        await using var host = await AdminHost.StartAsync();
        await host.PostWebhookAsync(Seed.Fixture(Conversation));
        var (operatorId, operatorKey) = await host.CreateKeyAsync("operator");
        var (_, auditorKey) = await host.CreateKeyAsync("auditor");
        using (var read = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", operatorKey))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        // The analysis and CRM services are down from here on: the report still comes, and says what it lacks.
        host.Pipeline.Down = true;
        using (var denied = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}/lineage", operatorKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
        using (var anonymous = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}/lineage", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using var response = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}/lineage", auditorKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var steps = report["steps"]!.AsArray().Select(s => s!).ToList();

        Assert.Equal(["received", "stored", "admin_read"], steps.Select(s => s["kind"]!.GetValue<string>()));
        Assert.Equal("elevenlabs (signed webhook)", steps[0]["actor"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", steps[0]["details"]!["source_address"]!.GetValue<string>());
        Assert.Equal("true", steps[0]["details"]!["signature_verified"]!.GetValue<string>());
        Assert.StartsWith("ingest:", steps[0]["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(operatorId, steps[2]["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["analysis", "crm"], report["unavailable"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal("+375 ** ***-**67", report["call"]!["maskedCallerNumber"]!.GetValue<string>());

        using (var text = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}/lineage?format=text&lang=en", AdminHost.BootstrapKey))
        {
            Assert.Equal(HttpStatusCode.OK, text.StatusCode);
            Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
            var body = await text.Content.ReadAsStringAsync();
            Assert.Contains("A call from number +375 ** ***-**67 was received", body, StringComparison.Ordinal);
            Assert.Contains("The analysis, crm service did not answer", body, StringComparison.Ordinal);
            Assert.DoesNotContain("291234567", body, StringComparison.Ordinal);
        }
        Assert.Equal(2, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'conversation.lineage' AND conversation_id = $1", Conversation));
    }

    [Theory]
    [InlineData("?format=xml", "format must be 'json' or 'text'.")]
    [InlineData("?format=text&lang=de", "lang must be one of 'pt', 'en', 'ru'.")]
    [InlineData("?format=text&lang=PT", "lang must be one of 'pt', 'en', 'ru'.")]
    [InlineData("?lang=pt", "lang applies to format=text only.")]
    public async Task AnUnknownFormatOrLanguageIsA400ThatSaysWhatIsAccepted(string query, string reason)
    {
        await using var host = await AdminHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}/lineage{query}", AdminHost.BootstrapKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("invalid_request", error["error"]!.GetValue<string>());
        Assert.Equal(reason, error["reason"]!.GetValue<string>());
    }
}
