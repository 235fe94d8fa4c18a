using System.Collections.Concurrent;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The page, scripts and stylesheet, embedded in the assembly (Dashboard/Assets) so the dashboard works from
/// any working directory, including test runs.
/// </summary>
public static class DashboardAssets
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new();

    public const string SignInPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>VoiceAnalytics dashboard: sign in</title></head>
        <body style="font-family:system-ui,sans-serif;margin:3rem" data-testid="signin-required">
        <h1>Sign in required</h1>
        <p>Open the dashboard login link the AppHost printed at start (<code>/login?t=…</code>).</p>
        </body></html>
        """;

    /// <summary>The bytes of an embedded asset, or null for a name that is not one.</summary>
    public static byte[]? Read(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        if (name.Contains('/') || name.Contains('\\'))
        {
            return null;
        }
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Dashboard." + name);
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static string ContentType(string fileName) => Path.GetExtension(fileName) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "text/html; charset=utf-8",
    };
}
