using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class AuditApiTests
{
    [Fact]
    public async Task ChangingOneAuditRowInSqlMakesTheVerifyEndpointNameExactlyThatRow()
    {
        await using var host = await AdminHost.StartAsync();
        var auditor = (await host.CreateKeyAsync("auditor")).Secret;
        for (var i = 0; i < 4; i++)
        {
            using var read = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", auditor);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using (var clean = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", auditor))
        {
            Assert.True((await clean.Content.ReadFromJsonAsync<JsonObject>())!["valid"]!.GetValue<bool>());
        }

        var victim = await host.ScalarAsync("SELECT id FROM audit.log WHERE action = 'audit.read' ORDER BY id OFFSET 1 LIMIT 1");
        await host.ExecuteAsync($"""
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            UPDATE audit.log SET source_ip = '203.0.113.7' WHERE id = {victim};
            ALTER TABLE audit.log ENABLE TRIGGER log_append_only;
            """);

        // The record lies below the checkpoint the clean verification left, so it takes the full walk to reach it.
        using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify?full=true", auditor);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(result["valid"]!.GetValue<bool>());
        Assert.Equal(victim, result["firstBrokenId"]!.GetValue<long>());
    }

    [Fact]
    public async Task AuditRecordsCarryWhoWhatWhenWhereAndTheTrace()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, "conv_audited");
        var (keyId, secret) = await host.CreateKeyAsync("operator");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/conversations/conv_audited");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var audit = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?conversationId=conv_audited&action=conversation.read", AdminHost.BootstrapKey);
        var record = (await audit.Content.ReadFromJsonAsync<JsonObject>())!["records"]![0]!;
        Assert.Equal($"key:{keyId} (operator key)", record["actor"]!.GetValue<string>());
        Assert.Equal("operator", record["role"]!.GetValue<string>());
        Assert.Equal("conversation/conv_audited", record["target"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", record["sourceIp"]!.GetValue<string>());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", record["traceId"]!.GetValue<string>());
        Assert.True(DateTimeOffset.UtcNow - record["occurredAt"]!.GetValue<DateTimeOffset>() < TimeSpan.FromHours(1));
    }
}
