using VoiceAnalytics.Gateway;
using VoiceAnalytics.Gateway.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWebhookApi();
// The admin API (/api/v1: access, erasure, audit) maps here as its own group.

app.Run();

/// <summary>The entry point, visible to in-process test hosts.</summary>
public partial class Program;
