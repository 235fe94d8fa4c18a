namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The three roles of an API key and the authorization policies built from them (docs/privacy.md has the table).</summary>
public static class AdminRoles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Auditor];

    /// <summary>Key management and erasure.</summary>
    public const string AdminPolicy = "admin-only";

    /// <summary>Day-to-day operations on conversations: read, search, re-analyse, re-export, rectify.</summary>
    public const string OperationsPolicy = "operations";

    /// <summary>Compliance: the audit trail and data-subject access exports.</summary>
    public const string CompliancePolicy = "compliance";

    /// <summary>Any signed-in key, whatever its role: signing out of one's own session.</summary>
    public const string AnyRolePolicy = "any-role";

    public static bool IsValid(string? role) => role is not null && All.Contains(role);
}
