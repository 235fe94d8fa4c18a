using VoiceAnalytics.Gateway;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();
builder.AddAdminServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWebhookApi();
app.MapAdminApi();

app.Run();

/// <summary>The entry point, visible to in-process test hosts.</summary>
public partial class Program;
