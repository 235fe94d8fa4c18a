using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Export;

namespace VoiceAnalytics.CrmService.Workers;

/// <summary>Says at startup where exports will go, and loudly when they can go nowhere.</summary>
public sealed partial class CrmStartupReport(IOptions<CrmOptions> options, ILogger<CrmStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sink = LeadExporter.SinkOf(settings);
        var host = settings.CreatioEnabled ? new Uri(settings.ServiceUrl!).Authority : "-";
        var markdown = settings.MarkdownEnabled ? Path.GetFullPath(settings.MarkdownPath) : "-";
        if (sink == "none")
        {
            LogNoSink();
        }
        else if (!settings.CreatioEnabled)
        {
            LogMarkdownOnly(markdown);
        }
        else
        {
            LogSinks(sink, host, markdown, settings.BasicAuthUser is { Length: > 0 });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No CRM sink configured (CRM_SERVICE_URL unset or EXTERNAL_CRM_ENABLED=false, and CRM_MD_ENABLED=false): exports will fail and wait for RetryExport once one is set")]
    private partial void LogNoSink();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No external CRM (CRM_SERVICE_URL unset or EXTERNAL_CRM_ENABLED=false): exports go to the Markdown file {MarkdownPath} only")]
    private partial void LogMarkdownOnly(string markdownPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRM export sinks: {Sink} (Creatio at {CrmHost}, Basic auth {BasicAuth}; Markdown {MarkdownPath})")]
    private partial void LogSinks(string sink, string crmHost, string markdownPath, bool basicAuth);
}
