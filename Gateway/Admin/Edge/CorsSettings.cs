namespace VoiceAnalytics.Gateway.Admin.Edge;

/// <summary>
/// Browser origins allowed to call the gateway with credentials (configuration <c>Cors:AllowedOrigins</c>, set per
/// environment in appsettings.{Environment}.json or <c>Cors__AllowedOrigins__0</c>…). None by default: no page on
/// another origin may call the API until an operator names it.
/// </summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";

    public const string InvalidOrigin =
        "Cors:AllowedOrigins must hold exact origins such as https://admin.example.com (scheme, host and optional port; no path, no wildcard).";

    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>True when every entry is a bare http(s) origin; a wildcard cannot be combined with credentials.</summary>
    public bool AreOriginsValid() => AllowedOrigins.All(origin =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && !origin.EndsWith('/') && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo) && !origin.Contains('*', StringComparison.Ordinal));
}
