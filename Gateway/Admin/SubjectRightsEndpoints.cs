using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Privacy;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// Data-subject rights (GDPR/LGPD): access and portability (auditor and admin), erasure (admin). The subject is
/// named in the body, by conversation id or phone number, never in the URL.
/// </summary>
public static class SubjectRightsEndpoints
{
    public static RouteGroupBuilder MapSubjectRightsEndpoints(this RouteGroupBuilder api)
    {
        var subjects = api.MapGroup("/subject-requests").WithTags("Data-subject rights");
        subjects.MapPost("/access", AccessAsync).RequireAuthorization(AdminRoles.CompliancePolicy)
            .WithSummary("Everything held about a conversation or a phone number, as portable JSON.");
        subjects.MapPost("/erasure", EraseAsync).RequireAuthorization(AdminRoles.AdminPolicy)
            .WithSummary("Erase everything held about a conversation or a phone number: events, recordings, analyses, exports, jobs, spool, Markdown. " +
                "200 when every owner of the data erased its part in time; otherwise 202 with the request, retried until complete.");
        subjects.MapGet("/erasure/{id:guid}", ErasureStatusAsync).RequireAuthorization(AdminRoles.AdminPolicy)
            .WithSummary("An erasure request's state: pending until every owner of the data has reported, then done with each owner's counts.");
        return subjects;
    }

    private static async Task<Results<Ok<SubjectExport>, NotFound<AdminError>, BadRequest<AdminError>, JsonHttpResult<AdminError>>> AccessAsync(
        SubjectRequest request, HttpContext http, ConversationReader reader, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var conversations = new List<ConversationDetail>();
        try
        {
            foreach (var id in await ResolveAsync(request, reader, cancellationToken))
            {
                if (await reader.GetAsync(id, includeAudio: true, cancellationToken) is { } detail)
                {
                    // A subject's copy must be complete: an owner that did not answer fails the request, to be retried.
                    conversations.Add(detail.Unavailable.Count == 0 ? detail : throw new OwnerUnavailableException(detail.Unavailable[0]));
                }
            }
        }
        catch (OwnerUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Json(new AdminError("unavailable", ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var actor = AdminActor.From(http);
        foreach (var conversation in conversations)
        {
            await audit.AppendAsync(actor.Entry("subject.access", $"conversation/{conversation.ConversationId}", conversation.ConversationId,
                new Dictionary<string, string?> { ["by"] = request.Phone is null ? "conversation_id" : "phone" }), cancellationToken);
        }
        if (conversations.Count == 0)
        {
            await audit.AppendAsync(actor.Entry("subject.access", "subject", request.ConversationId,
                new Dictionary<string, string?> { ["by"] = request.Phone is null ? "conversation_id" : "phone", ["found"] = "false" }), cancellationToken);
            return TypedResults.NotFound(new AdminError("not_found", "Nothing is held about this subject."));
        }
        return TypedResults.Ok(new SubjectExport(time.GetUtcNow(), conversations));
    }

    private static async Task<Results<Ok<ErasureReport>, Accepted<ErasureReport>, NotFound<AdminError>, BadRequest<AdminError>, JsonHttpResult<AdminError>>> EraseAsync(
        SubjectRequest request, HttpContext http, ConversationReader reader, ConversationEraser eraser, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var ids = await ResolveAsync(request, reader, cancellationToken);
        var actor = AdminActor.From(http);
        var by = new Dictionary<string, string?> { ["by"] = request.Phone is null ? "conversation_id" : "phone" };
        if (ids.Count == 0)
        {
            await audit.AppendAsync(actor.Entry("subject.erasure", "subject", null, Found(new Dictionary<string, string?>(by))), cancellationToken);
            return TypedResults.NotFound(new AdminError("not_found", "Nothing is held about this subject."));
        }
        try
        {
            var erasure = await eraser.EraseAsync(ids, actor.Entry("subject.erasure", details: by), cancellationToken);
            if (!erasure.IsDone)
            {
                return Accepted(erasure);
            }
            var report = ErasureReport.From(erasure, ids);
            if (request.Phone is not null)
            {
                // Conversations of the number that arrived while the erasure ran: erase them too, a few passes at most,
                // and report any still left rather than claim a complete erasure.
                for (var pass = 0; pass < MaxErasurePasses; pass++)
                {
                    var left = await ResolveAsync(request, reader, cancellationToken);
                    if (left.Count == 0)
                    {
                        break;
                    }
                    var next = await eraser.EraseAsync(left, actor.Entry("subject.erasure", details: by), cancellationToken);
                    if (!next.IsDone)
                    {
                        return Accepted(next);
                    }
                    report = Merge(report, ErasureReport.From(next, left));
                }
                report = report with { Remaining = (await ResolveAsync(request, reader, cancellationToken)).Count };
            }
            return TypedResults.Ok(report);
        }
        catch (SpoolBusyException ex)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Json(new AdminError("unavailable", ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<Results<Ok<ErasureReport>, NotFound<AdminError>>> ErasureStatusAsync(
        Guid id, HttpContext http, ErasureRequestStore requests, AuditTrail audit, CancellationToken cancellationToken)
    {
        var erasure = await requests.GetAsync(id, cancellationToken);
        var details = new Dictionary<string, string?> { ["found"] = erasure is null ? "false" : "true" };
        await audit.AppendAsync(AdminActor.From(http).Entry("subject.erasure.read", $"erasure/{id:D}", details: details), cancellationToken);
        return erasure is null
            ? TypedResults.NotFound(new AdminError("not_found", "No such erasure request."))
            : TypedResults.Ok(ErasureReport.From(erasure));
    }

    // An owner did not answer in time: the erasure is recorded and will be completed; the caller follows it by its id.
    private static Accepted<ErasureReport> Accepted(ErasureRequest erasure) =>
        TypedResults.Accepted($"/api/v1/subject-requests/erasure/{erasure.Id:D}", ErasureReport.From(erasure));

    private const int MaxErasurePasses = 3;

    // Later passes add their conversations and counts to the first pass's report, which keeps its request id.
    private static ErasureReport Merge(ErasureReport first, ErasureReport second) => first with
    {
        ConversationIds = [.. first.ConversationIds, .. second.ConversationIds],
        ConversationCount = first.ConversationCount + second.ConversationCount,
        Removed = first.Removed.Concat(second.Removed).GroupBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal),
        CompletedAt = second.CompletedAt,
    };

    private static Dictionary<string, string?> Found(Dictionary<string, string?> details)
    {
        details["found"] = "false";
        return details;
    }

    private static BadRequest<AdminError>? Validate(SubjectRequest request) =>
        string.IsNullOrWhiteSpace(request.ConversationId) == string.IsNullOrWhiteSpace(request.Phone)
            ? TypedResults.BadRequest(new AdminError("invalid_request", "Give exactly one of conversationId or phone."))
            : null;

    // By conversation id the erasure always runs (it is idempotent, so a retry after a partial failure finishes
    // the job); by phone it covers every conversation whose caller number or analysed phone matches.
    private static async Task<IReadOnlyList<string>> ResolveAsync(SubjectRequest request, ConversationReader reader, CancellationToken cancellationToken) =>
        request.Phone is { } phone
            ? await reader.ConversationIdsByPhoneAsync(phone, cancellationToken)
            : [request.ConversationId!];
}
