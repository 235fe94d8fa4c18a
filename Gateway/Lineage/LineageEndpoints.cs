using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// <c>GET /api/v1/conversations/{id}/lineage</c>: a conversation's traceability report, for an audit or a client's
/// request. Auditor and admin (compliance), every call audited. JSON by default; <c>?format=text&amp;lang=pt|en|ru</c>
/// for readable sentences.
/// </summary>
public static class LineageEndpoints
{
    public const string Json = "json";
    public const string Text = "text";

    public static RouteHandlerBuilder MapLineageEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.MapGet("/conversations/{conversationId}/lineage", GetAsync)
            .WithTags("Lineage")
            .RequireAuthorization(AdminRoles.CompliancePolicy)
            .WithSummary("A conversation's life in order: received, stored, analysed, exported, read, rectified, erased (format=json|text, lang=pt|en|ru).");
    }

    private static async Task<Results<Ok<LineageReport>, ContentHttpResult, BadRequest<AdminError>>> GetAsync(
        string conversationId, string? format, string? lang, HttpContext http, LineageAssembler assembler, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        format ??= Json;
        if (format is not (Json or Text))
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "format must be 'json' or 'text'."));
        }
        LineageLanguage? language = null;
        if (lang is not null && !LineageLanguage.All.TryGetValue(lang, out language))
        {
            return TypedResults.BadRequest(new AdminError("invalid_request",
                $"lang must be one of {string.Join(", ", LineageLanguage.All.Keys.Select(k => $"'{k}'"))}."));
        }
        if (format == Json && lang is not null)
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "lang applies to format=text only."));
        }

        var report = await assembler.AssembleAsync(conversationId, cancellationToken);
        await audit.AppendAsync(AdminActor.From(http).Entry("conversation.lineage", $"conversation/{conversationId}", conversationId,
            new Dictionary<string, string?>
            {
                ["format"] = format,
                ["lang"] = lang,
                ["steps"] = report.Steps.Count.ToString(CultureInfo.InvariantCulture),
            }), cancellationToken);
        return format == Text
            ? TypedResults.Text(LineageTextRenderer.Render(report, language ?? LineageTextsEn.Table), "text/plain; charset=utf-8")
            : TypedResults.Ok(report);
    }
}
