using Microsoft.Extensions.DependencyInjection.Extensions;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Data;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Gateway.Telemetry;
using VoiceAnalytics.Gateway.Workers;
using VoiceAnalytics.Infrastructure.Configuration;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>The schema the gateway owns and migrates.</summary>
    public const string Schema = "ingest";

    /// <summary>
    /// Everything behind <c>POST /webhooks/elevenlabs</c>: options (sections <c>Webhook</c>, <c>Ingest</c> and <c>TrustedProxies</c>, or the flat WEBHOOK_*/INGEST_*/FORWARDED_* names), the <c>ingest</c>
    /// schema, the producer side of the <c>analysis</c> queue, the group-commit ingestor with its outage spool and
    /// replayer, and the best-effort analysis nudge.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddFlatVariables([.. WebhookOptions.FlatVariables, .. IngestOptions.FlatVariables, .. TrustedProxyOptions.FlatVariables]);
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.SecretKeys().Count > 0, "WEBHOOK_SECRET is not set: the gateway cannot verify webhooks without it.")
            .Validate(o => SourceAllowlist.TryParse(o.AllowedCidrs, out _), SourceAllowlist.InvalidMessage)
            .ValidateOnStart();
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddVoiceDatabase(Schema, typeof(GatewayServiceExtensions).Assembly);
        // Producer side of the analysis queue: the gateway enqueues in its own transaction (and may be the one
        // that creates the shared jobs schema, whichever service migrates first).
        builder.AddJobQueue(PipelineJobs.Analysis.Queue);

        builder.Services.AddTrustedForwardedHeaders();
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddSingleton<SourceAllowlist>();
        builder.Services.AddSingleton<SourceRateLimiter>();
        builder.Services.AddSingleton<WebhookSignatureVerifier>();
        // Erased conversations are recognised at ingest by their keyed hash, so the privacy keys are needed here too.
        builder.AddPiiProtection();
        // Every event's payload and recording are stored encrypted; a key rotation re-encrypts them in the background.
        builder.AddPiiReencryption(new PiiColumnSet("ingest.webhook_events", "id", [new PiiColumn("payload", IsJson: true)]));
        builder.AddPiiReencryption(new PiiColumnSet("ingest.recordings", "id", [new PiiColumn("audio", IsBinary: true)]));
        builder.Services.AddSingleton<PayloadSealer>();
        builder.Services.AddSingleton<ErasureTombstones>();
        builder.Services.AddSingleton<WebhookEventStore>();
        builder.Services.AddSingleton<EventSpool>();
        builder.Services.AddSingleton<WebhookIngestor>();
        builder.Services.AddSingleton<WebhookReceiver>();
        builder.Services.AddHostedService<SpoolReplayer>();

        if (builder.Configuration.HasGrpcEndpoint("analysis"))
        {
            builder.Services.TryAddAnalysisClient();
            builder.Services.AddSingleton<IAnalysisNudger, GrpcAnalysisNudger>();
        }
        else
        {
            builder.Services.AddSingleton<IAnalysisNudger, NoAnalysisNudger>();
        }
        return builder;
    }
}
