namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>The claims of a token that verified, or why it was refused (a reason safe to show the caller).</summary>
public sealed record AccessTokenValidation(AccessTokenClaims? Claims, string? Failure)
{
    public static AccessTokenValidation Refused(string reason) => new(null, reason);
}
