using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>
/// The outer edge of the whole-app test: a real Kestrel server on a free loopback port answering one POST path
/// with fixed JSON (a fake OpenAI chat completion, a fake Creatio landing), counting what it received.
/// </summary>
public sealed class StubHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private StubHttpServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<StubHttpServer> StartAsync(string path, string json)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StubHttpServer? server = null;
        app.MapPost(path, async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref server!._requests);
            server._firstRequest.TrySetResult();
            return Results.Text(json, "application/json");
        });
        await app.StartAsync();
        server = new StubHttpServer(app, new Uri(app.Urls.First()));
        return server;
    }

    public Task WaitForFirstRequestAsync(TimeSpan patience) => _firstRequest.Task.WaitAsync(patience);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
