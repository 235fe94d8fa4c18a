using VoiceAnalytics.AnalysisService;
using VoiceAnalytics.AnalysisService.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAnalysisServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapAnalysisApi();

app.Run();

/// <summary>Entry point, visible to in-process test hosts.</summary>
public partial class Program;
