using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The login token and the session cookie derived from it. The cookie holds an HMAC of the token rather than
/// the token itself, and both are compared in constant time.
/// </summary>
public sealed class DashboardToken(IOptions<DashboardOptions> options)
{
    public const string CookieName = "voiceanalytics_dashboard";
    public const string LoginPath = "/login";

    public string Value { get; } = string.IsNullOrWhiteSpace(options.Value.Token)
        ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
        : options.Value.Token.Trim();

    public string SessionValue => Convert.ToBase64String(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(Value), "voiceanalytics-dashboard-session"u8));

    /// <summary>The link printed at start: <c>http://127.0.0.1:18888/login?t=…</c>.</summary>
    public string LoginUrl(string baseAddress) => $"{baseAddress.TrimEnd('/')}{LoginPath}?t={Uri.EscapeDataString(Value)}";

    public bool Matches(string? candidate) => FixedTimeEquals(candidate, Value);

    public bool IsSession(string? cookie) => FixedTimeEquals(cookie, SessionValue);

    private static bool FixedTimeEquals(string? candidate, string expected) =>
        candidate is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(expected));
}
