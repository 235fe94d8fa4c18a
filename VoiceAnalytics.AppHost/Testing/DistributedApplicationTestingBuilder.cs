using System.Reflection;
using System.Runtime.ExceptionServices;

namespace VoiceAnalytics.AppHost.Testing;

/// <summary>
/// What Aspire.Hosting.Testing gives: runs the AppHost's entry point with a test's overrides and returns the
/// built, not yet started, application.
/// <code>
/// await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o => o.WithEnvironment("analysis", "OPENAI_BASE_URL", fake));
/// await app.StartAsync();
/// await app.WaitForAllHealthyAsync(TimeSpan.FromSeconds(60));
/// var gateway = app.GetEndpoint("gateway", "http");
/// </code>
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static async Task<DistributedApplication> CreateAsync(Action<DistributedApplicationTestingOptions>? configure = null)
    {
        var options = new DistributedApplicationTestingOptions();
        configure?.Invoke(options);
        options.DataDirectory ??= TestingSession.NewTemporaryDataDirectory();
        var defaults = new Dictionary<string, string?>
        {
            ["AppHost:DataDirectory"] = options.DataDirectory,
            ["AppHost:DashboardPort"] = "0",
            ["AppHost:GatewayPort"] = "0",
            ["AppHost:ExternalBindAddress"] = "127.0.0.1",
            ["AppHost:EchoResourceLogs"] = "false",
        };
        foreach (var (key, value) in defaults)
        {
            options.Configuration.TryAdd(key, value);
        }

        var session = new TestingSession(options);
        TestingSession.Current = session;
        try
        {
            var entryPoint = typeof(DistributedApplication).Assembly.EntryPoint
                ?? throw new InvalidOperationException("The AppHost assembly has no entry point.");
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
            if (result is Task task)
            {
                await task;
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
        finally
        {
            TestingSession.Current = null;
        }
        return session.Application ?? throw new InvalidOperationException("The AppHost's entry point did not build an application.");
    }
}
