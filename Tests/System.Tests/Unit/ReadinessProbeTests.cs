using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VoiceAnalytics.AppHost.Health;

namespace VoiceAnalytics.System.Tests.Unit;

/// <summary>The AppHost's readiness probe against a local HTTP server that answers 503 a given number of times.</summary>
public sealed class ReadinessProbeTests
{
    [Fact]
    public async Task HealthyWithinOneCheckOnceTheEndpointAnswers200()
    {
        using var server = new CountingServer(notReadyAnswers: 3);
        using var client = new HttpClient();
        var probe = new ReadinessProbe(client, () => server.Uri);

        var result = await probe.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task UnhealthyAfterTheWindowWhileTheEndpointAnswers503()
    {
        using var server = new CountingServer(notReadyAnswers: int.MaxValue);
        using var client = new HttpClient();
        var probe = new ReadinessProbe(client, () => server.Uri);

        var result = await probe.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("answered 503", result.Description, StringComparison.Ordinal);
        Assert.True(server.Requests > 1, "the probe asks more than once within its window");
    }

    /// <summary>Answers 503 for the first <c>notReadyAnswers</c> requests, then 200.</summary>
    private sealed class CountingServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _requests;

        public CountingServer(int notReadyAnswers)
        {
            var port = FreePort();
            Uri = new Uri($"http://127.0.0.1:{port}/health");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    context.Response.StatusCode = Interlocked.Increment(ref _requests) <= notReadyAnswers ? 503 : 200;
                    context.Response.Close();
                }
            });
        }

        public Uri Uri { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
