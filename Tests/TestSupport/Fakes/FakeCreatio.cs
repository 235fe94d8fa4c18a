using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>
/// A fake Creatio landing service: a real Kestrel server on a free loopback port that answers
/// SaveWebFormObjectData like the fixtures, and counts the leads it accepted by their record <c>Id</c>.
/// </summary>
public sealed class FakeCreatio : IAsyncDisposable
{
    public const string ServicePath = "/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _acceptedById = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private volatile FakeCreatioMode _mode;
    private long _latencyTicks;

    private FakeCreatio(WebApplication app) => _app = app;

    public FakeCreatioMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    public string Url => ServiceUrlBase + ServicePath;

    public string ServiceUrlBase { get; private set; } = "";

    public IReadOnlyCollection<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Leads accepted (resultCode 0), by record Id.</summary>
    public IReadOnlyDictionary<string, int> AcceptedById => new Dictionary<string, int>(_acceptedById);

    public int RequestsFor(Guid recordId) => _requests.Count(r => r.RecordId == recordId.ToString("D"));

    public static async Task<FakeCreatio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test output holds CrmService's appsettings.json (its Kestrel endpoints): the fake reads none of it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeCreatio(app);
        app.MapPost(ServicePath, (RequestDelegate)fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ServiceUrlBase = address.TrimEnd('/');

        // One request through the whole pipeline first, so a cold start cannot eat a test's short client timeout.
        using (var warmUp = new HttpClient())
        {
            using var response = await warmUp.PostAsync(fake.Url, new StringContent("{}"));
        }
        fake._requests.Clear();
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var recordId = RecordIdOf(body);
        _requests.Enqueue(new ReceivedRequest(body, recordId, http.Request.Headers.Referer.ToString(),
            http.Request.Headers.Authorization.ToString(), http.Request.ContentType ?? ""));

        var mode = _mode;
        try
        {
            await Task.Delay(mode == FakeCreatioMode.Hang ? TimeSpan.FromSeconds(30) : Latency, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // the client gave up (its timeout)
        }

        http.Response.ContentType = "application/json";
        switch (mode)
        {
            case FakeCreatioMode.ServerError:
                http.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                await http.Response.WriteAsync("Internal error", http.RequestAborted);
                return;
            case FakeCreatioMode.EmptyResult:
                await http.Response.WriteAsync("""{"SaveWebFormObjectDataResult":""}""", http.RequestAborted);
                return;
            case FakeCreatioMode.ResultCodeMinusOne:
                await http.Response.WriteAsync(
                    """{"SaveWebFormObjectDataResult":"{resultMessage:\"NotAllowedURLMessage\",resultCode:-1,exceptionType:\"System.Security.SecurityException\"}"}""",
                    http.RequestAborted);
                return;
            default:
                if (recordId is null)
                {
                    await http.Response.WriteAsync("""{"SaveWebFormObjectDataResult":""}""", http.RequestAborted);
                    return;
                }
                _acceptedById.AddOrUpdate(recordId, 1, (_, count) => count + 1);
                await http.Response.WriteAsync("""{"SaveWebFormObjectDataResult":"{resultMessage:\"\",resultCode:0}"}""", http.RequestAborted);
                return;
        }
    }

    private static string? RecordIdOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("formData").GetProperty("formFieldsData").EnumerateArray()
                .Where(f => f.GetProperty("name").GetString() == "Id")
                .Select(f => f.GetProperty("value").GetString())
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
