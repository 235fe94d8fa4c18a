using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// The reverse proxies whose forwarded headers are believed (see <see cref="TrustedProxies"/>): section
/// <c>TrustedProxies</c>, or the flat name in <see cref="FlatVariables"/>.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "TrustedProxies";

    /// <summary>The flat environment name existing deployments set, and the key it sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } = [new("FORWARDED_KNOWN_PROXIES", "TrustedProxies:KnownProxies")];

    /// <summary>Comma-separated addresses or CIDRs (<c>10.0.0.5,10.1.0.0/16</c>); empty: no proxy is believed.</summary>
    public string? KnownProxies { get; set; }
}
