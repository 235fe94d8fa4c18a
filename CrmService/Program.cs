using VoiceAnalytics.CrmService;
using VoiceAnalytics.CrmService.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCrmServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCrmApi();

app.Run();

/// <summary>Entry point, visible to in-process test hosts.</summary>
public partial class Program;
