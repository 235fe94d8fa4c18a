using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.Bench.Analysis;

/// <summary>An OpenAI-compatible server that answers every chat completion with one valid verdict after a fixed latency.</summary>
internal sealed class FakeLlm(WebApplication app, string baseUrl) : IAsyncDisposable
{
    private const string Verdict = """
        {"topic":"Стоимость","intent":"Узнать цену","quality":4,"outcome":"Успешно","summary_ru":"Клиент узнал цену.",
         "recommendations":"Отправить КП.","client_name":"Иван Петров","phone":"+375291234567"}
        """;

    public string BaseUrl { get; } = baseUrl;

    public static async Task<FakeLlm> StartAsync(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            await Task.Delay(latency);
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-bench",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = "gpt-4o-mini",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = Verdict }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 600, completion_tokens = 150, total_tokens = 750 },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeLlm(app, address.TrimEnd('/') + "/v1");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
