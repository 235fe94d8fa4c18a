using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.System.Tests.Support;

namespace VoiceAnalytics.System.Tests.Integration;

/// <summary>
/// The lineage report of one conversation through the whole app: ingest, analysis, CRM export, an operator's read,
/// re-analysis and re-export, a rectification and an erasure, each step in order with its actor; and the raw
/// event row holds no transcript or phone number.
/// </summary>
public sealed class LineageTests
{
    private const string BootstrapKey = "lineage-bootstrap-0123456789abcdef0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TheLineageOfAConversationListsEveryStepInOrderWithItsActor()
    {
        await using var app = await StressApp.StartAsync(new StressAppSettings { AppHostArgs = [$"ADMIN_BOOTSTRAP_KEY={BootstrapKey}"] });
        var conversation = "conv_lineage_" + Guid.NewGuid().ToString("N")[..10];
        var (operatorId, operatorKey) = await CreateKeyAsync(app, "operator");
        var (_, auditorKey) = await CreateKeyAsync(app, "auditor");

        using (var response = await app.Gateway.SendAsync(app.Signer.CreateRequest(RussianTranscription(conversation))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await WaitForAttemptsAsync(app, conversation, a => a.Any(x => x.Outcome == "exported"));

        // The raw row: ciphertext, no transcript, no phone.
        await using (var raw = app.Database.CreateCommand("SELECT payload::text FROM ingest.webhook_events WHERE conversation_id = $1"))
        {
            raw.Parameters.Add(new Npgsql.NpgsqlParameter { Value = conversation });
            var payload = (string)(await raw.ExecuteScalarAsync())!;
            Assert.StartsWith("\"enc:v1:", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("375291234567", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("Петров", payload, StringComparison.Ordinal);
        }

        // An operator reads it, asks for a re-analysis and a re-export, then corrects a field.
        using (await SendAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversation}", operatorKey, expect: HttpStatusCode.OK)) { }
        using (await SendAsync(app, HttpMethod.Post, $"/api/v1/conversations/{conversation}/reanalyze", operatorKey, expect: HttpStatusCode.Accepted)) { }
        await WaitForAnalysesAsync(app, conversation, a => a.Any(x => x.RequestedBy == operatorId));
        await WaitForAttemptsAsync(app, conversation, a => a.Count(x => x.Outcome == "exported") >= 2);
        using (await SendAsync(app, HttpMethod.Post, $"/api/v1/conversations/{conversation}/reexport", operatorKey, expect: HttpStatusCode.Accepted)) { }
        await WaitForAttemptsAsync(app, conversation, a => a.Any(x => x.RequestedBy == operatorId));
        using (await SendAsync(app, HttpMethod.Patch, $"/api/v1/conversations/{conversation}/analysis", operatorKey, new { topic = "billing" }, HttpStatusCode.OK)) { }
        await WaitForAnalysesAsync(app, conversation, a => a.Any(x => x.Reason == "rectification"));

        var steps = await LineageAsync(app, conversation, auditorKey);
        var times = steps.Select(s => s["time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(steps.Count, steps.Select(s => s["id"]!.GetValue<string>()).Distinct().Count());
        int At(string kind, Func<JsonNode, bool>? match = null) =>
            steps.FindIndex(s => s["kind"]!.GetValue<string>() == kind && (match?.Invoke(s) ?? true));
        string Detail(JsonNode step, string name) => step["details"]![name]?.GetValue<string>() ?? "";
        string Actor(JsonNode step) => step["actor"]!.GetValue<string>();

        var received = At("received");
        var stored = At("stored");
        var firstAnalysis = At("analysis", s => Detail(s, "version") == "1");
        var firstExport = At("export_attempt", s => Detail(s, "outcome") == "exported");
        var read = At("admin_read", s => Detail(s, "action") == "conversation.read");
        var requeue = At("admin_change", s => Detail(s, "action") == "analysis.requeue");
        var reanalysis = At("analysis", s => Actor(s) == operatorId);
        var reexport = At("export_attempt", s => Actor(s) == operatorId);
        var rectification = At("rectification");
        var rectified = At("analysis", s => Detail(s, "reason") == "rectification");
        Assert.True(received == 0 && stored > received && firstAnalysis > stored && firstExport > firstAnalysis && read > firstExport
            && requeue > read && reanalysis > requeue && reexport > reanalysis && rectification > reexport && rectified > reexport,
            string.Join("\n", steps.Select(s => s.ToJsonString())));
        Assert.Equal("true", Detail(steps[received], "signature_verified"));
        Assert.False(string.IsNullOrEmpty(Detail(steps[received], "source_address")));
        Assert.Equal("system:pipeline", Actor(steps[firstAnalysis]));
        Assert.Equal("system:pipeline", Actor(steps[firstExport]));
        Assert.False(string.IsNullOrEmpty(Detail(steps[firstExport], "crm_record_id")));
        Assert.Contains(operatorId, Actor(steps[read]), StringComparison.Ordinal);
        Assert.Equal("operator", Detail(steps[read], "role"));
        Assert.Contains(operatorId, Actor(steps[rectification]), StringComparison.Ordinal);
        // The analysis service records who asked for the rectified version (its audit record follows the RPC).
        Assert.Equal(operatorId, Actor(steps[rectified]));

        // The same story in Portuguese, the caller's number masked.
        using (var text = await SendAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversation}/lineage?format=text&lang=pt", auditorKey, expect: HttpStatusCode.OK))
        {
            var body = await text.Content.ReadAsStringAsync();
            Assert.Contains("Uma chamada do número +375 ** ***-**67 foi recebida", body, StringComparison.Ordinal);
            Assert.DoesNotContain("291234567", body, StringComparison.Ordinal);
        }
        using (await SendAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversation}/lineage?format=text&lang=de", auditorKey, expect: HttpStatusCode.BadRequest)) { }
        using (await SendAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversation}/lineage", operatorKey, expect: HttpStatusCode.Forbidden)) { }

        // Erasure: afterwards the report holds what the audit trail keeps, ending with the erasure.
        using (await SendAsync(app, HttpMethod.Post, "/api/v1/subject-requests/erasure", BootstrapKey, new { conversationId = conversation }, HttpStatusCode.OK)) { }
        var after = await LineageAsync(app, conversation, auditorKey);
        Assert.All(after, s => Assert.StartsWith("audit:", s["id"]!.GetValue<string>(), StringComparison.Ordinal));
        var erasure = after.FindIndex(s => s["kind"]!.GetValue<string>() == "erasure");
        Assert.True(erasure > after.FindIndex(s => s["kind"]!.GetValue<string>() == "rectification"), string.Join("\n", after.Select(s => s.ToJsonString())));
        Assert.Contains("key:bootstrap", Actor(after[erasure]), StringComparison.Ordinal);
        Assert.Contains(after, s => Detail(s, "action") == "conversation.lineage");
    }

    private static async Task<List<JsonNode>> LineageAsync(StressApp app, string conversation, string key)
    {
        using var response = await SendAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversation}/lineage", key, expect: HttpStatusCode.OK);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Empty(report["unavailable"]!.AsArray());
        return [.. report["steps"]!.AsArray().Select(s => s!)];
    }

    private static async Task WaitForAttemptsAsync(StressApp app, string conversation, Func<IReadOnlyList<ExportAttempt>, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var reply = await app.CrmGrpc.ListExportAttemptsAsync(new ExportStatusRequest { ConversationId = conversation });
            if (done(reply.Attempts))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "Export attempts never reached the expected state: " + reply);
            await Task.Delay(250);
        }
    }

    private static async Task WaitForAnalysesAsync(StressApp app, string conversation, Func<IReadOnlyList<AnalysisReply>, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var reply = await app.AnalysisGrpc.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversation });
            if (done(reply.Analyses))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "Analyses never reached the expected state: " + reply);
            await Task.Delay(250);
        }
    }

    private static async Task<(string Id, string Secret)> CreateKeyAsync(StressApp app, string role)
    {
        using var response = await SendAsync(app, HttpMethod.Post, "/api/v1/keys", BootstrapKey, new { name = $"{role} key", role }, HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (created["key"]!["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> SendAsync(StressApp app, HttpMethod method, string path, string key, object? body = null, HttpStatusCode? expect = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        var response = await app.Gateway.SendAsync(request);
        if (expect is { } status && response.StatusCode != status)
        {
            Assert.Fail($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return response;
    }

    private static byte[] RussianTranscription(string conversationId)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "post_call_transcription_ru.json")))!;
        node["data"]!["conversation_id"] = conversationId;
        node["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
