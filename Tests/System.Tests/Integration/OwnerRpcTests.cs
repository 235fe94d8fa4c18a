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
/// The admin API over the whole app, through the owners' gRPC APIs: the conversation view and the search by the
/// analysed phone, rectification, re-analysis and re-export, each recorded by its owner with the requesting key.
/// </summary>
public sealed class OwnerRpcTests
{
    private const string AdminKey = "system-tests-admin-bootstrap-key-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TheAdminApiReadsAndChangesAConversationThroughItsOwners()
    {
        await using var app = await StressApp.StartAsync(new StressAppSettings
        {
            UseFakeOpenAi = false,
            Environment = [("gateway", "ADMIN_BOOTSTRAP_KEY", AdminKey)],
        });
        var conversationId = "conv_owners_" + Guid.NewGuid().ToString("N")[..10];
        using (var response = await app.Gateway.SendAsync(app.Signer.CreateRequest(RussianTranscription(conversationId))))
        {
            Assert.True(response.IsSuccessStatusCode, $"gateway answered {response.StatusCode}");
        }
        var first = await ExportedAsync(app, conversationId, version: 1);

        // The view: the analysis service's versions and the CRM service's export, as they report them.
        var detail = await AdminAsync(app, HttpMethod.Get, $"/api/v1/conversations/{conversationId}");
        var analysis = detail["analyses"]![0]!;
        Assert.Equal("system:pipeline", analysis["requestedBy"]!.GetValue<string>());
        Assert.Equal("Иван Петров", analysis["result"]!["client_name"]!.GetValue<string>());
        Assert.Equal(first.AnalysisId, detail["export"]!["analysisId"]!.GetValue<long>());
        Assert.NotNull(detail["export"]!["exportedAt"]);
        Assert.Empty(detail["unavailable"]!.AsArray());

        // Search by the analysed phone, in another notation: the analysis service's keyed hash finds it.
        var found = await AdminArrayAsync(app, "/api/v1/conversations/search", new { phone = "+375 (29) 123-45-67" });
        Assert.Contains(found, c => c!["conversationId"]!.GetValue<string>() == conversationId);

        // Rectification: a new version by the analysis service, exported again.
        await AdminAsync(app, HttpMethod.Patch, $"/api/v1/conversations/{conversationId}/analysis", new { outcome = "callback" });
        var rectified = await ExportedAsync(app, conversationId, version: 2);
        Assert.Equal("rectification", rectified.Reason);
        Assert.Equal("callback", rectified.Verdict.Outcome);
        Assert.NotEqual("system:pipeline", rectified.RequestedBy);
        Assert.NotEmpty(rectified.RequestedBy);

        // Re-analysis and re-export carry the same requester to their owners.
        await AdminAsync(app, HttpMethod.Post, $"/api/v1/conversations/{conversationId}/reanalyze");
        var reanalysed = await ExportedAsync(app, conversationId, version: 3);
        Assert.Equal("operator request", reanalysed.Reason);
        Assert.Equal(rectified.RequestedBy, reanalysed.RequestedBy);
        await AdminAsync(app, HttpMethod.Post, $"/api/v1/conversations/{conversationId}/reexport");
        await ExportedAsync(app, conversationId, version: 3);

        var outcomes = await AdminArrayAsync(app, "/api/v1/conversations/search", new { outcome = reanalysed.Verdict.Outcome });
        Assert.Contains(outcomes, c => c!["conversationId"]!.GetValue<string>() == conversationId && c["analysisVersion"]!.GetValue<int>() == 3);
    }

    /// <summary>Waits until the analysis service holds <paramref name="version"/> and the CRM service exported it.</summary>
    private static async Task<AnalysisReply> ExportedAsync(StressApp app, string conversationId, int version)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var versions = (await app.AnalysisGrpc.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversationId })).Analyses;
            if (versions.Count >= version)
            {
                var wanted = versions[version - 1];
                try
                {
                    var export = await app.CrmGrpc.GetExportStatusAsync(new ExportStatusRequest { ConversationId = conversationId });
                    if (export.State == "done" && export.AnalysisId == wanted.AnalysisId && export.ExportedAt is not null)
                    {
                        return wanted;
                    }
                }
                catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.NotFound)
                {
                    // Not queued yet.
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"version {version} of {conversationId} was not exported in time\n{app.Tail("analysis")}\n{app.Tail("crm")}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonObject> AdminAsync(StressApp app, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await app.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonArray> AdminArrayAsync(StressApp app, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await app.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    private static byte[] RussianTranscription(string conversationId)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "post_call_transcription_ru.json")))!;
        node["data"]!["conversation_id"] = conversationId;
        node["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
