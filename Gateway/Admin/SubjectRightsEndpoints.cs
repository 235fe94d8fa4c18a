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
            .WithSummary("Erase everything held about a conversation or a phone number: events, recordings, analyses, exports, jobs, spool, Markdown.");
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

    private static async Task<Results<Ok<ErasureReport>, NotFound<AdminError>, BadRequest<AdminError>, JsonHttpResult<AdminError>>> EraseAsync(
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
            var report = await eraser.EraseAsync(ids, actor.Entry("subject.erasure", details: by), cancellationToken);
            var remaining = 0;
            if (request.Phone is not null)
            {
                // Conversations of the number that arrived while the erasure ran: erase them too, a few passes at most,
                // and report any still left rather than claim a complete erasure.
                for (var pass = 0; pass < MaxErasurePasses; pass++)
                {
                    var left = await ResolveAsync(request, reader, cancellationToken);
                    remaining = left.Count;
                    if (remaining == 0)
                    {
                        break;
                    }
                    report = Merge(report, await eraser.EraseAsync(left, actor.Entry("subject.erasure", details: by), cancellationToken));
                    remaining = (await ResolveAsync(request, reader, cancellationToken)).Count;
                }
            }
            return TypedResults.Ok(report with { Remaining = remaining });
        }
        catch (SpoolBusyException ex)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Json(new AdminError("unavailable", ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private const int MaxErasurePasses = 3;

    private static ErasureReport Merge(ErasureReport first, ErasureReport second) => new(
        [.. first.ConversationIds, .. second.ConversationIds],
        first.Removed.Concat(second.Removed).GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal));

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
