using System.Diagnostics;
using System.Text.Json;

namespace VoiceAnalytics.TestSupport;

/// <summary>
/// Runs @grpc/grpc-js (a real, independent gRPC implementation) from Tests/Infrastructure.Tests/Interop with
/// Node, installing its npm packages on first use when they are missing.
/// </summary>
public static class GrpcJs
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string InteropDir { get; } = Path.Combine(RepoRoot(), "Tests", "Infrastructure.Tests", "Interop");

    /// <summary>Where the .proto files live: the project's contracts and the test-only echo contract.</summary>
    public static string[] ProtoRoots { get; } =
        [Path.Combine(RepoRoot(), "Protos"), Path.Combine(RepoRoot(), "Tests", "Infrastructure.Tests", "Protos")];

    /// <summary>Runs client.js against <paramref name="target"/> (host:port) and returns its JSON report.</summary>
    public static async Task<JsonElement> RunClientAsync(string target, IDictionary<string, string>? environment = null)
    {
        await EnsureInstalledAsync();
        var start = NodeStart("client.js", [target, .. ProtoRoots]);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"grpc-js client failed: {await stderr}");
        }
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    /// <summary>Starts server.js; the returned handle knows its port and stops the server when disposed.</summary>
    public static async Task<NodeServer> StartServerAsync()
    {
        await EnsureInstalledAsync();
        var start = NodeStart("server.js", ProtoRoots);
        start.RedirectStandardInput = true;
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"grpc-js server did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }
        return new NodeServer(process, int.Parse(line[5..]));
    }

    private static ProcessStartInfo NodeStart(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = InteropDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(InteropDir, "node_modules", "@grpc", "grpc-js")))
            {
                return;
            }
            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = InteropDir, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var npm = Process.Start(start)!;
            var stderr = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {InteropDir} failed: {await stderr}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoiceAnalytics.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("VoiceAnalytics.sln not found above the test binaries.");
    }

    public sealed class NodeServer(Process process, int port) : IDisposable
    {
        public Uri Address { get; } = new($"http://127.0.0.1:{port}");

        public void Dispose()
        {
            try
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(5000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
