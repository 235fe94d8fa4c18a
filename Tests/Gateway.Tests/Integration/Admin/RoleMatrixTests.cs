using System.Net;
using System.Net.Http.Json;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>Every admin endpoint called by every kind of caller: no key, a bad key, and each role.</summary>
public sealed class RoleMatrixTests
{
    private const string Conversation = "conv_matrix_0001";

    private sealed record Endpoint(string Name, HttpMethod Method, Func<Task<string>> Path, object? Body, HttpStatusCode Success, params string[] Roles);

    [Fact]
    public async Task EveryEndpointAnswers401WithoutAValidKey403ForTheWrongRoleAndSucceedsForTheRightOnes()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Conversation);
        var keys = new Dictionary<string, string>
        {
            ["admin"] = (await host.CreateKeyAsync("admin")).Secret,
            ["operator"] = (await host.CreateKeyAsync("operator")).Secret,
            ["auditor"] = (await host.CreateKeyAsync("auditor")).Secret,
        };
        Task<string> Fixed(string path) => Task.FromResult(path);
        async Task<string> FreshKey(string action) => $"/api/v1/keys/{(await host.CreateKeyAsync("operator")).Id}/{action}";
        async Task<string> ErasureStatus()
        {
            using var erased = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = "conv_never_seen" });
            return erased.Headers.Location?.OriginalString
                ?? $"/api/v1/subject-requests/erasure/{(await erased.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["requestId"]}";
        }

        Endpoint[] endpoints =
        [
            new("create key", HttpMethod.Post, () => Fixed("/api/v1/keys"), new { name = "new", role = "auditor" }, HttpStatusCode.Created, "admin"),
            new("list keys", HttpMethod.Get, () => Fixed("/api/v1/keys"), null, HttpStatusCode.OK, "admin"),
            new("rotate key", HttpMethod.Post, () => FreshKey("rotate"), new { graceHours = 1 }, HttpStatusCode.Created, "admin"),
            new("revoke key", HttpMethod.Post, () => FreshKey("revoke"), null, HttpStatusCode.NoContent, "admin"),
            new("list conversations", HttpMethod.Get, () => Fixed("/api/v1/conversations?agentId=agent_7101k5zvyjhmfg983brhmhkd98n6"), null, HttpStatusCode.OK, "admin", "operator"),
            new("search conversations", HttpMethod.Post, () => Fixed("/api/v1/conversations/search"), new { phone = Seed.FixturePhone }, HttpStatusCode.OK, "admin", "operator"),
            new("read conversation", HttpMethod.Get, () => Fixed($"/api/v1/conversations/{Conversation}"), null, HttpStatusCode.OK, "admin", "operator"),
            new("re-analyse", HttpMethod.Post, () => Fixed($"/api/v1/conversations/{Conversation}/reanalyze"), null, HttpStatusCode.Accepted, "admin", "operator"),
            new("re-export", HttpMethod.Post, () => Fixed($"/api/v1/conversations/{Conversation}/reexport"), null, HttpStatusCode.Accepted, "admin", "operator"),
            new("rectify", HttpMethod.Patch, () => Fixed($"/api/v1/conversations/{Conversation}/analysis"), new { outcome = "callback" }, HttpStatusCode.OK, "admin", "operator"),
            new("subject access", HttpMethod.Post, () => Fixed("/api/v1/subject-requests/access"), new { conversationId = Conversation }, HttpStatusCode.OK, "admin", "auditor"),
            new("subject erasure", HttpMethod.Post, () => Fixed("/api/v1/subject-requests/erasure"), new { conversationId = "conv_never_seen" }, HttpStatusCode.OK, "admin"),
            new("erasure status", HttpMethod.Get, ErasureStatus, null, HttpStatusCode.OK, "admin"),
            new("audit list", HttpMethod.Get, () => Fixed("/api/v1/audit?limit=5"), null, HttpStatusCode.OK, "admin", "auditor"),
            new("audit verify", HttpMethod.Get, () => Fixed("/api/v1/audit/verify"), null, HttpStatusCode.OK, "admin", "auditor"),
        ];

        var mismatches = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var callers = new (string Caller, string? Key, HttpStatusCode Expected)[]
            {
                ("no key", null, HttpStatusCode.Unauthorized),
                ("unknown key", "va_0123456789ab_" + new string('A', 43), HttpStatusCode.Unauthorized),
                ("garbage", "not-a-key", HttpStatusCode.Unauthorized),
                ("admin", keys["admin"], endpoint.Roles.Contains("admin") ? endpoint.Success : HttpStatusCode.Forbidden),
                ("operator", keys["operator"], endpoint.Roles.Contains("operator") ? endpoint.Success : HttpStatusCode.Forbidden),
                ("auditor", keys["auditor"], endpoint.Roles.Contains("auditor") ? endpoint.Success : HttpStatusCode.Forbidden),
            };
            foreach (var (caller, key, expected) in callers)
            {
                using var response = await host.SendAsync(endpoint.Method, await endpoint.Path(), key, endpoint.Body);
                if (response.StatusCode != expected)
                {
                    mismatches.Add($"{endpoint.Name} as {caller}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (!body.Contains("\"reason\"", StringComparison.Ordinal))
                    {
                        mismatches.Add($"{endpoint.Name} as {caller}: {(int)expected} without a JSON reason: {body}");
                    }
                }
            }
        }
        Assert.Empty(mismatches);

        // Every allowed call and every refusal of an authenticated caller left an audit record.
        foreach (var action in new[] { "key.create", "key.list", "key.rotate", "key.revoke", "conversation.list", "conversation.search",
                     "conversation.read", "analysis.requeue", "export.requeue", "analysis.rectify", "subject.access", "subject.erasure",
                     "subject.erasure.read", "audit.read", "audit.verify", "access.denied" })
        {
            Assert.True(await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = $1", action) > 0, $"no audit record for {action}");
        }
        Assert.Equal(21, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'access.denied'"));
        Assert.Contains($"analyze:{Conversation}", host.Pipeline.Calls);
        Assert.Contains($"retry:{Conversation}", host.Pipeline.Calls);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheAdminApi()
    {
        await using var host = await AdminHost.StartAsync();
        using var response = await host.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/v1/keys", "/api/v1/keys/{id}/rotate", "/api/v1/conversations/search", "/api/v1/conversations/{conversationId}/analysis",
                     "/api/v1/subject-requests/erasure", "/api/v1/subject-requests/erasure/{id}", "/api/v1/audit/verify" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }
}
