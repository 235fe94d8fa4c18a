namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>The AppHost's own settings, section <c>AppHost</c> (appsettings.json, <c>AppHost__*</c> variables, command line).</summary>
public sealed class AppHostOptions
{
    public const string Section = "AppHost";

    /// <summary>Port of the dashboard and <c>/api/resources</c>, on 127.0.0.1 only; 0 picks a free one.</summary>
    public int DashboardPort { get; set; } = 18888;

    /// <summary>Where external endpoints listen: all interfaces by default (webhooks come from outside).</summary>
    public string ExternalBindAddress { get; set; } = "0.0.0.0";

    /// <summary>Folder for everything kept between runs (Postgres data, lock file); empty: the repository's <c>.data</c>.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Echo every resource's output to the AppHost console, prefixed with its name.</summary>
    public bool EchoResourceLogs { get; set; } = true;

    /// <summary>Console lines kept in memory per resource; the oldest go first.</summary>
    public int LogLinesPerResource { get; set; } = 5000;
}
