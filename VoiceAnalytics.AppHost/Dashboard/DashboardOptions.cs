namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// Dashboard settings (section <c>Dashboard</c>). Without a configured <see cref="Token"/> a fresh random one
/// is made at every start and printed as a login link, as Aspire's dashboard does.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The browser login token; empty means "generate one".</summary>
    public string? Token { get; set; }

    /// <summary>How often the pages poll for new data, in milliseconds.</summary>
    public int PollIntervalMs { get; set; } = 2_000;
}
