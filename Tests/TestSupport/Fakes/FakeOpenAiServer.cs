using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>
/// An OpenAI-compatible chat-completions server on a free loopback port. It records every request (arrival,
/// body, requests in flight on arrival, the highest in-flight count), waits <see cref="Latency"/>, then answers
/// what <see cref="Reply"/> says for that request number (1-based).
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public TimeSpan Latency { get; set; }

    public Func<int, FakeLlmReply> Reply { get; set; } = _ => FakeLlmReply.Ok();

    /// <summary>The base URL to configure as OPENAI_BASE_URL.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<FakeLlmRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the service's appsettings.json (copied next to the tests): its fixed Kestrel ports are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>
    /// One unrecorded request through the whole request path, so that the arrival recorded for the first real
    /// request is not late by this server's own first-request start-up (tests compare arrival times).
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/chat/completions") { Content = new StringContent("{}") };
        request.Headers.Add(WarmUpHeader, "1");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private const string WarmUpHeader = "X-Fake-Warm-Up";

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = DateTime.UtcNow;
        if (context.Request.Headers.ContainsKey(WarmUpHeader))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            int max;
            while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
            }
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var request = new FakeLlmRequest(Interlocked.Increment(ref _count), arrived, body.RootElement.Clone(),
                context.Request.Headers.Authorization.ToString(), inFlight);
            _requests.Enqueue(request);

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }
            var reply = Reply(request.Number);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            request.RespondedUtc = DateTime.UtcNow;
            if (reply.Status != 200)
            {
                // OpenAI's error shapes: a 429 is a rate limit; anything else (a 503 while "down") a server error.
                await context.Response.WriteAsJsonAsync(reply.Status == 429
                    ? new { error = new { message = "Rate limit reached", type = "requests", code = "rate_limit_exceeded" } }
                    : new { error = new { message = "The server is temporarily unavailable", type = "server_error", code = "unavailable" } });
                return;
            }
            var model = body.RootElement.GetProperty("model").GetString();
            await context.Response.WriteAsJsonAsync(new
            {
                id = $"chatcmpl-{request.Number}",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model,
                choices = new[]
                {
                    new { index = 0, message = new { role = "assistant", content = reply.Content, refusal = (string?)null }, finish_reason = "stop" },
                },
                usage = new { prompt_tokens = reply.PromptTokens, completion_tokens = reply.CompletionTokens, total_tokens = reply.PromptTokens + reply.CompletionTokens },
            });
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
