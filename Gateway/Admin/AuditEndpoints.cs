using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The audit trail and its verification. Auditor and admin.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(AdminRoles.CompliancePolicy);
        audit.MapGet("/", ListAsync).WithSummary("Audit records, newest first, filtered by conversation, action and time.");
        audit.MapGet("/verify", VerifyAsync).WithSummary(
            "Verify the keyed hash chain from the last signed checkpoint (full=true: from the anchor); names the first record that does not verify.");
        return audit;
    }

    private static async Task<Ok<AuditPage>> ListAsync(
        HttpContext http, AuditTrail audit, string? conversationId, string? action, DateTimeOffset? from, DateTimeOffset? to, long? beforeId, int? limit,
        CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var records = await audit.ListAsync(conversationId, action, from, to, beforeId, take, cancellationToken);
        await audit.AppendAsync(AdminActor.From(http).Entry("audit.read", "audit", conversationId), cancellationToken);
        return TypedResults.Ok(new AuditPage(records, records.Count == take ? records[^1].Id : null));
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(
        HttpContext http, AuditChainVerifier verifier, AuditTrail audit, bool? full, CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(full ?? false, cancellationToken);
        await audit.AppendAsync(AdminActor.From(http).Entry("audit.verify", "audit", details: new Dictionary<string, string?>
        {
            ["valid"] = result.Valid ? "true" : "false",
            ["first_broken_id"] = result.FirstBrokenId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), cancellationToken);
        return TypedResults.Ok(result);
    }
}
