using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>Conversations: list, search, read in full, re-analyse, re-export, rectify. Operator and admin.</summary>
public static class ConversationsEndpoints
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public static RouteGroupBuilder MapConversationsEndpoints(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations").RequireAuthorization(AdminRoles.OperationsPolicy);
        conversations.MapGet("/", ListAsync).WithSummary("Conversations, newest first, by agent, time range and outcome.");
        conversations.MapPost("/search", SearchAsync).WithSummary("Search, also by phone number (sent in the body, matched through the keyed hash).");
        conversations.MapGet("/{conversationId}", GetAsync).WithSummary("One conversation in full: events, transcript, analyses, CRM export, jobs, trace id.");
        conversations.MapPost("/{conversationId}/reanalyze", ReanalyzeAsync).WithSummary("Queue a new analysis version now.");
        conversations.MapPost("/{conversationId}/reexport", ReexportAsync).WithSummary("Queue the CRM export again (same deterministic lead Id).");
        conversations.MapPatch("/{conversationId}/analysis", RectifyAsync).WithSummary("Correct analysis fields: a new analysis version, exported to the CRM again.");
        return conversations;
    }

    private static Task<Ok<IReadOnlyList<ConversationSummary>>> ListAsync(
        HttpContext http, ConversationReader reader, AuditTrail audit, string? agentId, DateTimeOffset? from, DateTimeOffset? to, string? outcome,
        int? limit, DateTimeOffset? before, CancellationToken cancellationToken) =>
        SearchAsync(new ConversationSearch(agentId, from, to, outcome, null, limit, before), http, reader, audit, cancellationToken);

    private static async Task<Ok<IReadOnlyList<ConversationSummary>>> SearchAsync(
        ConversationSearch search, HttpContext http, ConversationReader reader, AuditTrail audit, CancellationToken cancellationToken)
    {
        var results = await reader.SearchAsync(search, cancellationToken);
        // Which filters were used, never their values: a phone number must not enter the trail.
        var filters = new[] { ("agent", search.AgentId), ("from", search.From?.ToString("O")), ("to", search.To?.ToString("O")), ("outcome", search.Outcome), ("phone", search.Phone) }
            .Where(f => f.Item2 is not null).Select(f => f.Item1);
        await audit.AppendAsync(AdminActor.From(http).Entry(search.Phone is null ? "conversation.list" : "conversation.search", "conversations",
            details: new Dictionary<string, string?> { ["filters"] = string.Join(",", filters), ["results"] = results.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            cancellationToken);
        return TypedResults.Ok(results);
    }

    private static async Task<Results<Ok<ConversationDetail>, NotFound<AdminError>>> GetAsync(
        string conversationId, HttpContext http, ConversationReader reader, AuditTrail audit, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var detail = await reader.GetAsync(conversationId, includeAudio: false, cancellationToken);
        if (detail?.TraceId is { } traceId && configuration["Dashboard:Url"] is { Length: > 0 } dashboard)
        {
            detail = detail with { TraceUrl = $"{dashboard.TrimEnd('/')}/traces/detail/{traceId}" };
        }
        await audit.AppendAsync(AdminActor.From(http).Entry("conversation.read", $"conversation/{conversationId}", conversationId,
            new Dictionary<string, string?> { ["found"] = detail is null ? "false" : "true" }), cancellationToken);
        return detail is null ? NotFound(conversationId) : TypedResults.Ok(detail);
    }

    private static async Task<Results<Accepted<JobAccepted>, NotFound<AdminError>, JsonHttpResult<AdminError>>> ReanalyzeAsync(
        string conversationId, HttpContext http, PipelineClients clients, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (clients.Analysis is not { } analysis)
        {
            return Unavailable("The analysis service address (services:analysis:grpc:0) is not configured.");
        }
        try
        {
            var reply = await analysis.AnalyzeNowAsync(new AnalyzeNowRequest { ConversationId = conversationId, Reason = "operator request", RequestedBy = AdminActor.From(http).KeyId },
                deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            await audit.AppendAsync(AdminActor.From(http).Entry("analysis.requeue", $"conversation/{conversationId}", conversationId,
                new Dictionary<string, string?> { ["job_id"] = reply.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
            return TypedResults.Accepted($"/api/v1/conversations/{conversationId}", new JobAccepted(conversationId, reply.JobId));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return NotFound(conversationId);
        }
        catch (RpcException ex)
        {
            return Unavailable($"The analysis service answered {ex.StatusCode}.");
        }
    }

    private static async Task<Results<Accepted<JobAccepted>, NotFound<AdminError>, JsonHttpResult<AdminError>>> ReexportAsync(
        string conversationId, HttpContext http, PipelineClients clients, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (clients.Crm is not { } crm)
        {
            return Unavailable("The CRM service address (services:crm:grpc:0) is not configured.");
        }
        try
        {
            var reply = await crm.RetryExportAsync(new RetryExportRequest { ConversationId = conversationId, RequestedBy = AdminActor.From(http).KeyId }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            await audit.AppendAsync(AdminActor.From(http).Entry("export.requeue", $"conversation/{conversationId}", conversationId,
                new Dictionary<string, string?> { ["job_id"] = reply.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
            return TypedResults.Accepted($"/api/v1/conversations/{conversationId}", new JobAccepted(conversationId, reply.JobId));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return NotFound(conversationId);
        }
        catch (RpcException ex)
        {
            return Unavailable($"The CRM service answered {ex.StatusCode}.");
        }
    }

    private static async Task<Results<Ok<JobAccepted>, NotFound<AdminError>, BadRequest<AdminError>>> RectifyAsync(
        string conversationId, Rectification rectification, HttpContext http, AnalysisRectifier rectifier, PipelineClients clients,
        CancellationToken cancellationToken)
    {
        try
        {
            AnalysisRectifier.Changes(rectification);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", ex.Message));
        }
        var entry = AdminActor.From(http).Entry("analysis.rectify", $"conversation/{conversationId}", conversationId);
        if (await rectifier.RectifyAsync(conversationId, rectification, entry, cancellationToken) is not { } done)
        {
            return TypedResults.NotFound(new AdminError("not_found", $"Conversation '{conversationId}' has no analysis to correct."));
        }
        if (clients.Crm is { } crm)
        {
            try
            {
                await crm.NudgeExportAsync(new NudgeExportRequest { ConversationId = conversationId }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Best effort: the export job is committed and the CRM service polls for it anyway.
            }
        }
        return TypedResults.Ok(new JobAccepted(conversationId, done.ExportJobId));
    }

    private static NotFound<AdminError> NotFound(string conversationId) =>
        TypedResults.NotFound(new AdminError("not_found", $"Nothing is held about conversation '{conversationId}'."));

    private static JsonHttpResult<AdminError> Unavailable(string reason) =>
        TypedResults.Json(new AdminError("unavailable", reason), statusCode: StatusCodes.Status503ServiceUnavailable);
}
